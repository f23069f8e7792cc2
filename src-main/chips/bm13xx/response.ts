/**
 * Decoding chip responses (docs/bm13xx-protocol.md §1.5, §2.4–§2.6). The job-byte split is per model.
 */
import type { ChipResponse } from '../driver.js';
import { responseCrcOk } from './crc.js';

export interface JobByteFields {
  chipJobId: number;
  smallCoreId: number;
  midstateIndex: number;
}

/**
 * Decode a 9- or 11-byte response; null on a wrong length, preamble or CRC. Nonce fields (§2.5):
 * the 4 nonce bytes are header bytes 76..79 (nonce = their LE value); core id and chip address come
 * from their BE view: core = bits 31..25, address = bits 24..17.
 */
export function decodeResponseFrame(frame: Uint8Array, decodeJobByte: (jobByte: number) => JobByteFields): ChipResponse | null {
  if (frame.length !== 9 && frame.length !== 11) return null;
  if (frame[0] !== 0xaa || frame[1] !== 0x55 || !responseCrcOk(frame)) return null;
  const b = Buffer.from(frame.buffer, frame.byteOffset, frame.length);
  const last = b[b.length - 1]!;
  // ESP-Miner tells nonces from register replies by bit 7 of the last byte (§1.5).
  if ((last & 0x80) === 0) {
    return { kind: 'register', value: b.readUInt32BE(2), chipAddress: b[6]!, register: b[7]! };
  }
  const nonceBe = b.readUInt32BE(2);
  const job = decodeJobByte(b[7]!);
  return {
    kind: 'nonce',
    nonce: b.readUInt32LE(2),
    chipJobId: job.chipJobId,
    smallCoreId: job.smallCoreId,
    midstateIndex: job.midstateIndex,
    versionBits: b.length === 11 ? (b.readUInt16BE(8) << 13) >>> 0 : 0,
    chipAddress: (nonceBe >>> 17) & 0xff,
    coreId: (nonceBe >>> 25) & 0x7f,
    byte6: b[6]!,
  };
}
