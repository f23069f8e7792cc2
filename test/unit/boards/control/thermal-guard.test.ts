import { describe, expect, it } from 'vitest';
import { ThermalGuard, type OperatingSettings } from '../../../../src-main/boards/control/thermal-guard.js';
import { ThermalModel } from '../../../../src-main/emulator/control/thermal-model.js';

function rig(config = {}) {
  const calls: string[] = [];
  let settings: OperatingSettings = { frequencyMhz: 485, coreVoltageV: 1.2 };
  let fan = 100;
  const guard = new ThermalGuard(
    {
      setFanPercent: (p) => void (fan = p),
      stopHashing: (reason) => void calls.push(`stop: ${reason}`),
      resumeHashing: (s) => {
        settings = s;
        calls.push(`resume ${s.frequencyMhz} MHz ${s.coreVoltageV} V`);
      },
      currentSettings: () => settings,
    },
    config,
  );
  return { guard, calls, fan: () => fan, settings: () => settings };
}

describe('ThermalGuard', () => {
  it('PI: more fan when hotter, minimum fan when cool', async () => {
    const { guard, fan } = rig();
    await guard.onReading(40, 0);
    expect(fan()).toBe(20);
    await guard.onReading(62, 2000);
    const warm = fan();
    await guard.onReading(70, 4000);
    expect(fan()).toBeGreaterThan(warm);
    expect(fan()).toBeLessThanOrEqual(100);
  });

  it('over-temperature stops hashing, runs the fan flat out, records the settings, resumes lower once cool', async () => {
    const { guard, calls, fan, settings } = rig({ overTempC: 75, resumeTempC: 55 });
    expect((await guard.onReading(76.5, 1000)).event).toBe('overheat');
    expect(calls[0]).toMatch(/^stop: The ASIC reached 76\.5 °C, above the 75 °C limit, at 485 MHz and 1\.200 V/);
    expect(fan()).toBe(100);
    expect(guard.state).toBe('cooling');
    expect(guard.overheats).toEqual([{ atMs: 1000, tempC: 76.5, settings: { frequencyMhz: 485, coreVoltageV: 1.2 } }]);
    expect((await guard.onReading(60, 3000)).event).toBe('none');
    expect(fan()).toBe(100);
    expect((await guard.onReading(54, 5000)).event).toBe('resume');
    expect(calls[1]).toBe('resume 460 MHz 1.18 V');
    expect(settings()).toEqual({ frequencyMhz: 460, coreVoltageV: 1.18 });
    expect(guard.state).toBe('regulating');
  });

  it('halts after repeated overheats instead of cycling forever', async () => {
    const { guard } = rig({ maxOverheats: 2 });
    await guard.onReading(80, 0);
    await guard.onReading(50, 1);
    expect((await guard.onReading(80, 2)).event).toBe('halt');
    expect((await guard.onReading(30, 3)).event).toBe('none');
    expect(guard.state).toBe('halted');
    expect(guard.stopReason).toMatch(/overheated 2 times/);
  });

  it('three implausible readings in a row fail safe; fewer do not', async () => {
    const { guard, calls, fan } = rig();
    await guard.onReading(Number.NaN, 0);
    expect(fan()).toBe(100);
    await guard.onReading(-40, 1);
    await guard.onReading(55, 2);
    expect(calls).toEqual([]);
    await guard.onReading(null, 3);
    await guard.onReading(151, 4);
    const d = await guard.onReading(Number.NaN, 5);
    expect(d.event).toBe('sensor-fault');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/implausible 3 times in a row \(last: NaN\)/);
    expect((await guard.onReading(50, 6)).state).toBe('sensor-fault'); // latched
    guard.reset();
    expect(guard.state).toBe('regulating');
  });

  it('callback failures are reported, never thrown', async () => {
    const guard = new ThermalGuard({
      setFanPercent: () => {
        throw new Error('i2c gone');
      },
      stopHashing: () => undefined,
      resumeHashing: () => undefined,
      currentSettings: () => ({ frequencyMhz: 485, coreVoltageV: null }),
    });
    const d = await guard.onReading(50, 0);
    expect(d.problems).toEqual(['setFanPercent failed: i2c gone']);
  });

  it('refuses inconsistent thresholds', () => {
    expect(() => rig({ resumeTempC: 80, overTempC: 75 })).toThrow(/resumeTempC/);
  });

  it('closed loop with the emulator thermal model: holds near target, never trips', async () => {
    const model = new ThermalModel();
    model.coreVoltageV = 1.2;
    model.resetHeld = false;
    model.hashing = true;
    const stops: string[] = [];
    const guard = new ThermalGuard(
      {
        setFanPercent: (p) => void (model.fanFraction = p / 100),
        stopHashing: (r) => void stops.push(r),
        resumeHashing: () => undefined,
        currentSettings: () => ({ frequencyMhz: model.frequencyMhz, coreVoltageV: model.coreVoltageV }),
      },
      { targetTempC: 65 },
    );
    model.fanFraction = 0.2;
    let maxC = 0;
    for (let t = 0; t <= 1_800_000; t += 2000) {
      model.step(2000);
      maxC = Math.max(maxC, model.asicTempC);
      await guard.onReading(model.asicTempC, t);
    }
    expect(stops).toEqual([]);
    expect(maxC).toBeLessThan(75);
    expect(Math.abs(model.asicTempC - 65)).toBeLessThan(2);
    expect(model.fanFraction).toBeGreaterThan(0.2);
    expect(model.fanFraction).toBeLessThan(1);
  });
});
