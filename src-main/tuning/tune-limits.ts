/**
 * The limits a tuning run and a tuned board stay inside: chip and regulator temperature, board
 * power, the hardware-error rate, and the chip model's frequency and core-voltage range (from the
 * chip driver). Pure: a reading in, the broken limit as a sentence out.
 */
import type { ChipModel } from '@shared/chip-model.js';
import type { ChipLimits, TuneLimits, TuneOptions } from '@shared/contract';

/**
 * Below the thermal guard's 75 °C stop and near the 60 °C its fan control aims at; VR 85 °C as the
 * Bitaxe-Hashrate-Benchmark (diagnostics options); 1 % hardware errors as the board test allows.
 */
export const DEFAULT_MAX_ASIC_TEMP_C = 65;
export const DEFAULT_MAX_VR_TEMP_C = 85;
export const DEFAULT_MAX_HW_ERROR_FRACTION = 0.01;

/**
 * Power a single-chip board of the family is built for (ESP-Miner FamilyConfig max_power: Max and
 * Ultra 25 W, Supra and Gamma 40 W); a chain of N chips gets N times that unless told otherwise.
 */
export const MAX_POWER_PER_CHIP_W: Readonly<Record<ChipModel, number>> = { bm1397: 25, bm1366: 25, bm1368: 40, bm1370: 40 };

export function resolveTuneLimits(model: ChipModel, chipLimits: ChipLimits, chips: number, options: Partial<TuneOptions> = {}): TuneLimits {
  return {
    maxAsicTempC: options.maxAsicTempC ?? DEFAULT_MAX_ASIC_TEMP_C,
    maxVrTempC: options.maxVrTempC ?? DEFAULT_MAX_VR_TEMP_C,
    maxPowerW: options.maxPowerW ?? MAX_POWER_PER_CHIP_W[model] * Math.max(1, chips),
    maxHwErrorFraction: options.maxHwErrorPercent !== undefined ? options.maxHwErrorPercent / 100 : DEFAULT_MAX_HW_ERROR_FRACTION,
    minFrequencyMhz: chipLimits.minFrequencyMhz,
    maxFrequencyMhz: chipLimits.maxFrequencyMhz,
    minCoreVoltageMv: chipLimits.minCoreVoltageMv,
    maxCoreVoltageMv: chipLimits.maxCoreVoltageMv,
  };
}

export interface LimitReading {
  asicTempC: number | null;
  vrTempC: number | null;
  powerW: number | null;
}

/** The first sensor limit a reading breaks, as a sentence; null when it keeps them all. */
export function sensorLimitBroken(r: LimitReading, limits: TuneLimits): string | null {
  if (r.asicTempC !== null && r.asicTempC > limits.maxAsicTempC) return `The ASIC reached ${r.asicTempC.toFixed(1)} °C, above the ${limits.maxAsicTempC} °C limit.`;
  if (r.vrTempC !== null && r.vrTempC > limits.maxVrTempC) return `The voltage regulator reached ${r.vrTempC.toFixed(1)} °C, above the ${limits.maxVrTempC} °C limit.`;
  if (r.powerW !== null && r.powerW > limits.maxPowerW) return `The board drew ${r.powerW.toFixed(1)} W, above the ${limits.maxPowerW} W limit.`;
  return null;
}

/** The hardware-error limit as a sentence when broken (errors of judged nonces). */
export function hwErrorLimitBroken(hwErrors: number, judged: number, limits: TuneLimits): string | null {
  if (judged === 0) return null;
  const fraction = hwErrors / judged;
  if (fraction <= limits.maxHwErrorFraction) return null;
  return `${(fraction * 100).toFixed(1)} % of the nonces were hardware errors (${hwErrors} of ${judged}), above the ${(limits.maxHwErrorFraction * 100).toFixed(1)} % limit.`;
}
