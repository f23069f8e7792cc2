import { describe, expect, it } from 'vitest';
import { BoardPower } from '../../../../src-main/boards/control/board-power.js';
import type { CoreRegulator } from '../../../../src-main/boards/control/core-regulator.js';
import type { Gpio } from '../../../../src-main/boards/control/gpio.js';

function rig(opts: { regulatorFails?: boolean; gpioFails?: boolean; canSwitchOff?: boolean } = {}) {
  const log: string[] = [];
  const gpio: Gpio = {
    set: async (pin, high) => {
      if (opts.gpioFails) throw new Error('port gone');
      log.push(`gpio${pin}=${high ? 1 : 0}`);
    },
    get: async () => true,
  };
  const regulator: CoreRegulator = {
    kind: 'tps546',
    canSwitchOff: opts.canSwitchOff ?? true,
    setVoltage: async (v) => {
      if (opts.regulatorFails) throw new Error('PMBus NACK');
      log.push(`vcore=${v}`);
    },
    off: async () => void log.push('vcore=off'),
  };
  const sleep = async (ms: number) => void log.push(`sleep ${ms}`);
  return { log, power: new BoardPower(gpio, regulator, { settleMs: 500, afterResetMs: 200 }, sleep) };
}

describe('BoardPower', () => {
  it('powers up in order: reset low, VCORE on, settle, reset high, wait', async () => {
    const { log, power } = rig();
    await power.powerUp(1.15);
    expect(log).toEqual(['gpio0=0', 'vcore=1.15', 'sleep 500', 'gpio0=1', 'sleep 200']);
    expect(power.coreVoltageV).toBe(1.15);
  });

  it('a regulator failure leaves reset held and says why', async () => {
    const { log, power } = rig({ regulatorFails: true });
    await expect(power.powerUp(1.2)).rejects.toThrow(/power-up failed: PMBus NACK/);
    expect(log).toEqual(['gpio0=0', 'gpio0=0']);
  });

  it('leave-safe holds reset and cuts VCORE', async () => {
    const { log, power } = rig();
    expect(await power.leaveSafe()).toEqual({ resetHeld: true, coreVoltageOff: true, problems: [] });
    expect(log).toEqual(['gpio0=0', 'vcore=off']);
  });

  it('leave-safe still cuts VCORE when reset cannot be driven, and reports it', async () => {
    const { log, power } = rig({ gpioFails: true });
    const r = await power.leaveSafe();
    expect(r.resetHeld).toBe(false);
    expect(r.coreVoltageOff).toBe(true);
    expect(r.problems[0]).toMatch(/Could not hold the ASIC in reset: port gone/);
    expect(log).toEqual(['vcore=off']);
  });

  it('a DS4432U board says its VCORE cannot be cut', async () => {
    const { power } = rig({ canSwitchOff: false });
    const r = await power.leaveSafe();
    expect(r).toMatchObject({ resetHeld: true, coreVoltageOff: false });
    expect(r.problems[0]).toMatch(/cannot switch its core voltage off/);
  });
});
