/**
 * cgminer-style `--api-allow` lists (cgminer API-README): comma-separated entries
 * `[G:]address[/prefix]`. `W:` grants privileged (write) commands, `R:` (or no prefix) reports only.
 * IPv4 addresses are padded with `.0` as needed (`10.0.0/24` = 10.0.0.0/24); no prefix means a
 * single host; `0/0` matches every IPv4 address. IPv6 entries are taken as written (`::1`,
 * `fd00::/8`). The first matching entry decides, in the order given.
 */
import { BlockList, isIP } from 'node:net';

export type AllowGroup = 'R' | 'W';

export interface AllowEntry {
  group: AllowGroup;
  text: string;
  family: 'ipv4' | 'ipv6';
  list: BlockList;
}

export function parseAllowList(entries: readonly string[]): AllowEntry[] {
  const out: AllowEntry[] = [];
  for (const raw of entries.flatMap((e) => e.split(','))) {
    const text = raw.trim();
    if (text === '') continue;
    out.push(parseEntry(text));
  }
  return out;
}

function parseEntry(text: string): AllowEntry {
  let group: AllowGroup = 'R';
  let rest = text;
  // A group is one letter and a colon; hex letters a–f are left alone since IPv6 starts that way.
  const m = /^([G-Zg-z]):(.*)$/.exec(text);
  if (m && m[1] !== undefined && m[2] !== undefined) {
    const g = m[1].toUpperCase();
    if (g !== 'R' && g !== 'W') throw new Error(`cgminer API allow list: group "${g}:" in "${text}" is not supported (use R: or W:)`);
    group = g;
    rest = m[2];
  }
  const slash = rest.indexOf('/');
  const address = slash >= 0 ? rest.slice(0, slash) : rest;
  const prefixText = slash >= 0 ? rest.slice(slash + 1) : null;
  const list = new BlockList();
  if (address.includes(':')) {
    if (isIP(address) !== 6) throw new Error(`cgminer API allow list: "${text}" is not a valid IPv6 address`);
    const prefix = prefixText === null ? 128 : parsePrefix(prefixText, 128, text);
    list.addSubnet(address, prefix, 'ipv6');
    return { group, text, family: 'ipv6', list };
  }
  const parts = address.split('.');
  if (parts.length > 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new Error(`cgminer API allow list: "${text}" is not a valid IPv4 address or subnet`);
  }
  while (parts.length < 4) parts.push('0');
  const prefix = prefixText === null ? 32 : parsePrefix(prefixText, 32, text);
  list.addSubnet(parts.join('.'), prefix, 'ipv4');
  return { group, text, family: 'ipv4', list };
}

function parsePrefix(text: string, max: number, entry: string): number {
  if (!/^\d{1,3}$/.test(text) || Number(text) > max) throw new Error(`cgminer API allow list: bad prefix length in "${entry}"`);
  return Number(text);
}

/** The group of the first entry matching `address` (a socket's remoteAddress), or null. */
export function allowGroupFor(entries: readonly AllowEntry[], address: string): AllowGroup | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const addr = mapped?.[1] ?? address;
  const family = isIP(addr) === 4 ? 'ipv4' : isIP(addr) === 6 ? 'ipv6' : null;
  if (!family) return null;
  for (const e of entries) {
    if (e.family === family && e.list.check(addr, family)) return e.group;
  }
  return null;
}
