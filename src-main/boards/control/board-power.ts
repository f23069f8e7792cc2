/**
 * Board power sequencing over the bitaxe-raw control port.
 *
 * Power-up (docs/bm13xx-protocol.md §3.1, §6.3 mujina bring-up): hold RST_N low, bring the core
 * regulator up at the target voltage, let it settle, release RST_N, wait, and only then may the
 * chain start its UART init. Leave-safe (docs/design.md §3): stopping hashing is the caller's
 * job; here RST_N is held low and the core voltage cut where the board allows it. Every step of
 * leave-safe is attempted even if an earlier one fails, and the failures are returned.
 */
import type { CoreRegulator } from './core-regulator.js';
import { BitaxePin, type Gpio } from './gpio.js';

export interface PowerTiming {
  /** Regulator settle time before reset is released (mujina waits 500 ms). */
  settleMs: number;
  /** Time after reset release before the first UART command (mujina 200 ms; ESP-Miner 100 ms). */
  afterResetMs: number;
}

export const DEFAULT_POWER_TIMING: PowerTiming = { settleMs: 500, afterResetMs: 200 };

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface LeaveSafeResult {
  resetHeld: boolean;
  coreVoltageOff: boolean;
  /** Plain sentences for whatever could not be done. */
  problems: string[];
}

export class BoardPower {
  private poweredV: number | null = null;

  constructor(
    private readonly gpio: Gpio,
    private readonly regulator: CoreRegulator | null,
    private readonly timing: PowerTiming = DEFAULT_POWER_TIMING,
    private readonly sleep: Sleep = realSleep,
  ) {}

  get coreVoltageV(): number | null {
    return this.poweredV;
  }

  /** Resolves when the chain may begin its init. Throws (with reset left low) on any failure. */
  async powerUp(coreVoltageV: number): Promise<void> {
    await this.gpio.set(BitaxePin.asicResetN, false);
    try {
      if (this.regulator) {
        await this.regulator.setVoltage(coreVoltageV);
        this.poweredV = coreVoltageV;
      }
      await this.sleep(this.timing.settleMs);
      await this.gpio.set(BitaxePin.asicResetN, true);
      await this.sleep(this.timing.afterResetMs);
    } catch (err) {
      await this.gpio.set(BitaxePin.asicResetN, false).catch(() => undefined);
      throw new Error(`board power-up failed: ${(err as Error).message}`);
    }
  }

  /** Change the core voltage while running (sweeps, thermal back-off). */
  async setCoreVoltage(volts: number): Promise<void> {
    if (!this.regulator) throw new Error('this board has no core regulator on the control port');
    await this.regulator.setVoltage(volts);
    this.poweredV = volts;
  }

  /** A reset pulse (low, wait, high, wait) as ESP-Miner does before UART traffic (§3.1). */
  async pulseReset(lowMs = 100, highMs = 100): Promise<void> {
    await this.gpio.set(BitaxePin.asicResetN, false);
    await this.sleep(lowMs);
    await this.gpio.set(BitaxePin.asicResetN, true);
    await this.sleep(highMs);
  }

  async leaveSafe(): Promise<LeaveSafeResult> {
    const result: LeaveSafeResult = { resetHeld: false, coreVoltageOff: false, problems: [] };
    try {
      await this.gpio.set(BitaxePin.asicResetN, false);
      result.resetHeld = true;
    } catch (err) {
      result.problems.push(`Could not hold the ASIC in reset: ${(err as Error).message}.`);
    }
    if (!this.regulator) {
      result.problems.push('No core regulator on the control port; the core voltage was left as it was.');
    } else if (!this.regulator.canSwitchOff) {
      result.problems.push('This board cannot switch its core voltage off from the host.');
    } else {
      try {
        await this.regulator.off();
        result.coreVoltageOff = true;
        this.poweredV = null;
      } catch (err) {
        result.problems.push(`Could not switch the core voltage off: ${(err as Error).message}.`);
      }
    }
    return result;
  }
}
