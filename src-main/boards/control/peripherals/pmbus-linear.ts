/**
 * PMBus number formats used by the TPS546 (docs/bm13xx-protocol.md §6.3):
 *  - SLINEAR11: bits 15..11 a signed 5-bit exponent, bits 10..0 a signed 11-bit mantissa; value = m · 2^e.
 *  - ULINEAR16: an unsigned 16-bit mantissa with the exponent N taken from VOUT_MODE; value = word · 2^N.
 * Words travel LE on the bus (PMBus).
 */

export function decodeSlinear11(word: number): number {
  if (!Number.isInteger(word) || word < 0 || word > 0xffff) throw new RangeError(`SLINEAR11 word must be 16-bit, got ${word}`);
  let exponent = word >> 11;
  if (exponent > 15) exponent -= 32;
  let mantissa = word & 0x7ff;
  if (mantissa > 1023) mantissa -= 2048;
  return mantissa * 2 ** exponent;
}

/** Encode with the smallest exponent whose mantissa still fits: the most precise representation. */
export function encodeSlinear11(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`SLINEAR11 cannot encode ${value}`);
  for (let exponent = -16; exponent <= 15; exponent++) {
    const mantissa = Math.round(value / 2 ** exponent);
    if (mantissa >= -1024 && mantissa <= 1023) return (((exponent & 0x1f) << 11) | (mantissa & 0x7ff)) >>> 0;
  }
  throw new RangeError(`SLINEAR11 cannot encode ${value}: out of range`);
}

/** VOUT_MODE bits 4..0 hold the ULINEAR16 exponent as 5-bit two's complement. */
export function voutModeExponent(voutMode: number): number {
  const n = voutMode & 0x1f;
  return n > 15 ? n - 32 : n;
}

export function decodeUlinear16(word: number, exponent: number): number {
  if (!Number.isInteger(word) || word < 0 || word > 0xffff) throw new RangeError(`ULINEAR16 word must be 16-bit, got ${word}`);
  return word * 2 ** exponent;
}

export function encodeUlinear16(value: number, exponent: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`ULINEAR16 cannot encode ${value}`);
  const word = Math.round(value / 2 ** exponent);
  if (word > 0xffff) throw new RangeError(`ULINEAR16 cannot encode ${value} with exponent ${exponent}: too large`);
  return word;
}
