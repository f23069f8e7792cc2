/**
 * CRCs of the BM13xx serial protocol (docs/bm13xx-protocol.md §1.3, §1.4, §1.5).
 * - CRC5 (poly x^5+x^2+1, init 0x1F, MSB first, no reflection, no final XOR): command frames and
 *   chip responses.
 * - CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR): job frames, sent BE.
 */

/**
 * CRC5 over the first `bitCount` bits of `data` (MSB of each byte first); all bits by default.
 * Commands: over frame[2..end-1] (the result is the last byte). Responses: the CRC covers every bit
 * after the preamble up to the CRC field, including the 3 type bits (§1.5).
 */
export function crc5(data: Uint8Array, bitCount: number = data.length * 8, start = 0): number {
  let crc = 0x1f;
  const end = start * 8 + bitCount;
  for (let bit = start * 8; bit < end; bit++) {
    const byte = data[bit >>> 3]!;
    const b = (byte >>> (7 - (bit & 7))) & 1;
    const fb = ((crc >>> 4) & 1) ^ b;
    crc = (crc << 1) & 0x1f;
    // Feedback enters bit 0 and taps bit 2 (poly 0x05).
    if (fb) crc ^= 0x05;
  }
  return crc;
}

/** A response frame checks when the CRC5 over every byte after the preamble leaves remainder 0 (§1.5, method 1). */
export function responseCrcOk(frame: Uint8Array, length: number = frame.length, offset = 0): boolean {
  if (length < 3) return false;
  return crc5(frame, (length - 2) * 8, offset + 2) === 0;
}

/** Byte-at-a-time table for CRC-16/CCITT-FALSE (poly 0x1021), built once. */
const CRC16_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[n] = c;
  }
  return t;
})();

/** CRC-16/CCITT-FALSE over data[start..end) (jobs: frame[2 .. end-2]). */
export function crc16(data: Uint8Array, start = 0, end: number = data.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xff00) ^ CRC16_TABLE[((crc >>> 8) ^ data[i]!) & 0xff]!;
  return crc;
}
