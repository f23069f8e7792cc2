/**
 * HTTP to one AxeOS device (docs/axeos.md §1): plain HTTP/1.1, one connection per request (the
 * ESP32's web server has few sockets, so none is held open), a deadline for the whole exchange,
 * and a cap on the answer's size, so that a device that hangs, trickles or floods costs one
 * clear error and nothing more. No Origin header is sent: ESP-Miner checks it against private
 * address ranges when present.
 */
import { request, type IncomingMessage } from 'node:http';

export const DEFAULT_TIMEOUT_MS = 3000;
/** `/api/system/info` is a few kB (tens with per-ASIC arrays); anything near this is not AxeOS. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

export type AxeosRequestErrorKind = 'unreachable' | 'timeout' | 'http-status' | 'too-large' | 'not-json';

export class AxeosRequestError extends Error {
  override name = 'AxeosRequestError';
  constructor(
    readonly kind: AxeosRequestErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface AxeosClientOptions {
  host: string;
  port: number;
  timeoutMs?: number;
  maxBodyBytes?: number;
}

export interface AxeosAnswer {
  status: number;
  body: Buffer;
  /** This machine's address on the connection: how the device reaches HashDeck. */
  localAddress: string | null;
}

export class AxeosClient {
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;

  constructor(private readonly options: AxeosClientOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  /** GET a JSON document; non-2xx, oversized or non-JSON answers are errors. */
  async getJson(path: string): Promise<{ json: unknown; localAddress: string | null }> {
    const answer = await this.send('GET', path);
    try {
      return { json: JSON.parse(answer.body.toString('utf8')) as unknown, localAddress: answer.localAddress };
    } catch {
      throw new AxeosRequestError('not-json', `${path} did not answer JSON`);
    }
  }

  /** POST or PATCH (a JSON body, or none); the device's answer text is not needed, only success. */
  async write(method: 'POST' | 'PATCH', path: string, body?: unknown): Promise<AxeosAnswer> {
    return this.send(method, path, body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8'));
  }

  private send(method: 'GET' | 'POST' | 'PATCH', path: string, body?: Buffer): Promise<AxeosAnswer> {
    const { host, port } = this.options;
    return new Promise<AxeosAnswer>((resolve, reject) => {
      let settled = false;
      const fail = (err: AxeosRequestError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(err);
      };
      const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'HashDeck' };
      if (body) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(body.length);
      }
      const req = request({ hostname: host, port, path, method, headers, agent: false });
      // One deadline for connect, headers and body: a device that trickles bytes is cut off too.
      const timer = setTimeout(() => fail(new AxeosRequestError('timeout', `no complete answer to ${method} ${path} within ${this.timeoutMs} ms`)), this.timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => fail(new AxeosRequestError('unreachable', describeNetworkError(err))));
      req.on('response', (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        const localAddress = res.socket?.localAddress ?? null;
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > this.maxBodyBytes) {
          fail(new AxeosRequestError('too-large', `${path} answered ${declared} bytes (more than ${this.maxBodyBytes})`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.maxBodyBytes) fail(new AxeosRequestError('too-large', `${path} answered more than ${this.maxBodyBytes} bytes`));
          else chunks.push(chunk);
        });
        res.on('error', (err: NodeJS.ErrnoException) => fail(new AxeosRequestError('unreachable', describeNetworkError(err))));
        res.on('end', () => {
          if (settled) return;
          if (status < 200 || status > 299) {
            const hint = status === 401 ? ' (ESP-Miner only answers clients in private address ranges)' : '';
            fail(new AxeosRequestError('http-status', `${method} ${path} answered HTTP ${status}${hint}`));
            return;
          }
          settled = true;
          clearTimeout(timer);
          resolve({ status, body: Buffer.concat(chunks), localAddress });
        });
      });
      req.end(body);
    });
  }
}

function describeNetworkError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused (nothing listens on that port)';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'ECONNRESET':
      return 'connection reset by the device';
    default:
      return err.code ? `${err.code}: ${err.message}` : err.message;
  }
}
