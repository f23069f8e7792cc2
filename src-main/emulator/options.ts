/**
 * Options of a virtual chip chain (docs/design.md §2). Every field has a default so that
 * `new VirtualChain({})` is a one-chip BM1366 board at the documented difficulty scale.
 */
import { isChipModel, type ChipModel } from '@shared/chip-model.js';
import type { ScannerKind } from '../scanner/scan-types.js';

export interface EmulatorOptions {
  model?: ChipModel;
  /** Chips on the chain (1..256). */
  chips?: number;
  /**
   * Difficulty scale K (0..32): nonces are returned at ticket difficulty × 2^-K so that shares arrive
   * within seconds at emulator hash rates. Hash counters (0x8C…) count in the same scaled unit.
   */
  scaleBits?: number;
  /** Real hashes per second for the whole chain (cap; the scanner may be slower). */
  hashRateHs?: number;
  /** Chip indices that are absent: they never answer, take no address and never hash. */
  missingChips?: number[];
  /** Core ids (on every chip) that never return nonces. */
  deadCores?: number[];
  /** Probability (0..1) that random garbage bytes precede a response frame. */
  noiseRate?: number;
  /** 'worker' (default): hash in a worker thread at the capped rate. 'inline': only when runHashes() is called (tests). */
  hashing?: 'worker' | 'inline';
  /** Force a scanner implementation (default: the best available). */
  scanner?: ScannerKind;
  /** Keep at most this many log lines (the init log is at the start; later lines are counted, not kept). */
  logLimit?: number;
}

export interface ResolvedEmulatorOptions {
  model: ChipModel;
  chips: number;
  scaleBits: number;
  hashRateHs: number;
  missingChips: ReadonlySet<number>;
  deadCores: ReadonlySet<number>;
  noiseRate: number;
  hashing: 'worker' | 'inline';
  scanner: ScannerKind | undefined;
  logLimit: number;
}

export const DEFAULT_SCALE_BITS = 24;
export const DEFAULT_HASH_RATE_HS = 1_500_000;

export class EmulatorOptionsError extends Error {
  override name = 'EmulatorOptionsError';
}

export function resolveEmulatorOptions(opts: EmulatorOptions = {}): ResolvedEmulatorOptions {
  const model = opts.model ?? 'bm1366';
  if (!isChipModel(model)) throw new EmulatorOptionsError(`unknown chip model "${String(model)}" (expected bm1366, bm1368, bm1370 or bm1397)`);
  const chips = opts.chips ?? 1;
  if (!Number.isInteger(chips) || chips < 1 || chips > 256) throw new EmulatorOptionsError(`chips must be an integer from 1 to 256, got ${chips}`);
  const scaleBits = opts.scaleBits ?? DEFAULT_SCALE_BITS;
  if (!Number.isInteger(scaleBits) || scaleBits < 0 || scaleBits > 32) throw new EmulatorOptionsError(`scale bits must be an integer from 0 to 32, got ${scaleBits}`);
  const hashRateHs = opts.hashRateHs ?? DEFAULT_HASH_RATE_HS;
  if (!Number.isFinite(hashRateHs) || hashRateHs <= 0) throw new EmulatorOptionsError(`hash rate must be a positive number of H/s, got ${hashRateHs}`);
  const noiseRate = opts.noiseRate ?? 0;
  if (!(noiseRate >= 0 && noiseRate <= 1)) throw new EmulatorOptionsError(`noise rate must be between 0 and 1, got ${noiseRate}`);
  for (const i of opts.missingChips ?? []) {
    if (!Number.isInteger(i) || i < 0 || i >= chips) throw new EmulatorOptionsError(`missing chip index ${i} is not on a ${chips}-chip chain`);
  }
  for (const c of opts.deadCores ?? []) {
    if (!Number.isInteger(c) || c < 0 || c > 127) throw new EmulatorOptionsError(`dead core id must be 0..127, got ${c}`);
  }
  const hashing = opts.hashing ?? 'worker';
  if (hashing !== 'worker' && hashing !== 'inline') throw new EmulatorOptionsError(`hashing must be 'worker' or 'inline', got ${String(hashing)}`);
  return {
    model,
    chips,
    scaleBits,
    hashRateHs,
    missingChips: new Set(opts.missingChips ?? []),
    deadCores: new Set(opts.deadCores ?? []),
    noiseRate,
    hashing,
    scanner: opts.scanner,
    logLimit: opts.logLimit ?? 20_000,
  };
}
