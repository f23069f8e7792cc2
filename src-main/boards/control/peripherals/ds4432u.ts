/**
 * DS4432U current DAC that trims the TPS40305 feedback on older Bitaxe boards (I2C 0x48, OUT0
 * register 0xF8). Code formula and allowed range: docs/bm13xx-protocol.md §6.3, vectors §8.12.
 */
import type { I2cBus } from '../i2c-bus.js';

export const DS4432U_ADDRESS = 0x48;
export const DS4432U_OUT0 = 0xf8;
export const DS4432U_MIN_V = 0.046;
export const DS4432U_MAX_V = 2.39;

// Feedback network constants from ESP-Miner's DS4432U driver (§6.3).
const VFB = 0.6;
const R_TOP = 3320;
const R_BOTTOM = 4750;
const IFS_A = 9.8921e-5;
/** Below this voltage the DAC sources current (bit 7 set). */
const SOURCE_THRESHOLD_V = 1.451;

export function ds4432uCodeForVoltage(volts: number): number {
  if (!(volts >= DS4432U_MIN_V && volts <= DS4432U_MAX_V)) {
    throw new RangeError(`DS4432U voltage ${volts} V is outside ${DS4432U_MIN_V}–${DS4432U_MAX_V} V`);
  }
  const magnitude = Math.ceil(Math.abs((VFB / R_TOP - (volts - VFB) / R_BOTTOM) / IFS_A) * 127);
  if (magnitude > 127) throw new RangeError(`DS4432U voltage ${volts} V needs code ${magnitude}, beyond 127`);
  return volts < SOURCE_THRESHOLD_V ? magnitude | 0x80 : magnitude;
}

/** The voltage a code produces (the inverse of the formula, before ceil rounding). */
export function ds4432uVoltageForCode(code: number): number {
  if (!Number.isInteger(code) || code < 0 || code > 0xff) throw new RangeError(`DS4432U code must be a byte, got ${code}`);
  const current = ((code & 0x7f) / 127) * IFS_A;
  const sourcing = (code & 0x80) !== 0;
  return VFB + R_BOTTOM * (VFB / R_TOP + (sourcing ? -current : current));
}

export class Ds4432u {
  constructor(
    private readonly bus: I2cBus,
    readonly address = DS4432U_ADDRESS,
  ) {}

  async readCode(): Promise<number> {
    return (await this.bus.writeRead(this.address, Buffer.from([DS4432U_OUT0]), 1))[0]!;
  }

  async probe(): Promise<boolean> {
    try {
      await this.readCode();
      return true;
    } catch {
      return false;
    }
  }

  async setVoltage(volts: number): Promise<number> {
    const code = ds4432uCodeForVoltage(volts);
    await this.bus.write(this.address, Buffer.from([DS4432U_OUT0, code]));
    return code;
  }

  async readVoltageSetpointV(): Promise<number> {
    return ds4432uVoltageForCode(await this.readCode());
  }
}
