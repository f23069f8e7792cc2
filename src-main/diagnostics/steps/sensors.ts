/**
 * Sensors with the fan at 100 %: plausible temperatures, fan tach, input voltage and core voltage.
 * Without a control port this is "not available", not a failure.
 */
import type { SensorReadings } from '../../boards/control/board-control.js';
import { isPlausibleTemperature } from '../../boards/control/thermal-guard.js';
import type { Clock } from '../clock.js';
import { outcome, type StepContext, type StepOutcome } from './step-context.js';

export async function sensorsStep(ctx: StepContext, clock: Clock): Promise<{ result: StepOutcome; readings: SensorReadings | null }> {
  const control = ctx.board.control;
  if (!control) return { readings: null, result: outcome('n/a', 'Sensors not available: this board has no control port.') };
  const o = ctx.options;
  const problems: string[] = [];
  try {
    await control.setFanPercent(100);
  } catch (err) {
    problems.push(`The fan could not be set to 100 %: ${(err as Error).message}.`);
  }
  await clock.sleep(o.fanSpinUpMs);
  let r: SensorReadings;
  try {
    r = await control.readSensors();
  } catch (err) {
    return { readings: null, result: outcome('fail', `Reading the sensors failed: ${(err as Error).message}.`) };
  }
  problems.push(...r.faults);
  // ESP-Miner also treats −1 and 127 as invalid readings (docs/features.md §(d)1 step 6).
  if (r.asicTempC !== null && (!isPlausibleTemperature(r.asicTempC) || r.asicTempC === -1 || r.asicTempC === 127)) {
    problems.push(`The ASIC temperature reads ${r.asicTempC} °C, which is not plausible.`);
  } else if (r.asicTempC === null && !r.faults.some((f) => /ASIC temperature/.test(f))) {
    problems.push('The board reports no ASIC temperature.');
  }
  if (r.vrTempC !== null && !isPlausibleTemperature(r.vrTempC)) problems.push(`The regulator temperature reads ${r.vrTempC} °C, which is not plausible.`);
  if (r.fanRpm !== null && r.fanRpm < o.minFanRpm) problems.push(`The fan turns at ${r.fanRpm} RPM at 100 %, below the ${o.minFanRpm} RPM minimum.`);
  if (r.inputVoltageV !== null && Math.abs(r.inputVoltageV - o.nominalInputV) > o.nominalInputV * o.inputVoltageTolerance) {
    problems.push(`The input voltage is ${r.inputVoltageV.toFixed(2)} V, outside ${o.nominalInputV} V ± ${o.inputVoltageTolerance * 100} %.`);
  }
  const setpoint = control.coreVoltageSetpointV;
  if (setpoint !== null && r.coreVoltageV !== null && Math.abs(r.coreVoltageV - setpoint) > setpoint * o.coreVoltageTolerance) {
    problems.push(`The core voltage is ${r.coreVoltageV.toFixed(3)} V, outside ${setpoint.toFixed(3)} V ± ${o.coreVoltageTolerance * 100} %.`);
  }
  const figures = {
    asicTempC: r.asicTempC,
    vrTempC: r.vrTempC,
    fanRpm: r.fanRpm,
    inputVoltageV: r.inputVoltageV,
    coreVoltageV: r.coreVoltageV,
    coreVoltageSetpointV: setpoint,
    powerW: r.powerW,
    parts: control.parts.join(', '),
  };
  if (problems.length > 0) return { readings: r, result: outcome('fail', problems.join(' '), figures) };
  return { readings: r, result: outcome('pass', `Sensors read plausibly (${control.parts.join(', ') || 'no parts named'}).`, figures) };
}
