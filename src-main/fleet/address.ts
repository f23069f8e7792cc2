/**
 * A watched AxeOS device's address, as the user types it (`--axeos <host[:port]>`, the Settings
 * page): a host name, an IPv4 address or a bracketed IPv6 address, and an optional port (AxeOS
 * serves plain HTTP on port 80, docs/axeos.md §1). `http://` and a trailing slash are tolerated
 * because that is what a browser's address bar shows. HashDeck only ever contacts the addresses
 * given here: it never scans a network.
 */
import { isIP } from 'node:net';

export const AXEOS_DEFAULT_PORT = 80;

export interface AxeosAddress {
  host: string;
  port: number;
  /** `axeos:<host>` (port 80) or `axeos:<host>:<port>`: snapshot id and ledger board id. */
  id: string;
  /** `host` or `host:port` as shown to the user. */
  label: string;
}

export class AxeosAddressError extends Error {
  override name = 'AxeosAddressError';
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Parses `host[:port]`; throws AxeosAddressError with one sentence. */
export function parseAxeosAddress(text: string): AxeosAddress {
  let rest = text.trim();
  const shown = rest === '' ? '(empty)' : `"${text}"`;
  const bad = (why: string): AxeosAddressError => new AxeosAddressError(`${shown} is not an AxeOS device address: ${why} (expected host[:port], e.g. bitaxe.local or 192.0.2.7:80)`);
  if (rest === '') throw bad('it is empty');
  if (/^https:\/\//i.test(rest)) throw bad('AxeOS serves plain HTTP, not HTTPS');
  rest = rest.replace(/^http:\/\//i, '').replace(/\/$/, '');
  if (/[/?#@\s]/.test(rest)) throw bad('give only a host and a port, without a path, user or spaces');
  let host: string;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const end = rest.indexOf(']');
    if (end < 0) throw bad('the IPv6 address has no closing bracket');
    host = rest.slice(1, end);
    const after = rest.slice(end + 1);
    if (after !== '' && !after.startsWith(':')) throw bad('unexpected text after the IPv6 address');
    portText = after === '' ? undefined : after.slice(1);
    if (isIP(host) !== 6) throw bad(`"${host}" is not an IPv6 address`);
  } else if ((rest.match(/:/g) ?? []).length > 1) {
    // A bare IPv6 address: no port possible without brackets.
    host = rest;
    if (isIP(host) !== 6) throw bad('an IPv6 address with a port goes in brackets, e.g. [2001:db8::7]:80');
  } else {
    const colon = rest.indexOf(':');
    host = colon < 0 ? rest : rest.slice(0, colon);
    portText = colon < 0 ? undefined : rest.slice(colon + 1);
    if (isIP(host) === 0 && !HOSTNAME.test(host)) throw bad(`"${host}" is not a host name or IP address`);
  }
  let port = AXEOS_DEFAULT_PORT;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText)) throw bad(`the port "${portText}" is not a number`);
    port = Number(portText);
    if (port < 1 || port > 65535) throw bad(`the port ${port} is out of range 1–65535`);
  }
  host = host.toLowerCase();
  const hostShown = host.includes(':') ? `[${host}]` : host;
  const label = port === AXEOS_DEFAULT_PORT ? hostShown : `${hostShown}:${port}`;
  return { host, port, id: `axeos:${label}`, label };
}

/** Parses a list, refusing the same device twice. */
export function parseAxeosAddresses(texts: readonly string[]): AxeosAddress[] {
  const seen = new Set<string>();
  return texts.map((t) => {
    const a = parseAxeosAddress(t);
    if (seen.has(a.id)) throw new AxeosAddressError(`the AxeOS device ${a.label} is listed twice`);
    seen.add(a.id);
    return a;
  });
}
