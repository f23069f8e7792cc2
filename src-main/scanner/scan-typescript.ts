/**
 * Pure TypeScript nonce scanner: node:crypto SHA-256d per nonce. The fallback when the native addon
 * is not built, and the reference the native paths are tested against.
 */
import { createHash } from 'node:crypto';
import type { NonceOrder, ScanHit } from './scan-types.js';

export function scanTypescript(
  header80: Buffer,
  start: number,
  count: number,
  targetLE: Buffer,
  maxResults: number,
  order: NonceOrder,
): ScanHit[] {
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

/** a ≤ b for two 32-byte little-endian numbers. */
function leLessOrEqual(a: Buffer, b: Buffer): boolean {
  for (let i = 31; i >= 0; i--) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y;
  }
  return true;
}
