/** One HTTP POST for a channel: a timeout, and an error that says the status (never the URL). */

export class ChannelError extends Error {
  override name = 'ChannelError';
  constructor(
    message: string,
    /** The receiver asked to wait this long (HTTP 429 Retry-After). */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

export const CHANNEL_TIMEOUT_MS = 10_000;

export async function post(url: string, body: string, headers: Record<string, string>, timeoutMs = CHANNEL_TIMEOUT_MS): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause?.code ?? cause?.message ?? (err as Error).message);
    throw new ChannelError(`not delivered (${why})`);
  }
  if (!res.ok) {
    const retryAfterS = Number(res.headers.get('retry-after'));
    const text = (await res.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ');
    throw new ChannelError(`HTTP ${res.status}${text ? `: ${text}` : ''}`, res.status === 429 && retryAfterS > 0 ? retryAfterS * 1000 : null);
  }
  return res;
}
