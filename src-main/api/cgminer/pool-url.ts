/**
 * Pool and node URLs as the monitoring surfaces show them. Credentials embedded in a URL
 * (`http://user:pass@host`) are dropped before anything is shown: secrets never leave the engine.
 */

export interface PoolAddress {
  /** The URL without userinfo, query or fragment. */
  url: string;
  scheme: string;
  host: string;
  /** Null when the URL has no port. */
  port: number | null;
}

/** Splits a pool/node URL; unparsable text is returned as `url` with an empty host. */
export function splitPoolUrl(raw: string): PoolAddress {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    // Not a URL (e.g. "host:3333"): show it as given, minus anything that looks like userinfo.
    const at = raw.lastIndexOf('@');
    const text = at >= 0 ? raw.slice(at + 1) : raw;
    return { url: text, scheme: '', host: '', port: null };
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  const port = parsed.port === '' ? null : Number(parsed.port);
  const hostPart = parsed.port === '' ? parsed.hostname : `${parsed.hostname}:${parsed.port}`;
  const path = parsed.pathname === '/' || parsed.pathname === '' ? '' : parsed.pathname;
  return { url: `${scheme}://${hostPart}${path}`, scheme, host, port };
}

/** The URL with credentials removed. */
export function publicUrl(raw: string): string {
  return splitPoolUrl(raw).url;
}
