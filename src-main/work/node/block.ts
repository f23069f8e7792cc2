/**
 * Full block assembly for submitblock (docs/stratum-and-gbt.md §3.5):
 * header(80) ‖ varint(1+N) ‖ coinbase (witness serialization when committed) ‖ tx data verbatim.
 * Pure bytes.
 */
import { encodeHeader, type BlockHeader } from '../../bitcoin/header.js';
import { merkleRootFromBranches } from '../../bitcoin/merkle.js';
import { sha256d } from '../../bitcoin/sha256d.js';
import type { WorkTemplate } from '../job.js';
import { coinbaseForBlock } from './coinbase.js';

export function encodeVarint(n: number): Buffer {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`varint out of range: ${n}`);
  if (n < 0xfd) return Buffer.from([n]);
  if (n <= 0xffff) {
    const b = Buffer.alloc(3);
    b[0] = 0xfd;
    b.writeUInt16LE(n, 1);
    return b;
  }
  if (n <= 0xffffffff) {
    const b = Buffer.alloc(5);
    b[0] = 0xfe;
    b.writeUInt32LE(n, 1);
    return b;
  }
  const b = Buffer.alloc(9);
  b[0] = 0xff;
  b.writeBigUInt64LE(BigInt(n), 1);
  return b;
}

/** The stripped coinbase for one extranonce2. */
export function strippedCoinbase(t: WorkTemplate, extranonce2: Buffer): Buffer {
  if (extranonce2.length !== t.extranonce2Size) throw new Error(`extranonce2 must be ${t.extranonce2Size} bytes, got ${extranonce2.length}`);
  return Buffer.concat([t.coinb1, t.extranonce1, extranonce2, t.coinb2]);
}

export interface BlockSolution {
  extranonce2: Buffer;
  version: number;
  ntime: number;
  nonce: number;
}

export interface AssembledBlock {
  header: Buffer;
  /** SHA-256d of the header, internal byte order. */
  hash: Buffer;
  /** The whole block, ready for submitblock. */
  bytes: Buffer;
}

/**
 * Rebuild the header from the template and the solution (merkle root recomputed from the
 * coinbase, so the block is self-consistent whatever the caller believed) and serialise the block.
 */
export function assembleBlock(t: WorkTemplate, segwit: boolean, txDataHex: readonly string[], s: BlockSolution): AssembledBlock {
  const stripped = strippedCoinbase(t, s.extranonce2);
  const merkle = merkleRootFromBranches(sha256d(stripped), t.merkleBranches);
  const h: BlockHeader = { version: s.version, prevHash: t.prevHash, merkleRoot: merkle, ntime: s.ntime, nbits: t.nbits, nonce: s.nonce };
  const header = encodeHeader(h);
  const parts: Buffer[] = [header, encodeVarint(1 + txDataHex.length), coinbaseForBlock(stripped, segwit)];
  for (const hex of txDataHex) parts.push(Buffer.from(hex, 'hex'));
  return { header, hash: sha256d(header), bytes: Buffer.concat(parts) };
}
