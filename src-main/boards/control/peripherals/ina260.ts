/**
 * INA260 power monitor (I2C 0x40). Registers are BE 16-bit: 0x01 current × 1.25 mA,
 * 0x02 bus voltage × 1.25 mV, 0x03 power × 10 mW (docs/bm13xx-protocol.md §6.3).
 * The manufacturer id register 0xFE reads 0x5449 ("TI") per the INA260 datasheet.
 */
import type { I2cBus } from '../i2c-bus.js';

export const INA260_ADDRESS = 0x40;
export const Ina260Reg = { current: 0x01, busVoltage: 0x02, power: 0x03, manufacturerId: 0xfe } as const;
export const INA260_MANUFACTURER_ID = 0x5449;

/** The current register is two's complement (the board only ever draws, but a sign must not wrap). */
export function ina260CurrentA(raw: number): number {
  const signed = raw > 0x7fff ? raw - 0x10000 : raw;
  return signed * 0.00125;
}

export function ina260BusVoltageV(raw: number): number {
  return raw * 0.00125;
}

export function ina260PowerW(raw: number): number {
  return raw * 0.01;
}

export class Ina260 {
  constructor(
    private readonly bus: I2cBus,
    readonly address = INA260_ADDRESS,
  ) {}

  async probe(): Promise<boolean> {
    try {
      return (await this.readRegister(Ina260Reg.manufacturerId)) === INA260_MANUFACTURER_ID;
    } catch {
      return false;
    }
  }

  async readCurrentA(): Promise<number> {
    return ina260CurrentA(await this.readRegister(Ina260Reg.current));
  }

  async readBusVoltageV(): Promise<number> {
    return ina260BusVoltageV(await this.readRegister(Ina260Reg.busVoltage));
  }

  async readPowerW(): Promise<number> {
    return ina260PowerW(await this.readRegister(Ina260Reg.power));
  }

  private async readRegister(reg: number): Promise<number> {
    return (await this.bus.writeRead(this.address, Buffer.from([reg]), 2)).readUInt16BE(0);
  }
}
