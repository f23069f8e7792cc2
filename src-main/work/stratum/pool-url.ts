/**
 * Pool URLs: `stratum+tcp://host:port` (plain TCP) and `stratum+ssl://host:port` (TLS). A bare
 * `host:port` means TCP. Bad input throws one clear sentence (the CLI turns it into exit 2).
 */

export interface PoolAddress {
  /** The URL as the user wrote it (for display; never holds a password). */
  url: string;
  host: string;
  port: number;
  tls: boolean;
}

export function parsePoolUrl(url: string): PoolAddress {
  const text = url.trim();
  const m = /^(?:(stratum\+tcp|stratum\+ssl|stratum\+tls|stratum|tcp|ssl|tls):\/\/)?(\[[0-9a-fA-F:.]+\]|[^/:@\s]+):(\d{1,5})\/?$/.exec(text);
  if (!m) throw new Error(`"${url}" is not a pool URL (expected stratum+tcp://host:port or stratum+ssl://host:port)`);
  const scheme = m[1] ?? 'stratum+tcp';
  const host = m[2]!.startsWith('[') ? m[2]!.slice(1, -1) : m[2]!;
  const port = Number(m[3]);
  if (!(port > 0 && port < 65536)) throw new Error(`"${url}" has an invalid port`);
  return { url: text, host, port, tls: /ssl|tls/.test(scheme) };
}

/** Same registrable domain (the last two labels), as cgminer requires for client.reconnect (§1.4). */
export function sameDomain(a: string, b: string): boolean {
  const tail = (h: string) => h.toLowerCase().split('.').slice(-2).join('.');
  return tail(a) === tail(b);
}
