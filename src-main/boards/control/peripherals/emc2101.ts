/**
 * EMC2101 fan controller and temperature sensor (I2C 0x4C). Registers and formulas:
 * docs/bm13xx-protocol.md §6.3.
 */
import type { I2cBus } from '../i2c-bus.js';

export const EMC2101_ADDRESS = 0x4c;
export const Emc2101Reg = {
  internalTemp: 0x00,
  externalTempHigh: 0x01,
  config: 0x03,
  externalTempLow: 0x10,
  idealityFactor: 0x17,
  betaConfig: 0x18,
  tachLow: 0x46,
  tachHigh: 0x47,
  fanConfig: 0x4a,
  fanSetting: 0x4c,
  productId: 0xfd,
  manufacturerId: 0xfe,
} as const;

export const EMC2101_PRODUCT_IDS = [0x16, 0x28];
export const EMC2101_MANUFACTURER_ID = 0x5d;
/** Full scale of the fan setting register. */
export const EMC2101_FAN_STEPS = 63;
/** Diode fault codes in the 11-bit external reading. */
export const EMC2101_DIODE_OPEN = 0x3f8;
export const EMC2101_DIODE_SHORT = 0x3ff;

export function emc2101FanSetting(percent: number): number {
  if (!(percent >= 0 && percent <= 100)) throw new RangeError(`fan duty must be 0–100 %, got ${percent}`);
  return Math.floor((EMC2101_FAN_STEPS * percent) / 100);
}

export function emc2101FanPercent(setting: number): number {
  return (Math.min(setting & 0x3f, EMC2101_FAN_STEPS) / EMC2101_FAN_STEPS) * 100;
}

/** RPM = 5,400,000 / tach count; ESP-Miner reports the stalled value (82 RPM) as 0. */
export function emc2101Rpm(tachCount: number): number {
  if (tachCount <= 0) return 0;
  const rpm = Math.floor(5_400_000 / tachCount);
  return rpm === 82 ? 0 : rpm;
}

/** The tach count a given RPM produces (the emulator's side). */
export function emc2101TachCount(rpm: number): number {
  return rpm <= 0 ? 0xffff : Math.min(0xffff, Math.round(5_400_000 / rpm));
}

export type ExternalTemperature = { ok: true; celsius: number } | { ok: false; fault: 'open' | 'short' };

/** External diode: ((high << 8 | low) >> 5) as a signed 11-bit value in eighths of a degree. */
export function emc2101ExternalTemperature(high: number, low: number): ExternalTemperature {
  const raw = ((high << 8) | low) >> 5;
  if (raw === EMC2101_DIODE_OPEN) return { ok: false, fault: 'open' };
  if (raw === EMC2101_DIODE_SHORT) return { ok: false, fault: 'short' };
  const signed = raw > 0x3ff ? raw - 0x800 : raw;
  return { ok: true, celsius: signed / 8 };
}

/** Inverse of emc2101ExternalTemperature (the emulator's side), rounded to 1/8 °C. */
export function emc2101ExternalTemperatureBytes(celsius: number): [number, number] {
  const eighths = Math.max(-1024, Math.min(1015, Math.round(celsius * 8)));
  const raw = (eighths & 0x7ff) << 5;
  return [(raw >> 8) & 0xff, raw & 0xe0];
}

export class Emc2101 {
  constructor(
    private readonly bus: I2cBus,
    readonly address = EMC2101_ADDRESS,
  ) {}

  async probe(): Promise<boolean> {
    try {
      const product = await this.readByte(Emc2101Reg.productId);
      const maker = await this.readByte(Emc2101Reg.manufacturerId);
      return maker === EMC2101_MANUFACTURER_ID && EMC2101_PRODUCT_IDS.includes(product);
    } catch {
      return false;
    }
  }

  /** TACH input on, fan config as ESP-Miner sets it; Gamma-style ideality/beta when asked (§6.3). */
  async init(options: { gammaDiode?: boolean } = {}): Promise<void> {
    await this.writeByte(Emc2101Reg.config, 0x04);
    await this.writeByte(Emc2101Reg.fanConfig, 0x23);
    if (options.gammaDiode) {
      await this.writeByte(Emc2101Reg.idealityFactor, 0x24);
      await this.writeByte(Emc2101Reg.betaConfig, 0x00);
    }
  }

  async setFanPercent(percent: number): Promise<void> {
    await this.writeByte(Emc2101Reg.fanSetting, emc2101FanSetting(percent));
  }

  async readFanPercent(): Promise<number> {
    return emc2101FanPercent(await this.readByte(Emc2101Reg.fanSetting));
  }

  async readFanRpm(): Promise<number> {
    // Low byte first: reading it latches the high byte on the EMC2101.
    const low = await this.readByte(Emc2101Reg.tachLow);
    const high = await this.readByte(Emc2101Reg.tachHigh);
    return emc2101Rpm((high << 8) | low);
  }

  /** ASIC diode temperature, or null with a reason when the diode reads open/short. */
  async readExternalTemperature(): Promise<ExternalTemperature> {
    const high = await this.readByte(Emc2101Reg.externalTempHigh);
    const low = await this.readByte(Emc2101Reg.externalTempLow);
    return emc2101ExternalTemperature(high, low);
  }

  async readInternalTemperatureC(): Promise<number> {
    const v = await this.readByte(Emc2101Reg.internalTemp);
    return v > 127 ? v - 256 : v;
  }

  private async readByte(reg: number): Promise<number> {
    return (await this.bus.writeRead(this.address, Buffer.from([reg]), 1))[0]!;
  }

  private async writeByte(reg: number, value: number): Promise<void> {
    await this.bus.write(this.address, Buffer.from([reg, value]));
  }
}
