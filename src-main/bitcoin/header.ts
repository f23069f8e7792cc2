/**
 * The 80-byte block header. Field byte orders (docs/stratum-and-gbt.md §1.6, docs/bm13xx-protocol.md §2.3):
 *   0..3 version u32 LE · 4..35 prev hash (internal order) · 36..67 merkle root (internal order)
 *   68..71 ntime u32 LE · 72..75 nbits u32 LE · 76..79 nonce u32 LE
 * This is the one header builder used everywhere (validator, emulator, block assembly).
 */
import { sha256d } from './sha256d.js';

export interface BlockHeader {
  version: number;
  /** Previous block hash, internal byte order (= GBT previousblockhash reversed). */
  prevHash: Uint8Array;
  /** Merkle root, internal byte order (the raw SHA-256d output). */
  merkleRoot: Uint8Array;
  ntime: number;
  nbits: number;
  nonce: number;
}

export const HEADER_BYTES = 80;

export function encodeHeader(h: BlockHeader, out: Buffer = Buffer.alloc(HEADER_BYTES)): Buffer {
  if (h.prevHash.length !== 32 || h.merkleRoot.length !== 32) throw new Error('prevHash and merkleRoot must be 32 bytes');
  out.writeUInt32LE(h.version >>> 0, 0);
  out.set(h.prevHash, 4);
  out.set(h.merkleRoot, 36);
  out.writeUInt32LE(h.ntime >>> 0, 68);
  out.writeUInt32LE(h.nbits >>> 0, 72);
  out.writeUInt32LE(h.nonce >>> 0, 76);
  return out;
}

export function decodeHeader(bytes: Uint8Array): BlockHeader {
  if (bytes.length !== HEADER_BYTES) throw new Error(`a header is 80 bytes, got ${bytes.length}`);
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  return {
    version: b.readUInt32LE(0),
    prevHash: Buffer.from(b.subarray(4, 36)),
    merkleRoot: Buffer.from(b.subarray(36, 68)),
    ntime: b.readUInt32LE(68),
    nbits: b.readUInt32LE(72),
    nonce: b.readUInt32LE(76),
  };
}

/** SHA-256d of the encoded header: the block hash in internal byte order. */
export function headerHash(h: BlockHeader): Buffer {
  return sha256d(encodeHeader(h));
}
