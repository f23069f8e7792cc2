/**
 * Tuning runs in the engine against the emulator's models: power from f·V² (thermal model), hardware
 * errors when the frequency is too high for the core voltage (silicon-model.ts), and temperatures
 * that answer the fan. Every figure is the emulator's model and labelled so.
 *
 * Speed-up: the thermal model runs 20 model seconds per wall second; a step settles 1 s and is
 * measured 2 s (60 model seconds, over three time constants of the ASIC at full fan). The thermal
 * guard's fan control integrates over wall-clock seconds, so its integral gain is scaled by the same
 * 20 (0.2 → 4) to regulate the model as it would at real speed. The board runs at a difficulty scale
 * of 2^-28 so that a step sees ~150 nonces, enough to judge the error rate.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent, TuneProgress, TuneResult, TuneRow } from '@shared/contract';
import { createEmulatorDevice, type EmulatorDevice } from '../../../src-main/emulator/emulated-device.js';
import type { Engine, EngineOptions } from '../../../src-main/engine/engine.js';
import { tempDir } from '../../helpers/cli.js';
import { EMU_SERIAL as SERIAL, emulatedEngine, until as waitUntil } from '../../fixtures/engine/emulated-engine.js';

const FAST = { stepS: 2, settleS: 1, frequencyStepMhz: 50, voltageStepMv: 100 };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function emulator(): EmulatorDevice {
  return createEmulatorDevice({ chips: 1, model: 'bm1366', scaleBits: 28, hashRateHs: 300_000, control: { timeScale: 20, tickMs: 50 } });
}

function engineFor(dev: EmulatorDevice, dataDir: string, extra: Partial<EngineOptions> = {}): { engine: Engine; tune: TuneProgress[]; events: EngineEvent[] } {
  const { engine, events } = emulatedEngine(dev, { dataDir, sensorIntervalMs: 100, tuneTickMs: 100, tuneGuardTickMs: 100, tuneGuardHoldMs: 1500, thermal: { ki: 4 }, ...extra }, 28);
  const tune: TuneProgress[] = [];
  engine.subscribe((e) => {
    if (e.type === 'tune') tune.push(e.progress);
  });
  cleanups.push(() => engine.stop());
  return { engine, tune, events };
}

/** Tuning runs take longer than the other engine tests' waits. */
const until = (what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> => waitUntil(what, check, timeoutMs);

/** Hashing, with the ASIC warmed up and held near the fan control's 60 °C for two seconds (40 model seconds). */
async function warmedUp(engine: Engine): Promise<void> {
  const board = () => engine.boards.get('emu0')!;
  await until('hashing', () => board().state === 'hashing');
  let steadySince = Date.now();
  await until('a steady ASIC temperature', () => {
    const t = board().sensors?.asicTempC ?? null;
    if (t === null || t > 61 || t < 50) steadySince = Date.now();
    return Date.now() - steadySince > 2000;
  });
}

const doneOf = (tune: TuneProgress[]) => tune.find((p): p is Extract<TuneProgress, { type: 'done' }> => p.type === 'done');
const describeRow = (r: TuneRow) =>
  `${r.frequencyMhz} MHz / ${r.coreVoltageMv} mV: ${(r.hashrateHs / 1e9).toFixed(1)} GH/s, ${r.powerW?.toFixed(2)} W, ${r.jPerTh?.toFixed(2)} J/TH, ${(r.hwErrorFraction * 100).toFixed(1)} % errors, max ${r.asicTempMaxC?.toFixed(1)} °C${r.limit ? ` — ${r.limit}` : ''}`;

describe('tuning on the emulator (modelled figures)', () => {
  it('Eco finds a lower J/TH and Max a higher hashrate than the default setting, inside every limit; remembered per serial and re-applied', async () => {
    const dataDir = tempDir();
    const dev = emulator();
    const { engine, tune } = engineFor(dev, dataDir);
    await engine.start();
    const board = () => engine.boards.get('emu0')!;
    await warmedUp(engine);
    expect(await engine.command({ type: 'startTune', boardId: 'emu0', options: { profile: 'eco', ...FAST } })).toEqual({ started: 'emu0' });
    await expect(engine.command({ type: 'startTune', boardId: 'emu0', options: { profile: 'max' } })).rejects.toThrow('board emu0 is already being tuned: stop that run first');
    expect(engine.snapshot().boards[0]!.tuning).toMatchObject({ running: true, profile: 'eco' });
    await until('the run to finish', () => doneOf(tune) !== undefined, 90_000);
    const done = doneOf(tune)!;
    const result: TuneResult = done.result;
    const baseline = result.baseline!;
    const { eco, max, balanced } = result.profiles;
    // The figures, for the report.
    console.log(
      ['baseline ' + describeRow(baseline), ...result.rows.slice(1).map(describeRow), `eco → ${describeRow(eco!)}`, `balanced → ${describeRow(balanced!)}`, `max → ${describeRow(max!)}`].join('\n'),
    );

    expect(tune[0]).toMatchObject({ type: 'started', profile: 'eco', modelled: true, from: { frequencyMhz: 485, coreVoltageMv: 1200 } });
    expect(result.modelled).toBe(true);
    expect(result.rows.every((r) => r.modelled)).toBe(true);
    expect(baseline).toMatchObject({ frequencyMhz: 485, coreVoltageMv: 1200, withinLimits: true, hwErrors: 0 });
    // Eco: lower J/TH than the default setting; Max: more hashrate; both inside every limit.
    expect(eco!.jPerTh!).toBeLessThan(baseline.jPerTh! * 0.9);
    expect(max!.hashrateHs).toBeGreaterThan(baseline.hashrateHs);
    for (const r of [eco!, balanced!, max!]) {
      expect(r.withinLimits).toBe(true);
      expect(r.asicTempMaxC!).toBeLessThanOrEqual(result.limits.maxAsicTempC);
      expect(r.powerW!).toBeLessThanOrEqual(result.limits.maxPowerW);
      expect(r.hwErrorFraction).toBeLessThanOrEqual(result.limits.maxHwErrorFraction);
      expect(r.frequencyMhz).toBeGreaterThanOrEqual(300);
      expect(r.frequencyMhz).toBeLessThanOrEqual(575);
      expect(r.coreVoltageMv!).toBeGreaterThanOrEqual(1000);
      expect(r.coreVoltageMv!).toBeLessThanOrEqual(1300);
    }
    expect(balanced!.hashrateHs).toBeGreaterThanOrEqual((eco!.hashrateHs + max!.hashrateHs) / 2);
    // Too much frequency for the voltage showed as hardware errors, and each such step was undone at once.
    const limits = tune.filter((p): p is Extract<TuneProgress, { type: 'limit' }> => p.type === 'limit');
    expect(limits.some((l) => /hardware errors/.test(l.text))).toBe(true);
    for (const l of limits) expect(l.restored.frequencyMhz).toBeLessThanOrEqual(l.row.frequencyMhz);

    // Eco is applied (and the board hashes there), and remembered for this serial.
    expect(done.applied).toEqual({ frequencyMhz: eco!.frequencyMhz, coreVoltageMv: eco!.coreVoltageMv });
    expect(board().frequencyMhz).toBe(eco!.frequencyMhz);
    expect(dev.control!.port.model.coreVoltageV).toBeCloseTo(eco!.coreVoltageMv! / 1000, 2);
    const file = path.join(dataDir, 'tuning', `${SERIAL}.json`);
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ serial: SERIAL, applied: { source: 'eco', frequencyMhz: eco!.frequencyMhz, coreVoltageMv: eco!.coreVoltageMv } });
    expect(engine.snapshot().boards[0]!.operating).toMatchObject({ source: 'eco', frequencyMhz: eco!.frequencyMhz, coreVoltageMv: eco!.coreVoltageMv, voltageSettable: true });

    // Max from the same result, by command.
    expect(await engine.command({ type: 'applyProfile', boardId: 'emu0', profile: 'max' })).toEqual({ applied: { frequencyMhz: max!.frequencyMhz, coreVoltageMv: max!.coreVoltageMv } });
    expect(board().frequencyMhz).toBe(max!.frequencyMhz);

    // The tuned board's guard: a fan that fails later makes it step back to a setting that drew less.
    const port = dev.control!.port;
    // The guard judges nothing for its hold-off after a setting is applied (1.5 s here): let it pass.
    await new Promise((r) => setTimeout(r, 2500));
    expect(board().frequencyMhz).toBe(max!.frequencyMhz);
    const seen = tune.length;
    port.emc2101!.fanFailed = true;
    const steppedBack = () => tune.slice(seen).find((p): p is Extract<TuneProgress, { type: 'stepped-back' }> => p.type === 'stepped-back');
    await until('a step back', () => steppedBack() !== undefined, 20_000);
    port.emc2101!.fanFailed = false;
    const back = steppedBack()!;
    expect(back.text).toMatch(/^The ASIC reached \d+\.\d °C, above the 65 °C limit\. Stepped back to \d+ MHz \/ \d+ mV\.$/);
    expect(back.from).toEqual({ frequencyMhz: max!.frequencyMhz, coreVoltageMv: max!.coreVoltageMv });
    const lowerRow = result.rows.find((r) => r.frequencyMhz === back.to!.frequencyMhz && r.coreVoltageMv === back.to!.coreVoltageMv)!;
    expect(lowerRow.powerW!).toBeLessThan(max!.powerW!);
    await until('running at the lower setting', () => board().frequencyMhz === back.to!.frequencyMhz);

    // Plugged in again (a new engine, the same serial and data directory): Max is re-applied at init.
    await engine.stop();
    const dev2 = emulator();
    const again = engineFor(dev2, dataDir);
    await again.engine.start();
    await until('hashing again', () => again.engine.boards.get('emu0')?.state === 'hashing');
    expect(again.engine.boards.get('emu0')!.frequencyMhz).toBe(max!.frequencyMhz);
    expect(again.engine.snapshot().boards[0]!.operating).toMatchObject({ source: 'max', frequencyMhz: max!.frequencyMhz, coreVoltageMv: max!.coreVoltageMv });
    expect(dev2.control!.port.model.coreVoltageV).toBeCloseTo(max!.coreVoltageMv! / 1000, 2);
  }, 150_000);

  it('a limit broken on purpose (the fan fails mid-run) makes the tuner undo that step at once and stop climbing', async () => {
    const dev = emulator();
    const port = dev.control!.port;
    const { engine, tune } = engineFor(dev, tempDir());
    // The fan fails as the run reaches 1100 mV, and is mended once the tuner has stepped back.
    engine.subscribe((e) => {
      if (e.type !== 'tune') return;
      if (e.progress.type === 'measuring' && e.progress.point.coreVoltageMv === 1100 && e.progress.point.frequencyMhz === 450) port.emc2101!.fanFailed = true;
      if (e.progress.type === 'limit' && /ASIC reached/.test(e.progress.text)) port.emc2101!.fanFailed = false;
    });
    await engine.start();
    const board = () => engine.boards.get('emu0')!;
    await warmedUp(engine);
    await engine.command({ type: 'startTune', boardId: 'emu0', options: { profile: 'max', ...FAST } });
    await until('the run to finish', () => doneOf(tune) !== undefined, 90_000);
    const heat = tune.find((p): p is Extract<TuneProgress, { type: 'limit' }> => p.type === 'limit' && /ASIC reached/.test(p.text))!;
    expect(heat).toBeDefined();
    expect(heat.text).toMatch(/^The ASIC reached 6\d\.\d °C, above the 65 °C limit\.$/);
    expect(heat.row).toMatchObject({ frequencyMhz: 450, coreVoltageMv: 1100, withinLimits: false });
    // Undone at once: back at the last step that kept the limits (400 MHz at the same voltage).
    expect(heat.restored).toEqual({ frequencyMhz: 400, coreVoltageMv: 1100 });
    // The search stopped there: nothing hotter was tried after the limit.
    const after = tune.slice(tune.indexOf(heat) + 1);
    expect(after.filter((p) => p.type === 'measuring')).toEqual([]);
    const done = doneOf(tune)!;
    const max = done.result.profiles.max!;
    expect(max.withinLimits).toBe(true);
    expect(max.hashrateHs).toBeLessThan(heat.row.hashrateHs + 1);
    expect(max).toMatchObject({ frequencyMhz: 400, coreVoltageMv: 1100 });
    expect(board().state).toBe('hashing');
    expect(board().frequencyMhz).toBe(400);
  }, 120_000);

  it('refuses bad input with one sentence', async () => {
    const dev = emulator();
    const { engine } = engineFor(dev, tempDir());
    await engine.start();
    await until('hashing', () => engine.boards.get('emu0')!.state === 'hashing');
    await expect(engine.command({ type: 'setOperatingPoint', boardId: 'emu0', frequencyMhz: 700 })).rejects.toThrow("700 MHz is outside the BM1366's range of 300–575 MHz.");
    await expect(engine.command({ type: 'setOperatingPoint', boardId: 'emu0', coreVoltageMv: 1450 })).rejects.toThrow("1450 mV is outside the BM1366's core-voltage range of 1000–1300 mV.");
    await expect(engine.command({ type: 'applyProfile', boardId: 'emu0', profile: 'eco' })).rejects.toThrow('board emu0 has no tuning result yet: run a tuning first');
    await expect(engine.command({ type: 'stopTune', boardId: 'emu0' })).rejects.toThrow('no tuning run is going on emu0');
    // By hand, inside the range: applied while hashing and remembered.
    expect(await engine.command({ type: 'setOperatingPoint', boardId: 'emu0', frequencyMhz: 450, coreVoltageMv: 1150 })).toEqual({ applied: { frequencyMhz: 450, coreVoltageMv: 1150 } });
    expect(engine.boards.get('emu0')!.frequencyMhz).toBe(450);
    await until('the regulator at 1.15 V', () => Math.abs(dev.control!.port.model.coreVoltageV - 1.15) < 0.005);
    expect(engine.snapshot().boards[0]!.operating).toMatchObject({ source: 'manual', frequencyMhz: 450, coreVoltageMv: 1150 });
    // A paused board cannot be tuned.
    await engine.command({ type: 'pauseBoards' });
    await expect(engine.command({ type: 'startTune', boardId: 'emu0' })).rejects.toThrow('board emu0 is paused: a tuning run needs a board that is hashing');
  }, 60_000);
});
