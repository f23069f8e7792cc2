/**
 * Solo-mining coinbase (docs/stratum-and-gbt.md §3.3), built with bitcoinjs-lib's Transaction.
 * The scriptSig is `BIP34 height ‖ [push(tag)] ‖ 0x08 ‖ extranonce(8)`, and the non-witness
 * serialization is split around the 8 extranonce bytes so that
 * coinb1 ‖ extranonce1 (empty) ‖ extranonce2 (8) ‖ coinb2 is the stripped coinbase — the same
 * pipeline as Stratum (§3.10). Pure bytes, no I/O.
 */
import { Transaction } from 'bitcoinjs-lib';
import { coinbaseTagProblem, MAX_SCRIPTSIG_BYTES } from './coinbase-tag.js';

export const EXTRANONCE_BYTES = 8;
const ZERO_HASH = Buffer.alloc(32);
/** Witness reserved value: one 32-byte item of zeros (BIP141). */
export const WITNESS_RESERVED_VALUE = Buffer.alloc(32);
const COINBASE_VERSION = 2;

/**
 * `CScript() << height` as Core serialises it (§3.3): OP_1..OP_16 for 1..16, else a minimal
 * little-endian CScriptNum push with a sign byte when the top bit is set.
 */
export function bip34HeightPush(height: number): Buffer {
  if (!Number.isSafeInteger(height) || height < 0) throw new Error(`block height must be a non-negative integer, got ${height}`);
  if (height === 0) return Buffer.from([0x00]); // OP_0
  if (height <= 16) return Buffer.from([0x50 + height]);
  const bytes: number[] = [];
  let n = height;
  while (n > 0) {
    bytes.push(n & 0xff);
    n = Math.floor(n / 256);
  }
  if ((bytes[bytes.length - 1]! & 0x80) !== 0) bytes.push(0x00);
  return Buffer.from([bytes.length, ...bytes]);
}

/** A minimal data push: a length opcode up to 75 bytes, OP_PUSHDATA1 (0x4c) and a length byte up to 255. */
function pushData(data: Buffer): Buffer {
  if (data.length > 255) throw new Error('push too long');
  return Buffer.concat([data.length <= 75 ? Buffer.from([data.length]) : Buffer.from([0x4c, data.length]), data]);
}

export interface CoinbaseOutput {
  script: Buffer;
  valueSats: number;
}

export interface CoinbaseSpec {
  height: number;
  /** Tag in the scriptSig (e.g. "/HashDeck/"); empty for none. As long as the 100-byte scriptSig allows (coinbase-tag.ts). */
  tag: string;
  payoutScript: Buffer;
  /** Template coinbasevalue: subsidy + fees, all to the payout. */
  valueSats: number;
  /** Witness commitment scriptPubKey (6a24aa21a9ed…), or null when segwit is not in the template rules. */
  witnessCommitment: Buffer | null;
}

export interface CoinbaseParts {
  /** Stripped coinbase bytes before the extranonce area. */
  coinb1: Buffer;
  /** Stripped coinbase bytes after the extranonce area. */
  coinb2: Buffer;
  /** Whether the block must carry the coinbase witness (commitment present). */
  segwit: boolean;
}

export function buildCoinbaseParts(spec: CoinbaseSpec): CoinbaseParts {
  if (!Number.isSafeInteger(spec.valueSats) || spec.valueSats < 0) throw new Error(`coinbase value must be a non-negative integer of satoshis, got ${spec.valueSats}`);
  const tag = Buffer.from(spec.tag, 'utf8');
  const heightPush = bip34HeightPush(spec.height);
  const problem = coinbaseTagProblem(spec.tag, heightPush.length);
  if (problem) throw new Error(problem);
  const prefix = Buffer.concat([heightPush, tag.length > 0 ? pushData(tag) : Buffer.alloc(0), Buffer.from([EXTRANONCE_BYTES])]);
  const scriptSig = Buffer.concat([prefix, Buffer.alloc(EXTRANONCE_BYTES)]);
  // Consensus: coinbase scriptSig 2..100 bytes ("bad-cb-length").
  if (scriptSig.length < 2 || scriptSig.length > MAX_SCRIPTSIG_BYTES) throw new Error(`coinbase scriptSig would be ${scriptSig.length} bytes (must be 2..100)`);

  const tx = new Transaction();
  tx.version = COINBASE_VERSION;
  tx.addInput(ZERO_HASH, 0xffffffff, 0xffffffff, scriptSig);
  tx.addOutput(spec.payoutScript, spec.valueSats);
  // BIP145: the commitment is the last output.
  if (spec.witnessCommitment) tx.addOutput(spec.witnessCommitment, 0);
  tx.locktime = 0;

  const stripped = tx.toBuffer(); // no witness set yet → non-witness serialization
  // version(4) ‖ input count(1) ‖ prevout(36) ‖ varint(scriptSig length; < 0xfd so 1 byte) ‖ prefix
  const at = 4 + 1 + 36 + 1 + prefix.length;
  return {
    coinb1: stripped.subarray(0, at),
    coinb2: stripped.subarray(at + EXTRANONCE_BYTES),
    segwit: spec.witnessCommitment !== null,
  };
}

/**
 * The coinbase as it goes into the block: the witness serialization (marker, flag, one 32-byte
 * zero item) when the commitment is present, else the stripped bytes unchanged (§3.5).
 */
export function coinbaseForBlock(stripped: Buffer, segwit: boolean): Buffer {
  if (!segwit) return stripped;
  const tx = Transaction.fromBuffer(stripped);
  tx.setWitness(0, [WITNESS_RESERVED_VALUE]);
  return tx.toBuffer();
}
