/**
 * Who may connect to the Stratum server (docs/stratum-and-gbt.md §8.1). Miners cannot send a
 * token, so the peer address decides: bound to loopback, only this machine can reach the server;
 * bound beyond loopback, private ranges (RFC 1918, loopback, link-local, IPv6 unique-local
 * fc00::/7) are accepted, plus the CIDR blocks the user names with `--stratum-allow`.
 */
import { BlockList, isIP } from 'node:net';

/** Ranges a household network uses; never routed on the internet. */
export const PRIVATE_RANGES: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '169.254.0.0/16', '::1/128', 'fc00::/7', 'fe80::/10'];

export interface Cidr {
  text: string;
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** Parse `a.b.c.d[/n]` or `v6[/n]`; throws one sentence for anything else. */
export function parseCidr(text: string): Cidr {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const address = slash >= 0 ? trimmed.slice(0, slash) : trimmed;
  const prefixText = slash >= 0 ? trimmed.slice(slash + 1) : null;
  const version = isIP(address);
  if (version === 0) throw new Error(`"${text}" is not an IP address or CIDR block (e.g. 192.168.1.0/24 or fd00::/8)`);
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const max = version === 4 ? 32 : 128;
  if (prefixText !== null && (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max)) {
    throw new Error(`"${text}" has a bad prefix length (0–${max})`);
  }
  return { text: trimmed, address, prefix: prefixText === null ? max : Number(prefixText), family };
}

export class StratumAllowList {
  private readonly list = new BlockList();
  readonly extra: readonly Cidr[];

  /** `extra`: the user's `--stratum-allow` blocks (validated here; a bad one throws). */
  constructor(extra: readonly string[] = []) {
    this.extra = extra.map(parseCidr);
    for (const c of [...PRIVATE_RANGES.map(parseCidr), ...this.extra]) this.list.addSubnet(c.address, c.prefix, c.family);
  }

  /** May a peer at `address` (a socket's remoteAddress) mine here? */
  allows(address: string | undefined): boolean {
    if (!address) return false;
    // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    const addr = mapped?.[1] ?? address;
    const version = isIP(addr);
    if (version === 0) return false;
    return this.list.check(addr, version === 4 ? 'ipv4' : 'ipv6');
  }
}

/** Is this bind address loopback only (then no one else can connect at all)? */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
