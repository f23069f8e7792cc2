/**
 * PLL0 (register 0x08) divider search and encoding (docs/bm13xx-protocol.md §3.5).
 * f = 25 MHz · FBDIV / (REFDIV · POSTDIV1 · POSTDIV2).
 */
import type { ChipModel } from '@shared/chip-model.js';

export const CRYSTAL_MHZ = 25;

export interface PllSettings {
  fbDiv: number;
  refDiv: number;
  postDiv1: number;
  postDiv2: number;
  /** Resulting hash frequency. */
  frequencyMhz: number;
  /** 25 · FBDIV / REFDIV. */
  vcoMhz: number;
}

/** FBDIV range ESP-Miner allows per model (§3.5). */
export const FBDIV_RANGE: Record<ChipModel, { min: number; max: number }> = {
  bm1366: { min: 144, max: 235 },
  bm1368: { min: 144, max: 235 },
  bm1370: { min: 160, max: 239 },
  bm1397: { min: 60, max: 200 },
};

const EPS = 1e-9;

/**
 * ESP-Miner's search: REFDIV ∈ {2,1}, POSTDIV1 > POSTDIV2 in 7..1, FBDIV = round(target/25 · REF·PD1·PD2)
 * inside the range; smallest |error|, then lowest VCO, then lowest PD1·PD2.
 */
export function pllSettingsFor(targetMhz: number, range: { min: number; max: number }): PllSettings {
  if (!Number.isFinite(targetMhz) || targetMhz <= 0) throw new RangeError(`frequency must be a positive number of MHz, got ${targetMhz}`);
  let best: PllSettings | null = null;
  let bestError = Infinity;
  for (const refDiv of [2, 1]) {
    for (let postDiv1 = 7; postDiv1 >= 1; postDiv1--) {
      for (let postDiv2 = postDiv1 - 1; postDiv2 >= 1; postDiv2--) {
        const div = refDiv * postDiv1 * postDiv2;
        const fbDiv = Math.round((targetMhz / CRYSTAL_MHZ) * div);
        if (fbDiv < range.min || fbDiv > range.max) continue;
        const frequencyMhz = (CRYSTAL_MHZ * fbDiv) / div;
        const vcoMhz = (CRYSTAL_MHZ * fbDiv) / refDiv;
        const error = Math.abs(frequencyMhz - targetMhz);
        const better =
          best === null ||
          error < bestError - EPS ||
          (Math.abs(error - bestError) <= EPS && (vcoMhz < best.vcoMhz - EPS || (Math.abs(vcoMhz - best.vcoMhz) <= EPS && postDiv1 * postDiv2 < best.postDiv1 * best.postDiv2)));
        if (better) {
          best = { fbDiv, refDiv, postDiv1, postDiv2, frequencyMhz, vcoMhz };
          bestError = error;
        }
      }
    }
  }
  if (!best) throw new RangeError(`no PLL setting reaches ${targetMhz} MHz with FBDIV ${range.min}..${range.max}`);
  return best;
}

export function pllSettingsForModel(model: ChipModel, targetMhz: number): PllSettings {
  return pllSettingsFor(targetMhz, FBDIV_RANGE[model]);
}

/**
 * Register 0x08 value, bytes in wire order: VCO flag · FBDIV · REFDIV · post-dividers.
 * BM1366/68/70: flag 0x50 when VCO ≥ 2400 MHz else 0x40; post byte ((PD1−1)<<4)|(PD2−1).
 * BM1397: flag always 0x40; post byte (PD1<<4)|PD2 (no minus one).
 */
export function encodePllRegister(model: ChipModel, s: Pick<PllSettings, 'fbDiv' | 'refDiv' | 'postDiv1' | 'postDiv2'>): number {
  const is1397 = model === 'bm1397';
  const vco = (CRYSTAL_MHZ * s.fbDiv) / s.refDiv;
  const flag = !is1397 && vco >= 2400 ? 0x50 : 0x40;
  const post = is1397 ? (s.postDiv1 << 4) | s.postDiv2 : ((s.postDiv1 - 1) << 4) | (s.postDiv2 - 1);
  return ((flag << 24) | (s.fbDiv << 16) | (s.refDiv << 8) | post) >>> 0;
}

/** Decode a register 0x08 value (the VCO flag is ignored). */
export function decodePllRegister(model: ChipModel, value: number): PllSettings {
  const fbDiv = (value >>> 16) & 0xff;
  const refDiv = (value >>> 8) & 0xff;
  const post = value & 0xff;
  const is1397 = model === 'bm1397';
  const postDiv1 = is1397 ? post >>> 4 : (post >>> 4) + 1;
  const postDiv2 = is1397 ? post & 0x0f : (post & 0x0f) + 1;
  if (refDiv === 0 || postDiv1 === 0 || postDiv2 === 0) throw new RangeError(`0x${value.toString(16)} is not a valid PLL register value (zero divider)`);
  return {
    fbDiv,
    refDiv,
    postDiv1,
    postDiv2,
    frequencyMhz: (CRYSTAL_MHZ * fbDiv) / (refDiv * postDiv1 * postDiv2),
    vcoMhz: (CRYSTAL_MHZ * fbDiv) / refDiv,
  };
}

export function frequencyFromPllRegister(model: ChipModel, value: number): number {
  return decodePllRegister(model, value).frequencyMhz;
}

/** Step of ESP-Miner's frequency ramp (§3.2 step 13). */
export const RAMP_STEP_MHZ = 6.25;
/** Frequency the chips run at after reset, where ESP-Miner's ramp starts. */
export const RESET_FREQUENCY_MHZ = 50;

/**
 * Frequencies written when moving from → to: every multiple of 6.25 MHz strictly between them in
 * the direction of travel, then the exact target. 50 → 485 gives 70 steps, 56.25 … 481.25, 485.
 */
export function frequencyRamp(fromMhz: number, toMhz: number): number[] {
  if (!Number.isFinite(fromMhz) || !Number.isFinite(toMhz) || fromMhz <= 0 || toMhz <= 0) {
    throw new RangeError(`ramp frequencies must be positive, got ${fromMhz} → ${toMhz}`);
  }
  const steps: number[] = [];
  if (Math.abs(toMhz - fromMhz) < EPS) return [toMhz];
  const up = toMhz > fromMhz;
  let k = up ? Math.floor(fromMhz / RAMP_STEP_MHZ + EPS) + 1 : Math.ceil(fromMhz / RAMP_STEP_MHZ - EPS) - 1;
  for (;;) {
    const f = k * RAMP_STEP_MHZ;
    if (up ? f >= toMhz - EPS : f <= toMhz + EPS) break;
    steps.push(f);
    k += up ? 1 : -1;
  }
  steps.push(toMhz);
  return steps;
}
