/**
 * Payout address → scriptPubKey, and a check that the address belongs to the node's chain.
 * Encodings per docs/stratum-and-gbt.md §3.3 (base58check P2PKH/P2SH, bech32 v0, bech32m v1)
 * and vectors/address-scripts.json. Decoding is bitcoinjs-lib's; the table of prefixes is ours.
 *
 * bcoin's regtest uses its own prefixes (bech32 hrp `rb`, base58 0x3c/0x26; bcoin
 * lib/protocol/networks.js), so a regtest node may be given either Core's or bcoin's form.
 */
import { address as bjsAddress, payments } from 'bitcoinjs-lib';
import { isXOnlyPoint } from '../bitcoin/x-only-point.js';

/** Chain names as getblockchaininfo/getmininginfo report them (Core; bcoin says 'test' too). */
export type NodeChain = 'main' | 'test' | 'testnet4' | 'signet' | 'regtest';
export const NODE_CHAINS: readonly NodeChain[] = ['main', 'test', 'testnet4', 'signet', 'regtest'];

/**
 * The network an address names. Some encodings are shared: base58 0x6f/0xc4 serve every test
 * chain ('test'), and hrp `tb` serves testnet3, testnet4 and signet ('testnet').
 */
export type AddressNetwork = 'mainnet' | 'testnet' | 'test' | 'regtest';
export type AddressType = 'p2pkh' | 'p2sh' | 'p2wpkh' | 'p2wsh' | 'p2tr';

export interface PayoutAddress {
  address: string;
  network: AddressNetwork;
  /** Node chains this address is valid on. */
  chains: NodeChain[];
  /** Whose prefix table matched: bcoin's regtest differs from Core's. */
  dialect: 'core' | 'bcoin';
  type: AddressType;
  script: Buffer;
}

export class AddressError extends Error {
  override name = 'AddressError';
}

interface PrefixRow {
  network: AddressNetwork;
  chains: NodeChain[];
  dialect: 'core' | 'bcoin';
}

const ALL_TEST: NodeChain[] = ['test', 'testnet4', 'signet', 'regtest'];

const BASE58: Record<number, PrefixRow & { type: 'p2pkh' | 'p2sh' }> = {
  0x00: { type: 'p2pkh', network: 'mainnet', chains: ['main'], dialect: 'core' },
  0x05: { type: 'p2sh', network: 'mainnet', chains: ['main'], dialect: 'core' },
  0x6f: { type: 'p2pkh', network: 'test', chains: ALL_TEST, dialect: 'core' },
  0xc4: { type: 'p2sh', network: 'test', chains: ALL_TEST, dialect: 'core' },
  0x3c: { type: 'p2pkh', network: 'regtest', chains: ['regtest'], dialect: 'bcoin' },
  0x26: { type: 'p2sh', network: 'regtest', chains: ['regtest'], dialect: 'bcoin' },
};

const HRP: Record<string, PrefixRow> = {
  bc: { network: 'mainnet', chains: ['main'], dialect: 'core' },
  tb: { network: 'testnet', chains: ['test', 'testnet4', 'signet'], dialect: 'core' },
  bcrt: { network: 'regtest', chains: ['regtest'], dialect: 'core' },
  rb: { network: 'regtest', chains: ['regtest'], dialect: 'bcoin' },
};

/** Decode a payout address. Throws AddressError with one sentence for anything malformed. */
export function parsePayoutAddress(input: string): PayoutAddress {
  const address = typeof input === 'string' ? input.trim() : '';
  if (address === '') throw new AddressError('The payout address is empty.');
  if (address.length > 100) throw new AddressError('The payout address is too long to be a Bitcoin address.');

  // Bech32 strings contain a '1' separator after the hrp and are all one case; base58 never has '0', 'O', 'I', 'l'.
  const lower = address.toLowerCase();
  const hrp = lower.slice(0, Math.max(0, lower.lastIndexOf('1')));
  if (hrp in HRP) return parseSegwit(address, hrp, HRP[hrp]!);
  return parseBase58(address);
}

function parseSegwit(address: string, hrp: string, row: PrefixRow): PayoutAddress {
  if (address !== address.toLowerCase() && address !== address.toUpperCase()) {
    throw new AddressError(`The payout address "${address}" mixes upper and lower case, which bech32 forbids.`);
  }
  let decoded: { version: number; prefix: string; data: Buffer };
  try {
    decoded = bjsAddress.fromBech32(address.toLowerCase());
  } catch (err) {
    const wrongEncoding = /wrong encoding/.test((err as Error).message);
    throw new AddressError(
      wrongEncoding
        ? `The payout address "${address}" uses the wrong checksum variant (segwit v0 needs bech32, v1+ needs bech32m).`
        : `The payout address "${address}" is not a valid bech32 address (bad checksum or characters).`,
    );
  }
  const { version, data } = decoded;
  let type: AddressType;
  let script: Buffer;
  if (version === 0 && data.length === 20) {
    type = 'p2wpkh';
    script = payments.p2wpkh({ hash: data }).output!;
  } else if (version === 0 && data.length === 32) {
    type = 'p2wsh';
    script = payments.p2wsh({ hash: data }).output!;
  } else if (version === 0) {
    throw new AddressError(`The payout address "${address}" has a ${data.length}-byte witness v0 program; only 20 or 32 bytes are valid.`);
  } else if (version === 1 && data.length === 32) {
    type = 'p2tr';
    // OP_1 <32 bytes>. The output key must be a point on the curve or the coins are unspendable.
    if (!isXOnlyPoint(data)) {
      throw new AddressError(`The payout address "${address}" is a taproot address whose key is not a valid curve point; coins sent there could never be spent.`);
    }
    script = Buffer.concat([Buffer.from([0x51, 0x20]), data]);
  } else {
    throw new AddressError(`The payout address "${address}" uses witness version ${version}, which HashDeck does not pay to.`);
  }
  return { address, network: row.network, chains: [...row.chains], dialect: row.dialect, type, script };
}

function parseBase58(address: string): PayoutAddress {
  let decoded: { version: number; hash: Buffer };
  try {
    decoded = bjsAddress.fromBase58Check(address);
  } catch {
    throw new AddressError(`The payout address "${address}" is not a valid Bitcoin address (neither base58check nor bech32).`);
  }
  const row = BASE58[decoded.version];
  if (!row) {
    throw new AddressError(`The payout address "${address}" has an unknown version byte 0x${decoded.version.toString(16).padStart(2, '0')}.`);
  }
  const script = row.type === 'p2pkh' ? payments.p2pkh({ hash: decoded.hash }).output! : payments.p2sh({ hash: decoded.hash }).output!;
  return { address, network: row.network, chains: [...row.chains], dialect: row.dialect, type: row.type, script };
}

/** Base58 versions and the bech32 hrp of one chain's addresses, for showing an output script as an address. */
function prefixesFor(chain: NodeChain, dialect: 'core' | 'bcoin'): { p2pkh: number; p2sh: number; hrp: string } {
  if (chain === 'main') return { p2pkh: 0x00, p2sh: 0x05, hrp: 'bc' };
  if (chain !== 'regtest') return { p2pkh: 0x6f, p2sh: 0xc4, hrp: 'tb' };
  return dialect === 'bcoin' ? { p2pkh: 0x3c, p2sh: 0x26, hrp: 'rb' } : { p2pkh: 0x6f, p2sh: 0xc4, hrp: 'bcrt' };
}

/**
 * The address a standard output script pays (P2PKH, P2SH, P2WPKH, P2WSH, P2TR), written with the
 * prefixes of `chain`; null for anything else (OP_RETURN commitments, pool tags, bare scripts).
 * Matched by shape, so an unknown script costs a few comparisons.
 */
export function outputScriptAddress(script: Uint8Array, chain: NodeChain = 'main', dialect: 'core' | 'bcoin' = 'core'): string | null {
  const s = Buffer.from(script.buffer, script.byteOffset, script.length);
  const pre = prefixesFor(chain, dialect);
  if (s.length === 25 && s[0] === 0x76 && s[1] === 0xa9 && s[2] === 0x14 && s[23] === 0x88 && s[24] === 0xac) return bjsAddress.toBase58Check(s.subarray(3, 23), pre.p2pkh);
  if (s.length === 23 && s[0] === 0xa9 && s[1] === 0x14 && s[22] === 0x87) return bjsAddress.toBase58Check(s.subarray(2, 22), pre.p2sh);
  if (s.length === 22 && s[0] === 0x00 && s[1] === 0x14) return bjsAddress.toBech32(s.subarray(2), 0, pre.hrp);
  if (s.length === 34 && s[0] === 0x00 && s[1] === 0x20) return bjsAddress.toBech32(s.subarray(2), 0, pre.hrp);
  if (s.length === 34 && s[0] === 0x51 && s[1] === 0x20) return bjsAddress.toBech32(s.subarray(2), 1, pre.hrp);
  return null;
}

/** Normalise a chain name from a node ('testnet' and 'testnet3' are Core's 'test'). */
export function normaliseChain(chain: string): NodeChain {
  const c = chain.trim().toLowerCase();
  if (c === 'testnet' || c === 'testnet3') return 'test';
  if ((NODE_CHAINS as readonly string[]).includes(c)) return c as NodeChain;
  throw new AddressError(`The node reports an unknown chain "${chain}".`);
}

const CHAIN_LABEL: Record<NodeChain, string> = {
  main: 'mainnet',
  test: 'testnet3',
  testnet4: 'testnet4',
  signet: 'signet',
  regtest: 'regtest',
};

/** Parse the address and check that the node's chain accepts it; throws AddressError otherwise. */
export function checkAddressNetwork(address: string, chain: string): PayoutAddress {
  const parsed = parsePayoutAddress(address);
  const nodeChain = normaliseChain(chain);
  if (!parsed.chains.includes(nodeChain)) {
    const named = parsed.network === 'mainnet' ? 'a mainnet' : parsed.network === 'regtest' ? 'a regtest' : 'a test-network';
    throw new AddressError(`The payout address "${parsed.address}" is ${named} address but the node is on ${CHAIN_LABEL[nodeChain]}.`);
  }
  return parsed;
}
