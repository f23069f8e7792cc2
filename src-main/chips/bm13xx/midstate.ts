/**
 * SHA-256 midstates for the BM1397, which has no on-chip version rolling: the host sends the state
 * after compressing the first 64 header bytes (docs/bm13xx-protocol.md §5.3). node:crypto cannot
 * return an intermediate state, hence this small pure compression function.
 */

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** SHA-256 initial hash value H0..H7. */
export const SHA256_IV: readonly number[] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** One SHA-256 compression of a 64-byte block (no padding) starting from `state`; returns H0..H7. */
export function sha256Compress(block: Uint8Array, state: readonly number[] = SHA256_IV): number[] {
  if (block.length !== 64) throw new RangeError(`a SHA-256 block is 64 bytes, got ${block.length}`);
  if (state.length !== 8) throw new RangeError('a SHA-256 state has 8 words');
  const w = new Uint32Array(64);
  for (let i = 0; i < 16; i++) w[i] = ((block[4 * i]! << 24) | (block[4 * i + 1]! << 16) | (block[4 * i + 2]! << 8) | block[4 * i + 3]!) >>> 0;
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15]!;
    const b = w[i - 2]!;
    const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
    const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0;
  }
  let [a, b, c, d, e, f, g, h] = state as [number, number, number, number, number, number, number, number];
  for (let i = 0; i < 64; i++) {
    const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) >>> 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) >>> 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) >>> 0;
  }
  return [a, b, c, d, e, f, g, h].map((x, i) => (x + state[i]!) >>> 0);
}

/** Midstate of the first 64 bytes of an 80-byte header, as 32 bytes H0..H7 each BE (the usual state serialisation). */
export function headerMidstate(header: Uint8Array): Buffer {
  if (header.length < 64) throw new RangeError(`need at least 64 header bytes, got ${header.length}`);
  const state = sha256Compress(header.subarray(0, 64));
  const out = Buffer.alloc(32);
  state.forEach((word, i) => out.writeUInt32BE(word, 4 * i));
  return out;
}

/**
 * Advance `version` by one step inside `mask`: the masked bits form a counter (lowest mask bit is its
 * LSB, carries skip non-mask bits and wrap); bits outside the mask are kept (§5.3 `increment_bitmask`).
 * With mask 0x1FFFE000 each step adds 0x2000.
 */
export function incrementVersionInMask(version: number, mask: number): number {
  const m = mask >>> 0;
  if (m === 0) return version >>> 0;
  let v = version >>> 0;
  for (let bit = 0; bit < 32; bit++) {
    const b = 2 ** bit;
    if (!(m & b)) continue;
    if (v & b) {
      v = (v & ~b) >>> 0; // carry into the next mask bit
    } else {
      return (v | b) >>> 0;
    }
  }
  return v; // every mask bit was set: wrapped to zero within the mask
}

/** The version a BM1397 midstate slot `index` (0..3) hashes: base advanced `index` times within the mask. */
export function versionForMidstate(baseVersion: number, versionMask: number, index: number): number {
  let v = baseVersion >>> 0;
  for (let i = 0; i < index; i++) v = incrementVersionInMask(v, versionMask);
  return v;
}
