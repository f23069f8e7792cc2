/**
 * HASH_COUNTING_NUMBER (register 0x10): the nonce-sweep deadline in 25 MHz crystal ticks
 * (docs/bm13xx-protocol.md §3.6). hcn = 2^32 / nextpow2(cores) / nextpow2(chips) · 25 / f · 0.5,
 * truncated; the BM1370 subtracts 268 (ESP-Miner's errata of 134 per clock, twice).
 */
import type { ChipModel } from '@shared/chip-model.js';

export function nextPowerOfTwo(n: number): number {
  if (!Number.isFinite(n) || n <= 1) return 1;
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Big cores per model (§3.8), the HCN's core count. */
export const CORES_PER_CHIP: Record<ChipModel, number> = { bm1366: 112, bm1368: 80, bm1370: 128, bm1397: 168 };

const BM1370_ERRATA = 268;

export function hashCountingNumber(model: ChipModel, frequencyMhz: number, chipCount: number): number {
  if (!Number.isFinite(frequencyMhz) || frequencyMhz <= 0) throw new RangeError(`frequency must be positive, got ${frequencyMhz}`);
  if (!Number.isInteger(chipCount) || chipCount < 1) throw new RangeError(`chip count must be a positive integer, got ${chipCount}`);
  const perChip = 2 ** 32 / nextPowerOfTwo(CORES_PER_CHIP[model]) / nextPowerOfTwo(chipCount);
  let hcn = Math.trunc(((perChip * 25) / frequencyMhz) * 0.5);
  if (model === 'bm1370') hcn -= BM1370_ERRATA;
  return Math.max(0, Math.min(hcn, 0xffffffff));
}

/**
 * ESP-Miner's sweep timeout (`calculate_bm_timeout_ms`, §8.10): the time the cores need to try every
 * nonce for every version slot. midstates = nextpow2(smallCores) / nextpow2(cores); versions per
 * core = versionSize / midstates; nonces per core = 2^32 / nextpow2(cores) / nextpow2(chips).
 * 0 chips → 500 ms default.
 */
export function sweepTimeoutMs(opts: { frequencyMhz: number; chipCount: number; smallCores: number; cores: number; versionSize: number; fraction: number }): number {
  if (opts.chipCount <= 0 || !(opts.frequencyMhz > 0)) return 500;
  const midstates = nextPowerOfTwo(opts.smallCores) / nextPowerOfTwo(opts.cores);
  const versionsPerCore = opts.versionSize / midstates;
  const noncesPerCore = 2 ** 32 / nextPowerOfTwo(opts.cores) / nextPowerOfTwo(opts.chipCount);
  return ((versionsPerCore * noncesPerCore) / (opts.frequencyMhz * 1000)) * opts.fraction;
}
