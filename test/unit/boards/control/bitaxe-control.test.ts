import { describe, expect, it } from 'vitest';
import { BitaxeControl } from '../../../../src-main/boards/control/bitaxe-control.js';
import { ControlPage, I2cCommand } from '../../../../src-main/boards/control/bitaxe-raw.js';
import { EmulatedControlPort } from '../../../../src-main/emulator/control/emulated-control-port.js';

const noSleep = async () => undefined;

async function openEmulated(port = new EmulatedControlPort()) {
  const control = await BitaxeControl.open(port.hostStream, { timeoutMs: 500, sleep: noSleep, now: () => port.model.elapsedMs });
  return { port, control };
}

describe('BitaxeControl over the emulated control port', () => {
  it('finds the fitted parts and sets the I2C clock to 100 kHz', async () => {
    const { port, control } = await openEmulated();
    expect(control.parts).toEqual(['TPS546', 'INA260', 'EMC2101']);
    expect(port.i2cFrequencyHz).toBe(100_000);
    const partial = await openEmulated(new EmulatedControlPort({ parts: { ina260: false, tps546: false } }));
    expect(partial.control.parts).toEqual(['EMC2101']);
    expect(partial.control.coreVoltageSetpointV).toBeNull();
  });

  it('power-up holds reset low, brings the regulator up, then releases reset', async () => {
    const { port, control } = await openEmulated();
    const resets: boolean[] = [];
    port.onReset((held) => resets.push(held));
    const before = port.requests.length;
    await control.powerUp(1.2);
    const seq = port.requests.slice(before);
    const gpioIdx = seq.map((r, i) => (r.page === ControlPage.gpio ? i : -1)).filter((i) => i >= 0);
    const voutIdx = seq.findIndex((r) => r.page === ControlPage.i2c && r.command === I2cCommand.write && r.data[1] === 0x21);
    expect(seq[gpioIdx[0]!]!.data[0]).toBe(0); // reset low first
    expect(voutIdx).toBeGreaterThan(gpioIdx[0]!);
    expect(seq[gpioIdx[gpioIdx.length - 1]!]!.data[0]).toBe(1); // released last
    expect(gpioIdx[gpioIdx.length - 1]).toBeGreaterThan(voutIdx);
    expect(resets).toEqual([false]);
    expect(port.model.coreVoltageV).toBeCloseTo(1.2, 2);
    const s = await control.readSensors();
    expect(s.coreVoltageV).toBeCloseTo(1.2, 2);
    expect(s.inputVoltageV).toBeCloseTo(5.0, 2);
    expect(s.asicTempC).toBeCloseTo(25, 0);
    expect(s.fanRpm).toBeGreaterThan(5000);
    expect(s.faults).toEqual([]);
  });

  it('leave-safe holds reset, cuts VCORE and leaves the fan at 100 %', async () => {
    const { port, control } = await openEmulated();
    await control.powerUp(1.2);
    await control.setFanPercent(30);
    const result = await control.leaveSafe();
    expect(result).toEqual({ resetHeld: true, coreVoltageOff: true, problems: [] });
    expect(port.resetHeld).toBe(true);
    expect(port.model.coreVoltageV).toBe(0);
    expect(port.model.fanFraction).toBe(1);
    expect(control.coreVoltageSetpointV).toBeNull();
  });

  it('the thermal model heats with hashing and no fan, and the sensors see it', async () => {
    const { port, control } = await openEmulated();
    await control.powerUp(1.2);
    port.setHashing(true);
    const idle = await control.readSensors();
    await control.setFanPercent(0);
    port.step(120_000);
    const hot = await control.readSensors();
    expect(hot.asicTempC!).toBeGreaterThan(75);
    expect(hot.powerW!).toBeGreaterThan(idle.powerW! - 0.01);
    expect(hot.powerW!).toBeGreaterThan(10);
    expect(hot.fanRpm).toBe(0);
    await control.setFanPercent(100);
    port.step(300_000);
    const cooled = await control.readSensors();
    expect(cooled.asicTempC!).toBeLessThan(65);
    port.setFrequencyMhz(300);
    port.step(300_000);
    expect((await control.readSensors()).asicTempC!).toBeLessThan(cooled.asicTempC!);
  });

  it('reports a diode fault and a failing device as faults, not crashes', async () => {
    const { port, control } = await openEmulated();
    port.emc2101!.diodeFault = 'open';
    port.setDeviceFailing(0x40, true);
    const s = await control.readSensors();
    expect(s.asicTempC).toBeNull();
    expect(s.faults.join(' ')).toMatch(/diode reads open/);
    expect(s.faults.join(' ')).toMatch(/input power failed/);
  });
});
