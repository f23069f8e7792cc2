/**
 * Access checks for the web dashboard (docs/design.md §4): which binds are allowed, which Host
 * and Origin headers a request may carry (DNS-rebinding protection), and the API token. Pure
 * functions of the request headers so that they are unit-tested without sockets.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { isIP } from 'node:net';

export const TOKEN_COOKIE = 'hashdeck_token';

/** One minimum for the API token, on the command line and in the config file (docs/cli.md §2.3). */
export const MIN_API_TOKEN_CHARS = 16;

/** True for addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = stripBrackets(host).toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h.startsWith('::ffff:')) return isLoopbackHost(h.slice(7));
  return false;
}

export function isWildcardHost(host: string): boolean {
  const h = stripBrackets(host);
  return h === '0.0.0.0' || h === '::';
}

/** Throws the sentence the CLI prints when a non-loopback bind has no token. */
export function assertBindAllowed(host: string, token: string | undefined): void {
  if (!isLoopbackHost(host) && !token) {
    throw new Error(`binding ${host} needs --api-token (only loopback addresses may be served without one)`);
  }
}

export interface AccessPolicy {
  /** The address the server is bound to ("127.0.0.1", "0.0.0.0", "::1", "mybox.lan"). */
  boundHost: string;
  port: number;
  token?: string | undefined;
  /** Extra host names users type (e.g. "miner.local"); each is accepted with the bound port. */
  allowedHostnames?: readonly string[] | undefined;
}

/** Splits a Host header value into hostname and port; null when malformed. */
export function parseHostHeader(value: string): { hostname: string; port: number | null } | null {
  const v = value.trim().toLowerCase();
  if (v === '' || /[\s/@?#]/.test(v)) return null;
  let hostname: string;
  let portText: string | undefined;
  if (v.startsWith('[')) {
    const end = v.indexOf(']');
    if (end < 0) return null;
    hostname = v.slice(1, end);
    const rest = v.slice(end + 1);
    if (rest !== '' && !rest.startsWith(':')) return null;
    portText = rest === '' ? undefined : rest.slice(1);
    if (isIP(hostname) !== 6) return null;
  } else {
    const parts = v.split(':');
    if (parts.length > 2) return null;
    hostname = parts[0] ?? '';
    portText = parts[1];
  }
  if (hostname === '') return null;
  if (portText === undefined) return { hostname, port: null };
  if (!/^\d{1,5}$/.test(portText)) return null;
  const port = Number(portText);
  return port > 0 && port < 65536 ? { hostname, port } : null;
}

/**
 * A Host header is accepted when it names this server: the bound host, localhost, 127.0.0.1 or
 * ::1 with the bound port. On a wildcard bind (which always has a token) an IP literal is also
 * accepted, since DNS rebinding needs a host *name*; named hosts must be listed explicitly.
 */
export function isHostAllowed(hostHeader: string | undefined, policy: AccessPolicy): boolean {
  if (hostHeader === undefined) return false;
  const parsed = parseHostHeader(hostHeader);
  if (!parsed) return false;
  // Browsers omit the default port; a dashboard on :80 is unusual but must still work.
  const port = parsed.port ?? 80;
  if (port !== policy.port) return false;
  const name = parsed.hostname;
  const bound = stripBrackets(policy.boundHost).toLowerCase();
  if (name === bound) return true;
  if (name === 'localhost' || name === '127.0.0.1' || name === '::1') return true;
  if (policy.allowedHostnames?.some((h) => h.toLowerCase() === name)) return true;
  if (isWildcardHost(bound) && isIP(name) !== 0) return true;
  return false;
}

/**
 * Origin must be absent (non-browser clients, same-origin GET navigations) or exactly this
 * page's own origin: http(s)://<the Host header>. "null" (sandboxed frames, file://) is refused.
 */
export function isOriginAllowed(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  if (hostHeader === undefined) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.pathname !== '/' || url.search !== '' || url.username !== '') return false;
  return url.host === normaliseHost(hostHeader, url.protocol);
}

/** The token a request presents: Authorization: Bearer, then ?token=, then the cookie. */
export function presentedToken(headers: { authorization?: string | undefined; cookie?: string | undefined }, url: URL): { token: string | null; via: 'bearer' | 'query' | 'cookie' | null } {
  const auth = headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth.trim());
    if (m?.[1]) return { token: m[1], via: 'bearer' };
  }
  const q = url.searchParams.get('token');
  if (q) return { token: q, via: 'query' };
  const c = readCookie(headers.cookie, TOKEN_COOKIE);
  if (c) return { token: c, via: 'cookie' };
  return { token: null, via: null };
}

/** Constant-time comparison (hashing first makes lengths equal). */
export function tokenMatches(expected: string, presented: string | null): boolean {
  if (presented === null) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export type AccessVerdict = { ok: true; setCookie: boolean } | { ok: false; status: 400 | 401 | 403; reason: string };

/** How many times a header appears in the raw header list (name, value, name, value, …). */
export function headerCount(rawHeaders: readonly string[], name: string): number {
  let n = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === name) n++;
  return n;
}

/** The whole decision for one HTTP request or WebSocket upgrade. */
export function checkAccess(
  req: { headers: { host?: string | undefined; origin?: string | undefined; authorization?: string | undefined; cookie?: string | undefined }; rawHeaders?: readonly string[] },
  url: URL,
  policy: AccessPolicy,
): AccessVerdict {
  // RFC 9112 (section 3.2): a request with more than one Host header is answered 400 (Node keeps the first,
  // so a proxy and this server could disagree about which host was asked for).
  if (req.rawHeaders && headerCount(req.rawHeaders, 'host') > 1) return { ok: false, status: 400, reason: 'more than one Host header' };
  if (!isHostAllowed(req.headers.host, policy)) return { ok: false, status: 403, reason: 'host not allowed' };
  if (!isOriginAllowed(req.headers.origin, req.headers.host)) return { ok: false, status: 403, reason: 'cross-origin request refused' };
  if (policy.token === undefined) return { ok: true, setCookie: false };
  const presented = presentedToken(req.headers, url);
  if (!tokenMatches(policy.token, presented.token)) return { ok: false, status: 401, reason: 'API token required' };
  return { ok: true, setCookie: presented.via === 'query' };
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Host header as URL.host would print it (default port dropped, lower case). */
function normaliseHost(hostHeader: string, protocol: string): string {
  const parsed = parseHostHeader(hostHeader);
  if (!parsed) return '';
  const name = isIP(parsed.hostname) === 6 ? `[${parsed.hostname}]` : parsed.hostname;
  const defaultPort = protocol === 'https:' ? 443 : 80;
  return parsed.port === null || parsed.port === defaultPort ? name : `${name}:${parsed.port}`;
}
