/**
 * Coinbase assembly shared by every source: coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2
 * (non-witness serialization, docs/stratum-and-gbt.md §1.6), its txid and the job's merkle root.
 */
import { merkleRootFromBranches } from '../bitcoin/merkle.js';
import { sha256d } from '../bitcoin/sha256d.js';
import type { WorkTemplate } from './job.js';

export function coinbaseBytes(t: WorkTemplate, extranonce2: Buffer): Buffer {
  if (extranonce2.length !== t.extranonce2Size) throw new Error(`extranonce2 must be ${t.extranonce2Size} bytes, got ${extranonce2.length}`);
  return Buffer.concat([t.coinb1, t.extranonce1, extranonce2, t.coinb2]);
}

export function jobMerkleRoot(t: WorkTemplate, extranonce2: Buffer): Buffer {
  return merkleRootFromBranches(sha256d(coinbaseBytes(t, extranonce2)), t.merkleBranches);
}

/** extranonce2 bytes for a counter value: the counter little-endian, zero-padded to `size` bytes. */
export function extranonce2FromCounter(counter: bigint, size: number): Buffer {
  const out = Buffer.alloc(size);
  let v = counter;
  for (let i = 0; i < size; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new Error(`extranonce2 space of ${size} bytes exhausted`);
  return out;
}
