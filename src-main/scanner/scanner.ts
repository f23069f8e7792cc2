/**
 * SHA-256d nonce scanner: hashes an 80-byte header over a nonce range and returns the nonces whose
 * hash meets a target (exact 256-bit comparison). Native addon (SHA-NI or scalar, midstate reused)
 * when built, else TypeScript. Used by the emulator's hashing worker and by benchmarks.
 */
import { loadNativeAddon, type NativeAddon } from './native-addon.js';
import { scanMidstateTypescript, scanTypescript } from './scan-typescript.js';
import type { NonceOrder, ScanHit, ScannerKind } from './scan-types.js';

export type { NonceOrder, ScanHit, ScannerKind } from './scan-types.js';

export interface ScanOptions {
  order?: NonceOrder;
  /** Force an implementation (tests, benchmarks); default: the best available. */
  implementation?: ScannerKind;
}

const MAX_TARGET = (1n << 256n) - 1n;
export const MAX_SCAN_RESULTS = 1 << 20;

/** The implementation `scan` uses by default on this machine. */
export function scannerKind(): ScannerKind {
  const addon = loadNativeAddon();
  if (!addon) return 'typescript';
  return addon.kind() === 'sha-ni' ? 'native-sha-ni' : 'native-scalar';
}

/** Every implementation usable here (the TypeScript one always is). */
export function availableScannerKinds(): ScannerKind[] {
  const addon = loadNativeAddon();
  if (!addon) return ['typescript'];
  return addon.kind() === 'sha-ni' ? ['native-sha-ni', 'native-scalar', 'typescript'] : ['native-scalar', 'typescript'];
}

/**
 * Hash `header80` (its nonce field is ignored) for nonces [startNonce, startNonce + count) — modulo
 * 2^32, in `options.order` — and return up to `maxResults` hits with hash ≤ target, in scan order.
 */
export function scan(header80: Buffer, startNonce: number, count: number, target: bigint, maxResults = 64, options: ScanOptions = {}): ScanHit[] {
  if (!Buffer.isBuffer(header80) || header80.length !== 80) throw new RangeError(`header80 must be an 80-byte Buffer, got ${describe(header80)}`);
  const { targetLE, kind, order } = checkCommon(startNonce, count, target, maxResults, options);
  if (count === 0) return [];
  if (kind === 'typescript') return scanTypescript(header80, startNonce, count, targetLE, maxResults, order);
  const addon = nativeFor(kind);
  return addon.scan(header80, startNonce, count, targetLE, maxResults, order === 'chip', kind === 'native-sha-ni' ? 'sha-ni' : 'scalar');
}

/**
 * The same scan from a SHA-256 midstate (state after header bytes 0..63 as 32 bytes, words BE: a
 * BM1397 host midstate) and header bytes 64..75 (merkle root tail, ntime, nbits).
 */
export function scanMidstate(midstate32: Buffer, tail12: Buffer, startNonce: number, count: number, target: bigint, maxResults = 64, options: ScanOptions = {}): ScanHit[] {
  if (!Buffer.isBuffer(midstate32) || midstate32.length !== 32) throw new RangeError(`midstate must be a 32-byte Buffer, got ${describe(midstate32)}`);
  if (!Buffer.isBuffer(tail12) || tail12.length !== 12) throw new RangeError(`tail12 must be a 12-byte Buffer, got ${describe(tail12)}`);
  const { targetLE, kind, order } = checkCommon(startNonce, count, target, maxResults, options);
  if (count === 0) return [];
  if (kind === 'typescript') return scanMidstateTypescript(midstate32, tail12, startNonce, count, targetLE, maxResults, order);
  const addon = nativeFor(kind);
  return addon.scanMidstate(midstate32, tail12, startNonce, count, targetLE, maxResults, order === 'chip', kind === 'native-sha-ni' ? 'sha-ni' : 'scalar');
}

function checkCommon(startNonce: number, count: number, target: bigint, maxResults: number, options: ScanOptions): { targetLE: Buffer; kind: ScannerKind; order: NonceOrder } {
  if (!Number.isInteger(startNonce) || startNonce < 0 || startNonce > 0xffffffff) throw new RangeError(`startNonce must be an integer in [0, 2^32), got ${startNonce}`);
  if (!Number.isInteger(count) || count < 0 || count > 2 ** 32) throw new RangeError(`count must be an integer in [0, 2^32], got ${count}`);
  if (typeof target !== 'bigint' || target < 0n) throw new RangeError('target must be a non-negative bigint');
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_SCAN_RESULTS) throw new RangeError(`maxResults must be an integer in [1, ${MAX_SCAN_RESULTS}], got ${maxResults}`);
  const order = options.order ?? 'header';
  if (order !== 'header' && order !== 'chip') throw new RangeError(`order must be 'header' or 'chip', got ${String(order)}`);
  return { targetLE: targetToLE(target > MAX_TARGET ? MAX_TARGET : target), kind: options.implementation ?? scannerKind(), order };
}

function nativeFor(kind: ScannerKind): NativeAddon {
  const addon = loadNativeAddon();
  if (!addon) throw new Error(`scanner implementation ${kind} is not available (native addon not built)`);
  if (kind === 'native-sha-ni' && addon.kind() !== 'sha-ni') throw new Error('scanner implementation native-sha-ni is not available on this CPU');
  return addon;
}

/** A 256-bit target as 32 little-endian bytes (the byte order of a hash in internal order). */
export function targetToLE(target: bigint): Buffer {
  const out = Buffer.alloc(32);
  let t = target;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(t & 0xffn);
    t >>= 8n;
  }
  return out;
}

function describe(v: unknown): string {
  if (Buffer.isBuffer(v)) return `${v.length} bytes`;
  return typeof v;
}
