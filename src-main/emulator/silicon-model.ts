/**
 * How an emulated chip copes with its frequency and core voltage: the emulator's own model, a
 * plausible shape and not a measurement of silicon. Power already follows f·V² in the thermal
 * model (control/thermal-model.ts); here a chip is stable up to 12 % above its model's default
 * frequency at the default core voltage, that limit moves twice as fast as the voltage (in
 * relative terms), and above it a share of the nonces come back wrong: 5 % as soon as it is
 * crossed, 3 % more per 1 % of overclock, at most 60 %. Too little voltage for the frequency thus
 * shows as hardware errors, as on real chips.
 */
import type { ChipLimits } from '@shared/contract';

const STABLE_MARGIN = 1.12;
const VOLTAGE_SENSITIVITY = 2;
const FIRST_ERROR_FRACTION = 0.05;
const ERRORS_PER_OVERCLOCK = 3;
const MAX_ERROR_FRACTION = 0.6;

/** The highest frequency the emulated chip hashes cleanly at this core voltage. */
export function maxStableFrequencyMhz(limits: ChipLimits, coreVoltageV: number): number {
  const nominalV = limits.defaultCoreVoltageMv / 1000;
  return limits.defaultFrequencyMhz * STABLE_MARGIN * (1 + (VOLTAGE_SENSITIVITY * (coreVoltageV - nominalV)) / nominalV);
}

/** Share of nonces (0..1) the emulated chip returns wrong at this frequency and core voltage. */
export function hwErrorFraction(limits: ChipLimits, frequencyMhz: number, coreVoltageV: number): number {
  if (!(coreVoltageV > 0) || !(frequencyMhz > 0)) return 0;
  const stable = maxStableFrequencyMhz(limits, coreVoltageV);
  if (frequencyMhz <= stable) return 0;
  const overclock = (frequencyMhz - stable) / stable;
  return Math.min(MAX_ERROR_FRACTION, FIRST_ERROR_FRACTION + ERRORS_PER_OVERCLOCK * overclock);
}
