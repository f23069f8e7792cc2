/**
 * Merkle trees over txids (never wtxids). docs/stratum-and-gbt.md §1.6 and §3.4.
 * All hashes in internal byte order.
 */
import { sha256d } from './sha256d.js';

/** Stratum-style root: fold the coinbase txid with each branch, the running hash always on the left. */
export function merkleRootFromBranches(coinbaseTxid: Uint8Array, branches: readonly Uint8Array[]): Buffer {
  let h: Buffer = Buffer.from(coinbaseTxid);
  const pair = Buffer.alloc(64);
  for (const b of branches) {
    pair.set(h, 0);
    pair.set(b, 32);
    h = sha256d(pair);
  }
  return h;
}

/**
 * Branches for the coinbase (leaf 0) from the other txids in block order: at each level the
 * sibling of index 0, duplicating the last hash of an odd level.
 */
export function merkleBranchesForCoinbase(otherTxids: readonly Uint8Array[]): Buffer[] {
  const branches: Buffer[] = [];
  // Level 0 without the coinbase; position 0 is the (unknown) coinbase placeholder.
  let level: (Buffer | null)[] = [null, ...otherTxids.map((t) => Buffer.from(t))];
  while (level.length > 1) {
    branches.push(level[1]!);
    const next: (Buffer | null)[] = [null];
    for (let i = 2; i < level.length; i += 2) {
      const left = level[i]!;
      const right = level[i + 1] ?? left;
      next.push(sha256d(Buffer.concat([left, right])));
    }
    level = next;
  }
  return branches;
}

/** Full merkle root of a list of txids (internal order), as in a block header. */
export function merkleRoot(txids: readonly Uint8Array[]): Buffer {
  if (txids.length === 0) throw new Error('a merkle tree needs at least one leaf');
  let level: Buffer[] = txids.map((t) => Buffer.from(t));
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(sha256d(Buffer.concat([level[i]!, level[i + 1] ?? level[i]!])));
    level = next;
  }
  return level[0]!;
}
