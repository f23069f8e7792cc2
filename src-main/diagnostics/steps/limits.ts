/** Voltage, power and temperature limits over the sensor samples of the hashing run. */
import type { SensorReadings } from '../../boards/control/board-control.js';
import { outcome, type StepContext, type StepOutcome } from './step-context.js';

export function limitsStep(ctx: StepContext, samples: SensorReadings[]): StepOutcome {
  const control = ctx.board.control;
  if (!control) return outcome('n/a', 'Limits not checked: this board has no control port.');
  if (samples.length === 0) return outcome('skipped', 'No sensor samples were taken during hashing.');
  const o = ctx.options;
  const max = (pick: (s: SensorReadings) => number | null) => extreme(samples.map(pick), Math.max);
  const min = (pick: (s: SensorReadings) => number | null) => extreme(samples.map(pick), Math.min);
  const asicMax = max((s) => s.asicTempC);
  const vrMax = max((s) => s.vrTempC);
  const powerMax = max((s) => s.powerW);
  const vinMin = min((s) => s.inputVoltageV);
  const vinMax = max((s) => s.inputVoltageV);
  const vcoreMin = min((s) => s.coreVoltageV);
  const vcoreMax = max((s) => s.coreVoltageV);
  const setpoint = control.coreVoltageSetpointV;
  const problems: string[] = [];
  if (asicMax !== null && asicMax > o.abortTempC) problems.push(`The ASIC reached ${asicMax.toFixed(1)} °C (limit ${o.abortTempC} °C).`);
  if (vrMax !== null && vrMax > o.maxVrTempC) problems.push(`The regulator reached ${vrMax.toFixed(1)} °C (limit ${o.maxVrTempC} °C).`);
  if (powerMax !== null && powerMax > o.powerLimitW) problems.push(`The board drew ${powerMax.toFixed(2)} W (limit ${o.powerLimitW} W).`);
  const vinTol = o.nominalInputV * o.inputVoltageTolerance;
  if (vinMin !== null && vinMin < o.nominalInputV - vinTol) problems.push(`The input voltage sagged to ${vinMin.toFixed(2)} V under load.`);
  if (vinMax !== null && vinMax > o.nominalInputV + vinTol) problems.push(`The input voltage rose to ${vinMax.toFixed(2)} V.`);
  if (setpoint !== null && vcoreMin !== null && vcoreMax !== null) {
    const tol = setpoint * o.coreVoltageTolerance;
    if (vcoreMin < setpoint - tol || vcoreMax > setpoint + tol) {
      problems.push(`The core voltage ranged ${vcoreMin.toFixed(3)}–${vcoreMax.toFixed(3)} V, outside ${setpoint.toFixed(3)} V ± ${o.coreVoltageTolerance * 100} %.`);
    }
  }
  const faults = [...new Set(samples.flatMap((s) => s.faults))];
  problems.push(...faults);
  const figures = {
    samples: samples.length,
    asicTempMaxC: asicMax,
    asicTempLimitC: o.abortTempC,
    vrTempMaxC: vrMax,
    powerMaxW: powerMax,
    powerLimitW: o.powerLimitW,
    inputVoltageMinV: vinMin,
    coreVoltageMinV: vcoreMin,
    coreVoltageMaxV: vcoreMax,
    coreVoltageSetpointV: setpoint,
  };
  if (problems.length > 0) return outcome('fail', problems.join(' '), figures);
  return outcome('pass', 'Voltage, power and temperatures stayed within limits.', figures);
}

function extreme(values: (number | null)[], pick: (...v: number[]) => number): number | null {
  const nums = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return nums.length === 0 ? null : pick(...nums);
}
