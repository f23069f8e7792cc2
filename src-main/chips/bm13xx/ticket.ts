/**
 * Ticket mask (register 0x14) and the target the chip applies (docs/bm13xx-protocol.md §4).
 * The chip always requires 32 leading zero bits of the hash (read as a LE 256-bit number); each mask
 * bit adds one more, so only powers of two are possible: difficulty d → p = floor(log2 ceil(d)).
 */

/** Largest ticket exponent the 32-bit mask can hold. */
export const MAX_TICKET_BITS = 32;

function ticketBits(difficulty: number): number {
  if (!Number.isFinite(difficulty) || !(difficulty > 0)) throw new RangeError(`ticket difficulty must be a positive number, got ${difficulty}`);
  const d = Math.ceil(difficulty);
  // floor(log2 d) computed exactly for integers (Math.log2 can round up just below a power of two).
  let p = 0;
  while (p < MAX_TICKET_BITS && 2 ** (p + 1) <= d) p++;
  return p;
}

/** Power-of-two ticket difficulty the chip actually applies for a request (rounded down; 1000 → 512). */
export function effectiveTicketDifficulty(requested: number): number {
  return 2 ** ticketBits(requested);
}

function reverseBitsInBytes(value: number): number {
  let out = 0;
  for (let byte = 0; byte < 4; byte++) {
    const b = (value >>> (byte * 8)) & 0xff;
    let r = 0;
    for (let k = 0; k < 8; k++) if (b & (1 << k)) r |= 1 << (7 - k);
    out |= r << (byte * 8);
  }
  return out >>> 0;
}

/** Register 0x14 value for a difficulty: mask 2^p − 1 with the bits of each byte reversed (256 → 0x000000FF, 1024 → 0x0000C0FF). */
export function ticketMaskValue(difficulty: number): number {
  const p = ticketBits(difficulty);
  const mask = p === 32 ? 0xffffffff : 2 ** p - 1;
  return reverseBitsInBytes(mask);
}

/** Inverse of ticketMaskValue. Throws on a value that is not an encoded 2^p − 1 mask. */
export function ticketDifficultyFromMask(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`ticket mask must be a 32-bit value, got ${value}`);
  const mask = reverseBitsInBytes(value);
  const p = mask === 0xffffffff ? 32 : Math.log2(mask + 1);
  if (!Number.isInteger(p)) throw new RangeError(`0x${value.toString(16).padStart(8, '0')} is not a ticket mask (mask 2^p-1 with bytes bit-reversed)`);
  return 2 ** p;
}

/** Clamp an emulator scale K (0..32) so that 32 + p − K ≥ 0. */
function clampScale(p: number, scaleBits: number): number {
  if (!Number.isInteger(scaleBits) || scaleBits < 0) throw new RangeError(`scaleBits must be a non-negative integer, got ${scaleBits}`);
  return Math.min(scaleBits, 32 + p);
}

/**
 * Exact 256-bit target the chip applies: 32 + p leading zero bits ⇒ hash ≤ 2^(224−p) − 1.
 * With an emulator scale K it returns hashes with 32 + p − K leading zeros ⇒ 2^(224−p+K) − 1.
 */
export function ticketTarget(ticketDifficulty: number, scaleBits = 0): bigint {
  const p = ticketBits(ticketDifficulty);
  const k = clampScale(p, scaleBits);
  return (1n << BigInt(224 - p + k)) - 1n;
}

/** Hashrate weight of one nonce at this ticket: effective difficulty × 2^−K (each nonce ≈ weight × 2^32 hashes). */
export function ticketWeight(ticketDifficulty: number, scaleBits = 0): number {
  const p = ticketBits(ticketDifficulty);
  const k = clampScale(p, scaleBits);
  return 2 ** (p - k);
}
