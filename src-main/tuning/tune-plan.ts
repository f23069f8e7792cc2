/**
 * Which step a tuning run measures next. Core voltage goes up from the bottom of the model's range;
 * at each voltage the frequency climbs from where the lower voltage stopped, until a step gives too
 * many hardware errors (then the next voltage tries that frequency again) or breaks a sensor limit
 * (temperature, power: then the search ends, since more voltage or frequency only adds heat).
 * Pure: the run reports each verdict and asks for the next step.
 */
import type { OperatingPoint, TuneLimits } from '@shared/contract';

export interface TunePlanOptions {
  limits: TuneLimits;
  frequencyStepMhz: number;
  voltageStepMv: number;
  /** False: the core voltage stays as it is (no host-settable regulator); only frequency is searched. */
  voltageSettable: boolean;
}

export type StepVerdict = 'ok' | 'hw-errors' | 'limit';

export const DEFAULT_FREQUENCY_STEP_MHZ = 25;
export const DEFAULT_VOLTAGE_STEP_MV = 50;

/** Values from `min` to `max` in `step`s, `max` included. */
function grid(min: number, max: number, step: number): number[] {
  const out: number[] = [];
  for (let v = min; v < max - 1e-9; v += step) out.push(Math.round(v * 100) / 100);
  out.push(max);
  return out;
}

export class TunePlanner {
  private readonly voltages: (number | null)[];
  private readonly frequencies: number[];
  private vi = 0;
  private fi = 0;
  private done = false;

  constructor(options: TunePlanOptions) {
    const l = options.limits;
    this.voltages = options.voltageSettable ? grid(l.minCoreVoltageMv, l.maxCoreVoltageMv, options.voltageStepMv) : [null];
    this.frequencies = grid(l.minFrequencyMhz, l.maxFrequencyMhz, options.frequencyStepMhz);
  }

  /** Steps at most (every voltage with every frequency would be more; the search stops well before). */
  get maxSteps(): number {
    return this.voltages.length + this.frequencies.length - 1;
  }

  next(): OperatingPoint | null {
    if (this.done) return null;
    return { frequencyMhz: this.frequencies[this.fi]!, coreVoltageMv: this.voltages[this.vi]! };
  }

  report(verdict: StepVerdict): void {
    if (this.done) return;
    if (verdict === 'limit') {
      this.done = true;
      return;
    }
    if (verdict === 'ok') {
      if (this.fi + 1 < this.frequencies.length) {
        this.fi++;
        return;
      }
      // The top frequency held at this voltage: more voltage cannot add hashrate.
      this.done = true;
      return;
    }
    // Too many errors: the next voltage tries this frequency again.
    if (this.vi + 1 < this.voltages.length) this.vi++;
    else this.done = true;
  }
}
