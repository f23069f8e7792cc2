/**
 * A lumped thermal model of one Bitaxe-class board for the emulator: the ASIC is one heat capacity
 * fed by its power and cooled through a thermal resistance that the fan lowers.
 *
 *   C · dT/dt = P − (T − T_ambient) / R(fan),   R(fan) = R_still / (1 + gain · fan)
 *   P = k · f · V²  while hashing (dynamic power ∝ f·V²), idle leakage · V² otherwise, 0 with VCORE off.
 *
 * For constant P over a step the exact solution is used, so large steps are as stable as small ones.
 * The defaults are chosen so that a BM1366 at 485 MHz / 1.2 V draws ≈ 12 W (the Ultra's power
 * target, docs/features.md §(d)1 step 12), settles near 60 °C at full fan and overheats (> 75 °C) with the
 * fan stopped. They are a plausible shape, not a measurement of real hardware.
 */

export interface ThermalModelParams {
  ambientC: number;
  heatCapacityJPerC: number;
  stillAirCPerW: number;
  fanCoolingGain: number;
  wattsPerMhzV2: number;
  idleWattsPerV2: number;
  /** Board electronics other than the ASIC, drawn from the input whenever it is powered. */
  boardOverheadW: number;
  regulatorEfficiency: number;
  inputVoltageV: number;
  maxFanRpm: number;
  /** The regulator's own temperature rise per watt it delivers. */
  regulatorCPerW: number;
}

export const DEFAULT_THERMAL_PARAMS: ThermalModelParams = {
  ambientC: 25,
  heatCapacityJPerC: 6,
  stillAirCPerW: 8,
  fanCoolingGain: 1.8,
  wattsPerMhzV2: 0.0172,
  idleWattsPerV2: 0.8,
  boardOverheadW: 1.5,
  regulatorEfficiency: 0.9,
  inputVoltageV: 5.0,
  maxFanRpm: 6000,
  regulatorCPerW: 2.5,
};

export class ThermalModel {
  readonly params: ThermalModelParams;
  asicTempC: number;
  coreVoltageV = 0;
  frequencyMhz: number;
  hashing = false;
  resetHeld = true;
  /** 0..1 */
  fanFraction = 1;
  elapsedMs = 0;

  constructor(params: Partial<ThermalModelParams> = {}, initialFrequencyMhz = 485) {
    this.params = { ...DEFAULT_THERMAL_PARAMS, ...params };
    this.asicTempC = this.params.ambientC;
    this.frequencyMhz = initialFrequencyMhz;
  }

  /** ASIC power in W from the current state. */
  asicPowerW(): number {
    const v = this.coreVoltageV;
    if (v <= 0) return 0;
    if (this.hashing && !this.resetHeld) return this.params.wattsPerMhzV2 * this.frequencyMhz * v * v;
    return this.params.idleWattsPerV2 * v * v;
  }

  /** Power drawn at the board input (what an INA260 sees). */
  inputPowerW(): number {
    return this.asicPowerW() / this.params.regulatorEfficiency + this.params.boardOverheadW;
  }

  inputCurrentA(): number {
    return this.inputPowerW() / this.params.inputVoltageV;
  }

  coreCurrentA(): number {
    return this.coreVoltageV > 0 ? this.asicPowerW() / this.coreVoltageV : 0;
  }

  regulatorTempC(): number {
    return this.params.ambientC + 5 + this.params.regulatorCPerW * this.asicPowerW() * (1 - 0.5 * this.fanFraction);
  }

  fanRpm(): number {
    return Math.round(this.fanFraction * this.params.maxFanRpm);
  }

  thermalResistanceCPerW(): number {
    return this.params.stillAirCPerW / (1 + this.params.fanCoolingGain * this.fanFraction);
  }

  /** Temperature the ASIC tends to under the present conditions. */
  steadyStateC(): number {
    return this.params.ambientC + this.asicPowerW() * this.thermalResistanceCPerW();
  }

  step(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`step must be a non-negative time, got ${ms}`);
    const tauS = this.thermalResistanceCPerW() * this.params.heatCapacityJPerC;
    const target = this.steadyStateC();
    this.asicTempC = target + (this.asicTempC - target) * Math.exp(-ms / 1000 / tauS);
    this.elapsedMs += ms;
  }
}
