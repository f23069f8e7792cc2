/**
 * Targets and difficulty. Every share/block *decision* uses exact bigint comparison
 * (`hashMeetsTarget`); floating point is only for display (`difficultyOfHash`).
 * Facts: docs/stratum-and-gbt.md §1.7, docs/bm13xx-protocol.md §4.
 */

/** Difficulty-1 target: 0xFFFF · 2^208 (the "truediffone" of ESP-Miner, pool difficulty 1). */
export const DIFF1_TARGET = 0xffffn << 208n;
const MAX_TARGET = (1n << 256n) - 1n;

/** A 32-byte hash in internal byte order read as the little-endian 256-bit integer it is. */
export function hashToBigInt(hash: Uint8Array): bigint {
  if (hash.length !== 32) throw new Error(`hash must be 32 bytes, got ${hash.length}`);
  let value = 0n;
  for (let i = 31; i >= 0; i--) value = (value << 8n) | BigInt(hash[i]!);
  return value;
}

/** A 256-bit target as 32 bytes big-endian (display order, as in GBT `target`). */
export function targetToHex(target: bigint): string {
  return target.toString(16).padStart(64, '0');
}

/** Exact test: does the hash (internal byte order) meet the target, i.e. hash ≤ target? */
export function hashMeetsTarget(hash: Uint8Array, target: bigint): boolean {
  return hashToBigInt(hash) <= target;
}

/**
 * nBits (compact) → 256-bit target. The sign bit (0x00800000) is masked off as bitcoinjs-lib does;
 * a header with it set is invalid anyway (Core's CheckProofOfWork rejects negative targets), and
 * `isNegativeNbits` lets a caller that cares test for it. Overflowing encodings throw.
 */
export function nbitsToTarget(nbits: number): bigint {
  const exponent = nbits >>> 24;
  const mantissa = nbits & 0x007fffff;
  const target = exponent <= 3 ? BigInt(mantissa >>> (8 * (3 - exponent))) : BigInt(mantissa) << BigInt(8 * (exponent - 3));
  if (target > MAX_TARGET) throw new Error(`nBits ${hex8(nbits)} overflows 256 bits`);
  return target;
}

/** True when the compact encoding has the sign bit set with a non-zero mantissa. */
export function isNegativeNbits(nbits: number): boolean {
  return (nbits & 0x007fffff) !== 0 && (nbits & 0x00800000) !== 0;
}

/** 256-bit target → nBits (compact), as Bitcoin Core's GetCompact. */
export function targetToNbits(target: bigint): number {
  if (target < 0n || target > MAX_TARGET) throw new Error('target out of range');
  let size = Math.ceil(target.toString(16).replace(/^0+/, '').length / 2);
  let compact: number;
  if (size <= 3) compact = Number(target << BigInt(8 * (3 - size)));
  else compact = Number(target >> BigInt(8 * (size - 3)));
  if (compact & 0x00800000) {
    compact >>>= 8;
    size += 1;
  }
  return ((size << 24) | compact) >>> 0;
}

/** Pool/share target for a (possibly fractional) difficulty: floor(diff1 / d), exact to 2^-64 of d. */
export function difficultyToTarget(difficulty: number): bigint {
  if (!(difficulty > 0) || !Number.isFinite(difficulty)) throw new Error(`difficulty must be a positive number, got ${difficulty}`);
  // diff1 is below 2^224: any difficulty under 2^-32 is the maximum target (and 2^scaleBits below
  // would overflow a double for the tiniest ones a hostile pool can send, such as 5e-324).
  if (difficulty < 2 ** -32) return MAX_TARGET;
  // Represent d as a rational m / 2^s with a 64-bit integer m, so fractional difficulties keep
  // full double precision however small they are (public-pool accepts 1e-10).
  const scaleBits = Math.max(0, 63 - Math.floor(Math.log2(difficulty)));
  const m = BigInt(Math.round(difficulty * 2 ** scaleBits)) || 1n;
  const target = (DIFF1_TARGET << BigInt(scaleBits)) / m;
  return target > MAX_TARGET ? MAX_TARGET : target;
}

/** Difficulty that a target represents (display; float). */
export function targetToDifficulty(target: bigint): number {
  if (target <= 0n) return Infinity;
  return bigRatio(DIFF1_TARGET, target);
}

/** Share difficulty of a hash (display; float): diff1 / hash. */
export function difficultyOfHash(hash: Uint8Array): number {
  const value = hashToBigInt(hash);
  return value === 0n ? Infinity : bigRatio(DIFF1_TARGET, value);
}

/** Network difficulty from nBits (display; float), e.g. 0x1d00ffff → 1. */
export function networkDifficulty(nbits: number): number {
  return targetToDifficulty(nbitsToTarget(nbits));
}

/** a / b as a double, keeping precision for very large and very small ratios. */
function bigRatio(a: bigint, b: bigint): number {
  const shift = Math.max(0, bitLength(b) - bitLength(a) + 64);
  return Number((a << BigInt(shift)) / b) * 2 ** -shift;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
