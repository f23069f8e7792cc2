/**
 * Pure TypeScript nonce scanner: node:crypto SHA-256d per nonce. The fallback when the native addon
 * is not built, and the reference the native paths are tested against.
 */
import { createHash } from 'node:crypto';
import { sha256Compress } from '../chips/bm13xx/midstate.js';
import type { NonceOrder, ScanHit } from './scan-types.js';

export function scanTypescript(header80: Buffer, start: number, count: number, targetLE: Buffer, maxResults: number, order: NonceOrder): ScanHit[] {
  const header = Buffer.from(header80); // private copy: the nonce field is overwritten
  const hits: ScanHit[] = [];
  for (let i = 0; i < count && hits.length < maxResults; i++) {
    const counter = (start + i) >>> 0;
    if (order === 'chip') header.writeUInt32BE(counter, 76);
    else header.writeUInt32LE(counter, 76);
    const hash = createHash('sha256').update(createHash('sha256').update(header).digest()).digest();
    if (leLessOrEqual(hash, targetLE)) hits.push({ nonce: header.readUInt32LE(76), hash });
  }
  return hits;
}

/** Same from a midstate (state after header bytes 0..63, words BE) and header bytes 64..75. */
export function scanMidstateTypescript(midstate32: Buffer, tail12: Buffer, start: number, count: number, targetLE: Buffer, maxResults: number, order: NonceOrder): ScanHit[] {
  const state = Array.from({ length: 8 }, (_, i) => midstate32.readUInt32BE(4 * i));
  // Second block of an 80-byte message: bytes 64..79, 0x80, zeros, bit length 640.
  const block = Buffer.alloc(64);
  tail12.copy(block, 0);
  block[16] = 0x80;
  block.writeUInt16BE(640, 62);
  const inner = Buffer.alloc(32);
  const hits: ScanHit[] = [];
  for (let i = 0; i < count && hits.length < maxResults; i++) {
    const counter = (start + i) >>> 0;
    if (order === 'chip') block.writeUInt32BE(counter, 12);
    else block.writeUInt32LE(counter, 12);
    sha256Compress(block, state).forEach((word, w) => inner.writeUInt32BE(word, 4 * w));
    const hash = createHash('sha256').update(inner).digest();
    if (leLessOrEqual(hash, targetLE)) hits.push({ nonce: block.readUInt32LE(12), hash });
  }
  return hits;
}

/** a ≤ b for two 32-byte little-endian numbers. */
function leLessOrEqual(a: Buffer, b: Buffer): boolean {
  for (let i = 31; i >= 0; i--) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y;
  }
  return true;
}
