/**
 * ControlSession over the emulated bitaxe-raw port, driven by hand (no timers, model time stepped by
 * the test): sensor sweeps, fail-safe on implausible temperature, leave-safe on shutdown.
 */
import { describe, expect, it } from 'vitest';
import type { ControlLink } from '../../../../src-main/boards/control/control-link.js';
import { ControlSession, type HashingHooks, type ThermalEventKind } from '../../../../src-main/boards/control/control-session.js';
import { EmulatedControlPort, type EmulatedControlPortOptions } from '../../../../src-main/emulator/control/emulated-control-port.js';

const noSleep = async (): Promise<void> => undefined;

function link(port: EmulatedControlPort, opened = { count: 0, closed: 0 }): ControlLink {
  return {
    label: 'test port',
    emulated: true,
    open: async () => {
      opened.count++;
      return port.hostStream;
    },
    close: async () => {
      opened.closed++;
    },
  };
}

async function rig(portOptions: EmulatedControlPortOptions = {}) {
  const port = new EmulatedControlPort(portOptions);
  const counts = { count: 0, closed: 0 };
  const session = await ControlSession.open(link(port, counts), { sensorIntervalMs: 3_600_000, sleep: noSleep, now: () => port.model.elapsedMs, timeoutMs: 500 });
  const calls: string[] = [];
  const thermal: { kind: ThermalEventKind; text: string }[] = [];
  const logs: string[] = [];
  session.on('thermal', (kind, text) => thermal.push({ kind, text }));
  session.on('log', (level, text) => logs.push(`${level} ${text}`));
  let frequencyMhz = 485;
  const hooks: HashingHooks = {
    frequencyMhz: () => frequencyMhz,
    pauseHashing: (reason) => {
      calls.push(`pause ${reason}`);
      port.setHashing(false);
    },
    resumeHashing: async (s) => {
      frequencyMhz = s.frequencyMhz;
      calls.push(`resume ${s.frequencyMhz}`);
      port.setHashing(true);
    },
  };
  return { port, session, hooks, calls, thermal, logs, counts };
}

describe('ControlSession', () => {
  it('powers up, reads sensors into `latest` and emits each sweep', async () => {
    const { port, session, hooks } = await rig();
    expect(session.parts).toEqual(['TPS546', 'INA260', 'EMC2101']);
    await session.powerUp(1.2);
    expect(port.resetHeld).toBe(false);
    expect(port.model.coreVoltageV).toBeCloseTo(1.2, 2);
    const seen: number[] = [];
    session.on('readings', (r) => seen.push(r.powerW ?? -1));
    port.setHashing(true);
    port.step(5000);
    session.startMonitoring(hooks);
    await session.tick();
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(session.latest?.powerW).toBeCloseTo(port.model.inputPowerW(), 1);
    expect(session.latest?.asicTempC).toBeCloseTo(port.model.asicTempC, 0);
    await session.shutdown();
  });

  it('an implausible ASIC temperature three times in a row stops hashing and leaves the board safe', async () => {
    const { port, session, hooks, calls, thermal } = await rig();
    await session.powerUp(1.2);
    port.setHashing(true);
    session.startMonitoring(hooks);
    await session.tick();
    expect(calls).toEqual([]);
    port.emc2101!.diodeFault = 'open';
    for (let i = 0; i < 3; i++) await session.tick();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/^pause The ASIC temperature reading was implausible 3 times in a row/);
    expect(thermal.map((t) => t.kind)).toEqual(['sensor-fault']);
    expect(port.resetHeld).toBe(true);
    expect(port.model.coreVoltageV).toBe(0);
    expect(port.model.fanFraction).toBe(1);
    // Latched: a good reading afterwards does not restart hashing.
    port.emc2101!.diodeFault = null;
    await session.tick();
    expect(calls).toHaveLength(1);
    await session.shutdown();
  });

  it('overheat → pause and power off; cooled → power back at the lower voltage, then resume lower', async () => {
    const { port, session, hooks, calls, thermal } = await rig({ thermal: { fanCoolingGain: 0 } });
    await session.powerUp(1.2);
    port.setHashing(true);
    session.startMonitoring(hooks);
    for (let i = 0; i < 200 && !calls.some((c) => c.startsWith('resume')); i++) {
      port.step(2000);
      await session.tick();
    }
    expect(calls[0]).toMatch(/^pause The ASIC reached 7\d\.\d °C, above the 75 °C limit, at 485 MHz and 1\.200 V\.$/);
    expect(calls[1]).toBe('resume 460');
    expect(thermal.map((t) => t.kind)).toEqual(['overheat', 'resume']);
    expect(thermal[1]!.text).toMatch(/hashing resumed at 460 MHz and 1\.180 V \(it overheated at 485 MHz and 1\.200 V\)/);
    expect(port.resetHeld).toBe(false);
    expect(port.model.coreVoltageV).toBeCloseTo(1.18, 2);
    await session.shutdown();
  });

  it('without a temperature sensor the guard is off and says so; shutdown still leaves the board safe', async () => {
    const { port, session, hooks, logs, counts } = await rig({ parts: { emc2101: false } });
    expect(session.guard).toBeNull();
    await session.powerUp(1.2);
    session.startMonitoring(hooks);
    await session.tick();
    expect(logs.some((l) => /^warn no ASIC temperature sensor on test port: thermal protection is off/.test(l))).toBe(true);
    const result = await session.shutdown();
    expect(result?.resetHeld).toBe(true);
    expect(result?.coreVoltageOff).toBe(true);
    expect(port.resetHeld).toBe(true);
    expect(port.model.coreVoltageV).toBe(0);
    expect(counts.closed).toBe(1);
    expect(await session.shutdown()).toBeNull();
  });

  it('a link that will not open is one clear sentence', async () => {
    const bad: ControlLink = { label: '/dev/ttyNOPE', emulated: false, open: async () => Promise.reject(new Error('/dev/ttyNOPE does not exist (board unplugged?)')), close: async () => undefined };
    await expect(ControlSession.open(bad)).rejects.toThrow('control port /dev/ttyNOPE could not be opened: /dev/ttyNOPE does not exist (board unplugged?)');
  });
});
