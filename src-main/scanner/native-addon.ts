/**
 * Loader for the optional native addon built from native/ (`npm run build:native`). Absent addon →
 * null, and callers fall back to TypeScript (scanner) or socat (PTY). Set HASHDECK_NATIVE_ADDON to
 * an explicit .node path (packaged app), or HASHDECK_NO_NATIVE=1 to force the fallbacks.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type NativeScanImpl = 'auto' | 'scalar' | 'sha-ni';

export interface NativeAddon {
  scan(header80: Buffer, start: number, count: number, targetLE: Buffer, maxResults: number, chipOrder: boolean, impl?: NativeScanImpl): Array<{ nonce: number; hash: Buffer }>;
  scanMidstate(
    midstate32: Buffer,
    tail12: Buffer,
    start: number,
    count: number,
    targetLE: Buffer,
    maxResults: number,
    chipOrder: boolean,
    impl?: NativeScanImpl,
  ): Array<{ nonce: number; hash: Buffer }>;
  kind(): 'sha-ni' | 'scalar';
  openpty(): { masterFd: number; slaveFd: number; slavePath: string };
  closeFd(fd: number): void;
  /** Exclusive advisory lock on an open file (flock / LockFileEx); false when another holder has it. */
  tryLock(fd: number): boolean;
}

const ADDON_RELATIVE = join('native', 'build', 'Release', 'hashdeck_native.node');

let cached: NativeAddon | null | undefined;
let loadError: string | undefined;

/** The addon, or null when it is not built / cannot load on this machine (see nativeAddonError()). */
export function loadNativeAddon(): NativeAddon | null {
  if (cached !== undefined) return cached;
  cached = null;
  if (process.env.HASHDECK_NO_NATIVE === '1') {
    loadError = 'disabled by HASHDECK_NO_NATIVE=1';
    return cached;
  }
  const path = findAddonPath();
  if (!path) {
    loadError = `${ADDON_RELATIVE} not found (run npm run build:native)`;
    return cached;
  }
  try {
    const require = createRequire(import.meta.url);
    cached = require(path) as NativeAddon;
  } catch (err) {
    loadError = `could not load ${path}: ${(err as Error).message}`;
  }
  return cached;
}

/** Why the addon is not in use (undefined when it loaded). */
export function nativeAddonError(): string | undefined {
  loadNativeAddon();
  return loadError;
}

function findAddonPath(): string | undefined {
  const explicit = process.env.HASHDECK_NATIVE_ADDON;
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  // Walk up from this module (src-main/scanner in source, out/main when bundled) to the project root.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, ADDON_RELATIVE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}
