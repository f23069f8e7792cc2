/**
 * How byte 7 of a nonce response carries the job id per model (docs/bm13xx-protocol.md §2.4).
 */
import type { JobByteFields } from './response.js';

/** BM1366: 5+3 split. The id sent (multiple of 8) comes back as byte7 & 0xF8; small core = byte7 & 0x07. */
export const jobByte53 = {
  decode: (b: number): JobByteFields => ({ chipJobId: b & 0xf8, smallCoreId: b & 0x07, midstateIndex: 0 }),
  encode: (chipJobId: number, smallCore: number): number => (chipJobId & 0xf8) | (smallCore & 0x07),
};

/** BM1368/BM1370: 4+4 split. The chip returns (id >> 3) in the high nibble, so id = (byte7 & 0xF0) >> 1; small core = byte7 & 0x0F. */
export const jobByte44 = {
  decode: (b: number): JobByteFields => ({ chipJobId: (b & 0xf0) >>> 1, smallCoreId: b & 0x0f, midstateIndex: 0 }),
  encode: (chipJobId: number, smallCore: number): number => (((chipJobId >>> 3) & 0x0f) << 4) | (smallCore & 0x0f),
};

/** BM1397: id = byte7 & 0xFC; the low 2 bits are the index of the host midstate that hit. */
export const jobByteMidstate = {
  decode: (b: number): JobByteFields => ({ chipJobId: b & 0xfc, smallCoreId: 0, midstateIndex: b & 0x03 }),
  encode: (chipJobId: number, midstateIndex: number): number => (chipJobId & 0xfc) | (midstateIndex & 0x03),
};
