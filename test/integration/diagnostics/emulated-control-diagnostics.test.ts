/**
 * Diagnostics end to end on the control side: a fake (hashing) chain plus the real BitaxeControl
 * talking bitaxe-raw to the emulated control port, whose thermal model follows the test's clock.
 */
import { describe, expect, it } from 'vitest';
import { BitaxeControl } from '../../../src-main/boards/control/bitaxe-control.js';
import { ThermalGuard } from '../../../src-main/boards/control/thermal-guard.js';
import type { Clock } from '../../../src-main/diagnostics/clock.js';
import { runDiagnostics } from '../../../src-main/diagnostics/run-diagnostics.js';
import { EmulatedControlPort, type EmulatedControlPortOptions } from '../../../src-main/emulator/control/emulated-control-port.js';
import { fast, FakeBoard } from '../../unit/diagnostics/fake-board.js';

async function rig(portOptions: EmulatedControlPortOptions = {}) {
  const port = new EmulatedControlPort(portOptions);
  const board = new FakeBoard({ coresPerChip: 16 });
  const clock: Clock = {
    now: () => board.clock.now(),
    sleep: async (ms) => {
      await board.clock.sleep(ms);
      port.step(ms);
    },
  };
  const control = await BitaxeControl.open(port.hostStream, { timeoutMs: 500, sleep: (ms) => clock.sleep(ms), now: clock.now });
  await control.powerUp(1.2);
  const sendJob = board.sendJob.bind(board);
  const stopHashing = board.stopHashing.bind(board);
  Object.assign(board, {
    control,
    sendJob: async (...args: Parameters<typeof sendJob>) => {
      port.setHashing(true);
      return sendJob(...args);
    },
    stopHashing: async () => {
      port.setHashing(false);
      return stopHashing();
    },
  });
  return { port, board, clock, control };
}

describe('diagnostics over the emulated bitaxe-raw control port', () => {
  it('a healthy board passes with real sensor figures in the report', async () => {
    const { board, clock, control, port } = await rig();
    const report = await runDiagnostics(board, { ...fast(), clock });
    const byName = Object.fromEntries(report.steps.map((s) => [s.name, s]));
    expect(report.verdict, report.reasons.join('\n')).toBe('PASS');
    expect(report.board.controlParts).toEqual(['TPS546', 'INA260', 'EMC2101']);
    expect(byName.sensors!.status).toBe('pass');
    expect(byName.sensors!.figures.inputVoltageV).toBeCloseTo(5.0, 2);
    expect(byName.limits!.status).toBe('pass');
    expect(Number(byName.limits!.figures.powerMaxW)).toBeGreaterThan(10);
    expect(Number(byName.limits!.figures.powerMaxW)).toBeLessThanOrEqual(15);
    const safe = await control.leaveSafe();
    expect(safe.problems).toEqual([]);
    expect(port.resetHeld).toBe(true);
    expect(port.model.coreVoltageV).toBe(0);
  });

  it('a board that cannot shed heat fails, naming the temperature and limit', async () => {
    const { board, clock } = await rig({ thermal: { fanCoolingGain: 0, heatCapacityJPerC: 0.02 } });
    const report = await runDiagnostics(board, { ...fast(), clock });
    expect(report.verdict).toBe('FAIL');
    const hashing = report.steps.find((s) => s.name === 'hashing')!;
    expect(hashing.detail).toMatch(/The ASIC reached \d+\.\d °C, above the 70 °C test limit/);
  });

  it('a thermal guard on the emulated port stops hashing on overheat and resumes lower once cool', async () => {
    const { port, clock, control } = await rig({ thermal: { fanCoolingGain: 0.2, heatCapacityJPerC: 0.5 } });
    let frequencyMhz = 485;
    const events: string[] = [];
    const guard = new ThermalGuard(
      {
        setFanPercent: (p) => control.setFanPercent(p),
        stopHashing: (reason) => {
          port.setHashing(false);
          events.push(`stop ${reason}`);
        },
        resumeHashing: async (s) => {
          frequencyMhz = s.frequencyMhz;
          port.setFrequencyMhz(s.frequencyMhz);
          if (s.coreVoltageV !== null) await control.setCoreVoltageV(s.coreVoltageV);
          port.setHashing(true);
          events.push(`resume ${s.frequencyMhz} ${s.coreVoltageV}`);
        },
        currentSettings: () => ({ frequencyMhz, coreVoltageV: control.coreVoltageSetpointV }),
      },
      { overTempC: 75, resumeTempC: 55 },
    );
    port.setHashing(true);
    for (let i = 0; i < 120 && !events.some((e) => e.startsWith('resume')); i++) {
      await clock.sleep(1000);
      await guard.onReading((await control.readSensors()).asicTempC, clock.now());
    }
    expect(events[0]).toMatch(/^stop The ASIC reached \d\d\.\d °C, above the 75 °C limit, at 485 MHz and 1\.200 V\./);
    expect(events[1]).toBe('resume 460 1.18');
    expect(guard.overheats).toHaveLength(1);
    expect(port.model.frequencyMhz).toBe(460);
    expect(port.model.coreVoltageV).toBeCloseTo(1.18, 2);
  });
});
