import { isIP } from 'node:net';

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

/** Second-level labels under which country domains register names (pool.co.uk is not the domain "co.uk"). */
const SHARED_SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'gov', 'edu', 'ac', 'or', 'ne', 'go']);

/**
 * The registrable domain of a host name: its last two labels, or three under a country code's
 * shared second level (pool.example.co.uk → example.co.uk). Null for IP literals and single labels,
 * which have no domain to share.
 */
export function registrableDomain(host: string): string | null {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (isIP(h.replace(/^\[|\]$/g, '')) !== 0) return null;
  const labels = h.split('.');
  if (labels.length < 2 || labels.some((l) => l === '')) return null;
  const tld = labels.at(-1)!;
  const second = labels.at(-2)!;
  const take = tld.length === 2 && SHARED_SECOND_LEVEL.has(second) ? 3 : 2;
  if (labels.length < take) return null;
  return labels.slice(-take).join('.');
}

/**
 * Whether client.reconnect may move from `from` to `to` (§1.4): the same host, or another host of the
 * same registrable domain, as cgminer allows. An IP address only ever matches itself: 10.0.3.4 and
 * 192.168.3.4 share their last two numbers, not an owner.
 */
export function sameDomain(to: string, from: string): boolean {
  if (to.toLowerCase() === from.toLowerCase()) return true;
  const a = registrableDomain(to);
  return a !== null && a === registrableDomain(from);
}
