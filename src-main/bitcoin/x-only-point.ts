/**
 * Whether 32 bytes are the x coordinate of a point on secp256k1 (BIP340 "lift_x"): a taproot output
 * key that is not one can never be spent. y² = x³ + 7 (mod p) has a solution exactly when x < p and
 * x³ + 7 is a square mod p, which Euler's criterion tells: c^((p−1)/2) ≡ 1. One modular power of
 * 256-bit numbers (well under a millisecond), so no curve library is loaded for it.
 */

/** The field prime of secp256k1: 2^256 − 2^32 − 977. */
const P = 2n ** 256n - 2n ** 32n - 977n;

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

export function isXOnlyPoint(x: Uint8Array): boolean {
  if (x.length !== 32) return false;
  const value = BigInt(`0x${Buffer.from(x.buffer, x.byteOffset, x.length).toString('hex')}`);
  if (value >= P) return false;
  const c = (value * value * value + 7n) % P;
  return c === 0n || modPow(c, (P - 1n) / 2n, P) === 1n;
}
