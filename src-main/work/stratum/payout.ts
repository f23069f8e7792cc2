/**
 * Payout check: decode a job's coinbase outputs and measure how much of the value pays the user's
 * own address (docs/stratum-and-gbt.md §6.3). On a solo pool the user is
 * `<address>.<worker>`, and a coinbase that does not pay that address is worth a loud warning.
 * The coinbase is coinb1 ‖ extranonce1 ‖ zero extranonce2 ‖ coinb2 (non-witness, §1.6).
 *
 * The bytes are read field by field (the layout of §3.3): only the outputs matter here, and a
 * whole transaction object with every output tried against every address type cost ~0.7 ms a job
 * (bench/stratum.bench.ts); this takes a few microseconds.
 */
import { outputScriptAddress, parsePayoutAddress, type NodeChain } from '../address.js';

export interface UserAddress {
  address: string;
  /** A chain the address is valid on (its outputs' addresses are written with its prefixes). */
  chain: NodeChain;
  dialect: 'core' | 'bcoin';
  script: Buffer;
}

/** The part of `user` before the first '.', when it is a valid address on some network. */
export function userPayoutAddress(user: string): UserAddress | null {
  const candidate = user.split('.')[0]!.trim();
  if (candidate.length < 14 || candidate.length > 90) return null;
  try {
    const parsed = parsePayoutAddress(candidate);
    return { address: candidate, chain: parsed.chains[0]!, dialect: parsed.dialect, script: parsed.script };
  } catch {
    return null;
  }
}

export interface CoinbaseOutput {
  valueSats: number;
  scriptHex: string;
  /** Address for standard scripts; null for OP_RETURN (witness commitment, pool tags) and others. */
  address: string | null;
  paysUser: boolean;
}

export interface PayoutCheck {
  outputs: CoinbaseOutput[];
  totalSats: number;
  userSats: number;
  /** userSats / totalSats; null when the user is not an address or the coinbase pays nothing. */
  payoutShare: number | null;
  userAddress: string | null;
}

export interface CoinbaseParts {
  coinb1: Uint8Array;
  extranonce1: Uint8Array;
  extranonce2Size: number;
  coinb2: Uint8Array;
}

/** The user's address is decoded once per user name, not once per job. */
let lastUser: { user: string; address: UserAddress | null } | null = null;
function cachedUserAddress(user: string): UserAddress | null {
  if (lastUser?.user !== user) lastUser = { user, address: userPayoutAddress(user) };
  return lastUser.address;
}

/** Decode the coinbase; throws a clear error when the parts do not form a transaction. */
export function checkPayout(parts: CoinbaseParts, user: string): PayoutCheck {
  const raw = Buffer.concat([parts.coinb1, parts.extranonce1, Buffer.alloc(parts.extranonce2Size), parts.coinb2]);
  let outs: Array<{ valueSats: number; script: Buffer }>;
  try {
    outs = coinbaseOutputs(raw);
  } catch (err) {
    throw new Error(`coinbase does not decode: ${(err as Error).message}`);
  }
  const who = cachedUserAddress(user);
  let totalSats = 0;
  let userSats = 0;
  const outputs = outs.map(({ valueSats, script }) => {
    const paysUser = who !== null && script.equals(who.script);
    totalSats += valueSats;
    if (paysUser) userSats += valueSats;
    const address = paysUser ? who.address : outputScriptAddress(script, who?.chain ?? 'main', who?.dialect ?? 'core');
    return { valueSats, scriptHex: script.toString('hex'), address, paysUser };
  });
  return {
    outputs,
    totalSats,
    userSats,
    payoutShare: who !== null && totalSats > 0 ? userSats / totalSats : null,
    userAddress: who?.address ?? null,
  };
}

/**
 * The outputs of a serialized transaction (version, optional segwit marker and flag, inputs,
 * outputs, witnesses, lock time), which must use every byte. Throws with the reason otherwise.
 */
export function coinbaseOutputs(tx: Buffer): Array<{ valueSats: number; script: Buffer }> {
  let pos = 0;
  const need = (n: number, what: string): void => {
    if (pos + n > tx.length) throw new Error(`ends inside the ${what} (byte ${pos} of ${tx.length})`);
  };
  const varint = (what: string): number => {
    need(1, what);
    const first = tx[pos++]!;
    if (first < 0xfd) return first;
    const size = first === 0xfd ? 2 : first === 0xfe ? 4 : 8;
    need(size, what);
    const value = size === 2 ? tx.readUInt16LE(pos) : size === 4 ? tx.readUInt32LE(pos) : Number(tx.readBigUInt64LE(pos));
    pos += size;
    if (!Number.isSafeInteger(value) || value > tx.length) throw new Error(`${what} ${value} is larger than the transaction`);
    return value;
  };
  const skip = (n: number, what: string): void => {
    need(n, what);
    pos += n;
  };
  skip(4, 'version');
  const witness = tx[pos] === 0x00 && tx[pos + 1] === 0x01;
  if (witness) pos += 2;
  const inputs = varint('input count');
  if (inputs === 0) throw new Error('no input');
  for (let i = 0; i < inputs; i++) {
    skip(36, 'prevout');
    skip(varint('scriptSig length'), 'scriptSig');
    skip(4, 'sequence');
  }
  const count = varint('output count');
  const outs: Array<{ valueSats: number; script: Buffer }> = [];
  for (let i = 0; i < count; i++) {
    need(8, 'output value');
    const valueSats = tx.readUInt32LE(pos) + tx.readUInt32LE(pos + 4) * 2 ** 32;
    pos += 8;
    if (!Number.isSafeInteger(valueSats)) throw new Error(`output ${i} has an impossible value`);
    const length = varint('script length');
    need(length, 'output script');
    outs.push({ valueSats, script: tx.subarray(pos, pos + length) });
    pos += length;
  }
  if (witness) for (let i = 0; i < inputs; i++) for (let items = varint('witness item count'); items > 0; items--) skip(varint('witness item length'), 'witness item');
  skip(4, 'lock time');
  if (pos !== tx.length) throw new Error(`${tx.length - pos} byte(s) after the lock time`);
  return outs;
}
