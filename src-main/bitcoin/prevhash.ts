/**
 * Stratum's prevhash text (mining.notify params[1]) has each 4-byte word byte-swapped relative to
 * the header's internal order; equivalently it is the display hash with its eight words in reverse
 * order. docs/stratum-and-gbt.md §1.5, docs/bm13xx-protocol.md §2.2.
 */
import { hexToBytes, reverseBytes } from './sha256d.js';

/** Swap the bytes inside each 4-byte word (an involution). */
export function swapWordBytes(data: Uint8Array): Buffer {
  if (data.length % 4 !== 0) throw new Error('length must be a multiple of 4');
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i += 4) {
    out[i] = data[i + 3]!;
    out[i + 1] = data[i + 2]!;
    out[i + 2] = data[i + 1]!;
    out[i + 3] = data[i]!;
  }
  return out;
}

/** Reverse the order of 4-byte words, keeping bytes inside each word (the chip's W(·) transform). */
export function reverseWords(data: Uint8Array): Buffer {
  if (data.length % 4 !== 0) throw new Error('length must be a multiple of 4');
  const out = Buffer.alloc(data.length);
  const words = data.length / 4;
  for (let w = 0; w < words; w++) out.set(data.subarray(w * 4, w * 4 + 4), (words - 1 - w) * 4);
  return out;
}

/** Stratum prevhash hex → header (internal) byte order. */
export function stratumPrevHashToHeader(hex: string): Buffer {
  return swapWordBytes(hexToBytes(hex, 32));
}

/** Header (internal) byte order → Stratum prevhash hex. */
export function headerPrevHashToStratum(prevHash: Uint8Array): string {
  return swapWordBytes(prevHash).toString('hex');
}

/** Stratum prevhash hex → display hex (as explorers and GBT previousblockhash show it). */
export function stratumPrevHashToDisplay(hex: string): string {
  return reverseBytes(stratumPrevHashToHeader(hex)).toString('hex');
}

/** Display hex → Stratum prevhash hex. */
export function displayPrevHashToStratum(displayHex: string): string {
  return headerPrevHashToStratum(reverseBytes(hexToBytes(displayHex, 32)));
}
