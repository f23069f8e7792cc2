/**
 * Board control inside the running engine, on the built-in emulator with its emulated bitaxe-raw
 * control port: sensor figures in the snapshot and ledger, leave-safe on stop, and the thermal
 * guard (fan failure → overheat → stop, cool, resume lower).
 *
 * Speed-up: the emulated thermal model runs `timeScale` model seconds per wall second (20× in the
 * thermal test), so a minute of heating and cooling passes in a few seconds. The engine's sensor
 * sweep is shortened to match (100 ms wall = 2 s model, the engine's default period).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulatorDevice, type EmulatorDevice } from '../../../src-main/emulator/emulated-device.js';
import { Engine, type EngineOptions } from '../../../src-main/engine/engine.js';
import type { EngineEvent } from '@shared/contract/index';
import { tempDir } from '../../helpers/cli.js';
import { emulatedEngine, until } from '../../fixtures/engine/emulated-engine.js';

let engine: Engine | null = null;

afterEach(async () => {
  await engine?.stop();
  engine = null;
});

function start(dev: EmulatorDevice, extra: Partial<EngineOptions> = {}): { engine: Engine; events: EngineEvent[] } {
  const started = emulatedEngine(dev, extra);
  engine = started.engine;
  return started;
}

describe('board control in the engine (emulated control port)', () => {
  it('snapshot sensors are what the emulated peripherals report; the ledger gets them; stop leaves the board safe', async () => {
    const dev = createEmulatorDevice({ chips: 1, model: 'bm1366', scaleBits: 24, hashRateHs: 300_000, control: { tickMs: 50 } });
    const control = dev.control!;
    const port = control.port;
    // Sweeps are driven by hand below (the first one runs at start).
    const { engine: e } = start(dev, { sensorIntervalMs: 60_000, sampleIntervalMs: 200, dataDir: tempDir() });
    await e.start();
    const board = () => e.boards.get('emu0')!;
    await until('hashing with jobs on the chips', () => board().state === 'hashing' && port.model.hashing);

    // Freeze the model so that the readings and the model can be compared exactly.
    control.timeScale = 0;
    await board().control!.tick();
    const expected = {
      coreVoltageV: port.model.coreVoltageV,
      powerW: port.model.inputPowerW(),
      currentA: port.model.inputCurrentA(),
      asicTempC: port.model.asicTempC,
      vrTempC: port.model.regulatorTempC(),
      fanRpm: port.model.fanRpm(),
      fanPercent: port.model.fanFraction * 100,
    };
    await board().control!.tick();
    const snap = e.snapshot();
    const s = snap.boards[0]!.sensors;
    expect(snap.boards[0]!.emulated).toBe(true);
    expect(s.coreVoltageV).toBeCloseTo(1.2, 2);
    expect(Math.abs(s.coreVoltageV! - expected.coreVoltageV)).toBeLessThanOrEqual(1 / 512);
    expect(s.inputVoltageV).toBeCloseTo(5.0, 1);
    // INA260: 10 mW power LSB, 1.25 mA current LSB; EMC2101 1/8 °C; TPS546 SLINEAR11.
    expect(Math.abs(s.powerW! - expected.powerW)).toBeLessThanOrEqual(0.011);
    expect(expected.powerW).toBeGreaterThan(10); // hashing at 485 MHz, 1.2 V: ≈ 12 W
    expect(Math.abs(s.currentA! - expected.currentA)).toBeLessThanOrEqual(0.002);
    expect(Math.abs(s.asicTempC! - expected.asicTempC)).toBeLessThanOrEqual(0.125);
    expect(Math.abs(s.vrTempC! - expected.vrTempC)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(s.fanRpm! - expected.fanRpm)).toBeLessThanOrEqual(expected.fanRpm * 0.01 + 1);
    // The fan setting has 63 steps: the duty read back is the step the guard's 20 % minimum landed on.
    expect(Math.abs(s.fanPercent! - expected.fanPercent)).toBeLessThanOrEqual(1);
    expect(s.fanPercent).toBeGreaterThanOrEqual(19);
    expect(snap.totals.powerW).toBe(s.powerW);

    // The ledger's History samples carry the same sensors.
    await until('a ledger sample with power', () => {
      const h = e.ledger!.history('1h', 'emu0');
      return h.points.some((p) => p.powerW !== null && p.asicTempC !== null);
    });
    const point = e.ledger!.history('1h', 'emu0').points.find((p) => p.powerW !== null)!;
    expect(point.powerW!).toBeGreaterThan(1);
    expect(point.asicTempC!).toBeGreaterThan(20);

    await e.stop();
    engine = null;
    // Left safe: reset held, core voltage off, fan at 100 %.
    expect(port.resetHeld).toBe(true);
    expect(port.tps546!.isOn).toBe(false);
    expect(port.model.coreVoltageV).toBe(0);
    expect(port.model.fanFraction).toBe(1);
  }, 30_000);

  it('fan failure: overheat stops hashing, the board cools in reset, then resumes at a lower frequency and voltage', async () => {
    const dev = createEmulatorDevice({ chips: 1, model: 'bm1366', scaleBits: 24, hashRateHs: 300_000, control: { timeScale: 20, tickMs: 50 } });
    const control = dev.control!;
    const port = control.port;
    const { engine: e, events } = start(dev, { sensorIntervalMs: 100 });
    const jobsAt: Record<string, number> = {};
    e.subscribe((ev) => {
      if (ev.type !== 'board') return;
      const jobs = control.chain?.status().jobsReceived ?? -1;
      if (ev.state === 'cooling') jobsAt.cooling = jobs;
      if (ev.state === 'initialising' && jobsAt.cooling !== undefined) jobsAt.resuming = jobs;
    });
    await e.start();
    const board = () => e.boards.get('emu0')!;
    await until('hashing', () => board().state === 'hashing' && port.model.hashing);
    expect(board().frequencyMhz).toBe(485);

    port.emc2101!.fanFailed = true;
    await until('the board stopped for heat', () => board().state === 'cooling');
    const overheat = events.find((ev) => ev.type === 'warning' && ev.warning.id === 'thermal-emu0');
    expect(overheat?.type === 'warning' && overheat.warning.text).toMatch(/^The ASIC reached 7\d\.\d °C, above the 75 °C limit, at 485 MHz and 1\.200 V\. Hashing stopped/);
    expect(e.snapshot().boards[0]!.state).toBe('cooling');
    // Cooling with the chips in reset and the core power off (not merely without jobs).
    await until('reset held with power off', () => port.resetHeld && port.model.coreVoltageV === 0);
    expect(port.model.hashing).toBe(false);

    port.emc2101!.fanFailed = false;
    await until('hashing again', () => board().state === 'hashing', 25_000);
    // No job was sent to the chips while the board cooled.
    expect(jobsAt.resuming).toBe(jobsAt.cooling);
    const resumed = events.find((ev) => ev.type === 'warning' && ev.warning.id === 'thermal-resume-emu0');
    expect(resumed?.type === 'warning' && resumed.warning.text).toMatch(/^Cooled to \d+\.\d °C; hashing resumed at 460 MHz and 1\.180 V \(it overheated at 485 MHz and 1\.200 V\)\./);
    expect(board().frequencyMhz).toBe(460);
    await until('the emulated chips run at the lower frequency with work', () => port.model.frequencyMhz === 460 && port.model.hashing);
    expect(port.model.coreVoltageV).toBeCloseTo(1.18, 2);
    expect(port.resetHeld).toBe(false);
    const warnings = e.snapshot().warnings.map((w) => w.id);
    expect(warnings).toEqual(expect.arrayContaining(['thermal-emu0', 'thermal-resume-emu0']));
    await until('valid nonces after the resume', () => e.snapshot().boards[0]!.counters.validNonces > 0);
  }, 40_000);

  it('a control port that cannot be opened: the board still mines, sensors are not available, one warning', async () => {
    const dev = createEmulatorDevice({ chips: 1, model: 'bm1366', scaleBits: 24, hashRateHs: 300_000, control: false });
    const e = new Engine({
      boards: [
        {
          id: 'b0',
          name: 'emulated data port',
          path: dev.path,
          model: 'bm1366',
          emulated: true,
          scaleBits: 24,
          expectedChips: 1,
          binding: dev.binding,
          controlPath: '/dev/hashdeck-no-such-control-port',
        },
      ],
      source: null,
      mode: 'benchmark',
      frequencyMhz: null,
      ticketDifficulty: null,
      dataDir: null,
    });
    engine = e;
    const events: EngineEvent[] = [];
    e.subscribe((ev) => events.push(ev));
    await e.start();
    await until('valid nonces', () => e.snapshot().boards[0]?.counters.validNonces !== undefined && e.snapshot().boards[0]!.counters.validNonces > 0);
    const snap = e.snapshot();
    expect(snap.boards[0]!.state).toBe('hashing');
    expect(Object.values(snap.boards[0]!.sensors).every((v) => v === null)).toBe(true);
    const warnings = events.filter((ev) => ev.type === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.type === 'warning' && warnings[0]!.warning.text).toMatch(
      /^control port \/dev\/hashdeck-no-such-control-port could not be opened: .*does not exist.*mines without power control; its sensors are not available\.$/,
    );
  }, 30_000);
});
