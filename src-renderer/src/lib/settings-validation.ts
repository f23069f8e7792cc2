/**
 * Client-side checks for the Settings form. The engine validates again (it owns the truth);
 * these catch typos before they are sent. The settings object sent with `setSettings` is
 * `{ pools: PoolSetting[] }` in pool mode or `{ pools: [], node: NodeSetting }` in solo mode
 * (pools and a node together are refused, as on the command line).
 */

export interface PoolSetting {
  url: string;
  user: string;
  password: string;
}

export interface NodeSetting {
  url: string;
  payoutAddress: string;
  rpcUser?: string;
  rpcPassword?: string;
  rpcCookie?: string;
}

/** Serving Stratum to the household's network miners (as `--serve-stratum` and its options). */
export interface StratumServerSetting {
  host: string;
  port: number;
  allow: string[];
  minDifficulty?: number;
  payToUsername?: boolean;
}

export type SettingsPayload = ({ pools: PoolSetting[]; node?: undefined } | { pools: []; node: NodeSetting }) & { stratumServer?: StratumServerSetting };

/** Returns an error sentence or null. Needs scheme, host and an explicit port. */
export function validatePoolUrl(url: string): string | null {
  const u = url.trim();
  if (u === '') return 'Enter the pool address, e.g. stratum+tcp://pool.example.com:3333.';
  const m = /^(stratum\+tcp|stratum\+ssl):\/\/([^/:?#\s]+|\[[0-9a-fA-F:]+\]):(\d{1,5})\/?$/.exec(u);
  if (!m) {
    if (!/^stratum\+(tcp|ssl):\/\//.test(u)) return 'A pool address starts with stratum+tcp:// or stratum+ssl://.';
    return 'A pool address needs a host and a port, e.g. stratum+tcp://pool.example.com:3333.';
  }
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return 'The port must be between 1 and 65535.';
  return null;
}

export function validateNodeUrl(url: string): string | null {
  const u = url.trim();
  if (u === '') return 'Enter the node RPC address, e.g. http://127.0.0.1:8332.';
  let parsed: URL;
  try {
    parsed = new URL(u);
  } catch {
    return 'The node address is not a valid URL (e.g. http://127.0.0.1:8332).';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'The node RPC address starts with http:// or https://.';
  if (parsed.hostname === '') return 'The node address needs a host.';
  if (parsed.username !== '' || parsed.password !== '') return 'Put RPC credentials in their own fields, not in the URL.';
  return null;
}

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BASE58_RE = /^[123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz]+$/;

function bech32Polymod(values: number[]): number {
  const gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= gen[i] ?? 0;
  }
  return chk >>> 0;
}

/** BIP173/BIP350: checksum constant 1 for witness v0 (bech32), 0x2bc830a3 for v1+ (bech32m). */
function checkBech32(address: string): string | null {
  const lower = address.toLowerCase();
  if (address !== lower && address !== address.toUpperCase()) return 'The address mixes upper and lower case.';
  const sep = lower.lastIndexOf('1');
  const hrp = lower.slice(0, sep);
  if (!['bc', 'tb', 'bcrt'].includes(hrp)) return 'Unknown address prefix.';
  const dataPart = lower.slice(sep + 1);
  if (dataPart.length < 6 + 1) return 'The address is too short.';
  const data: number[] = [];
  for (const ch of dataPart) {
    const v = BECH32_CHARSET.indexOf(ch);
    if (v < 0) return `The address contains an invalid character "${ch}".`;
    data.push(v);
  }
  const expanded = [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31), ...data];
  const check = bech32Polymod(expanded);
  const version = data[0] ?? -1;
  const expected = version === 0 ? 1 : 0x2bc830a3;
  if (version > 16) return 'Unknown witness version.';
  if (check !== expected) return 'The address checksum is wrong (a typo?).';
  return null;
}

/**
 * Shape and checksum of a payout address. Bech32/bech32m checksums are verified here; legacy
 * base58 addresses get a character/length check (their checksum is verified by the engine).
 */
export function validatePayoutAddress(address: string): string | null {
  const a = address.trim();
  if (a === '') return 'Enter the address that block rewards should pay.';
  if (/^(bc|tb|bcrt)1/i.test(a)) return checkBech32(a);
  if (/^[13mn2]/.test(a)) {
    if (!BASE58_RE.test(a)) return 'The address contains characters that are not used in Bitcoin addresses.';
    if (a.length < 26 || a.length > 35) return 'The address has the wrong length.';
    return null;
  }
  return 'This does not look like a Bitcoin address (bc1…, 1…, 3… or a testnet/regtest address).';
}

export interface StratumFormState {
  enabled: boolean;
  host: string;
  port: string;
  /** CIDR blocks, separated by commas, spaces or new lines. */
  allow: string;
  minDifficulty: string;
  payToUsername: boolean;
}

export interface SettingsFormState {
  mode: 'pool' | 'solo';
  pools: PoolSetting[];
  node: { url: string; payoutAddress: string; rpcUser: string; rpcPassword: string; rpcCookie: string };
  stratum?: StratumFormState;
}

/** An IPv4 or IPv6 address with an optional prefix length; null when it looks right (the engine checks again). */
export function validateCidr(text: string): string | null {
  const [address = '', prefix, extra] = text.trim().split('/');
  if (extra !== undefined) return `"${text}" has more than one "/".`;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  const isV4 = v4 !== null && v4.slice(1).every((o) => Number(o) <= 255);
  const isV6 = !isV4 && address.includes(':') && /^[0-9a-fA-F:.]+$/.test(address);
  if (!isV4 && !isV6) return `"${text}" is not an IP address or CIDR block (e.g. 192.168.1.0/24).`;
  if (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > (isV4 ? 32 : 128))) return `"${text}" has a bad prefix length.`;
  return null;
}

function stratumSetting(f: StratumFormState, solo: boolean, errors: SettingsErrors): StratumServerSetting | undefined {
  if (!f.enabled) return undefined;
  const host = f.host.trim() === '' ? '127.0.0.1' : f.host.trim();
  const port = Number(f.port);
  if (!/^\d{1,5}$/.test(f.port.trim()) || port < 1 || port > 65535) errors['stratum.port'] = 'The port must be a number between 1 and 65535 (3333 is usual).';
  const allow = f.allow.split(/[\s,]+/).filter((b) => b !== '');
  const bad = allow.map(validateCidr).find((e) => e !== null);
  if (bad) errors['stratum.allow'] = bad;
  let minDifficulty: number | undefined;
  if (f.minDifficulty.trim() !== '') {
    minDifficulty = Number(f.minDifficulty);
    if (!(minDifficulty > 0) || !Number.isFinite(minDifficulty)) errors['stratum.minDifficulty'] = 'The minimum difficulty must be a positive number (fractions allowed).';
  }
  if (f.payToUsername && !solo) errors['stratum.payToUsername'] = 'Paying each miner’s own address needs solo mining: with a pool, the pool pays.';
  const setting: StratumServerSetting = { host, port, allow };
  if (minDifficulty !== undefined) setting.minDifficulty = minDifficulty;
  if (f.payToUsername) setting.payToUsername = true;
  return setting;
}

export type SettingsErrors = Record<string, string>;

/** Field errors keyed "pools.0.url", "node.payoutAddress", …; payload only when there are none. */
export function buildSettings(form: SettingsFormState): { errors: SettingsErrors; payload: SettingsPayload | null } {
  const errors: SettingsErrors = {};
  if (form.mode === 'pool') {
    const pools = form.pools.filter((p) => p.url.trim() !== '' || p.user.trim() !== '');
    if (pools.length === 0) errors['pools'] = 'Add at least one pool.';
    pools.forEach((p, i) => {
      const e = validatePoolUrl(p.url);
      if (e) errors[`pools.${i}.url`] = e;
      if (p.user.trim() === '') errors[`pools.${i}.user`] = 'Enter the pool user (often address.worker).';
    });
    const stratumServer = form.stratum ? stratumSetting(form.stratum, false, errors) : undefined;
    if (Object.keys(errors).length > 0) return { errors, payload: null };
    const payload: SettingsPayload = { pools: pools.map((p) => ({ url: p.url.trim(), user: p.user.trim(), password: p.password === '' ? 'x' : p.password })) };
    if (stratumServer) payload.stratumServer = stratumServer;
    return { errors, payload };
  }
  const n = form.node;
  const urlError = validateNodeUrl(n.url);
  if (urlError) errors['node.url'] = urlError;
  const addrError = validatePayoutAddress(n.payoutAddress);
  if (addrError) errors['node.payoutAddress'] = addrError;
  const hasCookie = n.rpcCookie.trim() !== '';
  const hasUser = n.rpcUser.trim() !== '';
  if (!hasCookie && !hasUser) errors['node.auth'] = 'Give either the RPC cookie file or an RPC user and password.';
  if (hasCookie && hasUser) errors['node.auth'] = 'Use the cookie file or a user and password, not both.';
  if (hasUser && n.rpcPassword === '') errors['node.rpcPassword'] = 'Enter the RPC password.';
  const stratumServer = form.stratum ? stratumSetting(form.stratum, true, errors) : undefined;
  if (Object.keys(errors).length > 0) return { errors, payload: null };
  const node: NodeSetting = { url: n.url.trim(), payoutAddress: n.payoutAddress.trim() };
  if (hasCookie) node.rpcCookie = n.rpcCookie.trim();
  else {
    node.rpcUser = n.rpcUser.trim();
    node.rpcPassword = n.rpcPassword;
  }
  const payload: SettingsPayload = { pools: [], node };
  if (stratumServer) payload.stratumServer = stratumServer;
  return { errors, payload };
}
