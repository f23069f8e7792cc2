/** Emulated INA260 at 0x40 reporting the thermal model's input side (docs/bm13xx-protocol.md §6.3). */
import { Ina260Reg, INA260_ADDRESS, INA260_MANUFACTURER_ID } from '../../boards/control/peripherals/ina260.js';
import { I2cNack, type EmulatedI2cDevice } from './emulated-i2c-device.js';
import type { ThermalModel } from './thermal-model.js';

const CONFIG_REG = 0x00;
const WRITABLE = new Set([CONFIG_REG, 0x06, 0x07]);
const DIE_ID_REG = 0xff;

export class EmulatedIna260 implements EmulatedI2cDevice {
  readonly address = INA260_ADDRESS;
  readonly name = 'INA260';
  private pointer = 0;
  private readonly writable = new Map<number, number>([
    [CONFIG_REG, 0x6127],
    [0x06, 0],
    [0x07, 0],
  ]);

  constructor(private readonly model: ThermalModel) {}

  write(bytes: Buffer): void {
    const reg = bytes[0];
    if (reg === undefined) return;
    if (bytes.length === 1) {
      this.pointer = reg;
      return;
    }
    if (bytes.length !== 3 || !WRITABLE.has(reg)) throw new I2cNack(`INA260 register 0x${reg.toString(16)} is not writable that way`);
    this.writable.set(reg, bytes.readUInt16BE(1));
    this.pointer = reg;
  }

  read(length: number): Buffer {
    return this.readRegister(this.pointer, length);
  }

  writeRead(bytes: Buffer, length: number): Buffer {
    const reg = bytes[0];
    if (reg === undefined || bytes.length !== 1) throw new I2cNack('INA260 write-read needs one register byte');
    this.pointer = reg;
    return this.readRegister(reg, length);
  }

  private readRegister(reg: number, length: number): Buffer {
    let value: number;
    if (reg === Ina260Reg.current) value = clamp16(Math.round(this.model.inputCurrentA() / 0.00125));
    else if (reg === Ina260Reg.busVoltage) value = clamp16(Math.round(this.model.params.inputVoltageV / 0.00125));
    else if (reg === Ina260Reg.power) value = clamp16(Math.round(this.model.inputPowerW() / 0.01));
    else if (reg === Ina260Reg.manufacturerId) value = INA260_MANUFACTURER_ID;
    else if (reg === DIE_ID_REG) value = 0x2270;
    else if (this.writable.has(reg)) value = this.writable.get(reg)!;
    else throw new I2cNack(`INA260 has no register 0x${reg.toString(16)}`);
    const out = Buffer.alloc(2);
    out.writeUInt16BE(value, 0);
    return Buffer.concat([out, Buffer.alloc(Math.max(0, length - 2), 0xff)]).subarray(0, length);
  }
}

function clamp16(v: number): number {
  return Math.max(0, Math.min(0x7fff, v));
}
