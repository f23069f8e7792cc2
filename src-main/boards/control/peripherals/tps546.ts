/**
 * TPS546D24A core-voltage regulator (PMBus at 0x24). Register map and formats:
 * docs/bm13xx-protocol.md §6.3. Pure word math lives in pmbus-linear.ts.
 */
import type { I2cBus } from '../i2c-bus.js';
import { decodeSlinear11, decodeUlinear16, encodeSlinear11, encodeUlinear16, voutModeExponent } from './pmbus-linear.js';

export const TPS546_ADDRESS = 0x24;

export const Tps546Reg = {
  operation: 0x01,
  onOffConfig: 0x02,
  clearFaults: 0x03,
  phase: 0x04,
  voutMode: 0x20,
  voutCommand: 0x21,
  voutMax: 0x24,
  voutScaleLoop: 0x29,
  voutMin: 0x2b,
  vinOn: 0x35,
  vinOff: 0x36,
  statusWord: 0x79,
  readVin: 0x88,
  readVout: 0x8b,
  readIout: 0x8c,
  readTemperature1: 0x8d,
  icDeviceId: 0xad,
} as const;

export const TPS546_OPERATION_OFF = 0x00;
export const TPS546_OPERATION_ON = 0x80;

/** IC_DEVICE_ID payloads accepted (after the block length byte): TPS546D24A and the variants mujina accepts. */
const KNOWN_DEVICE_IDS = ['5449546d2441', '5449546b2441', '5449546d2462'];

export function isKnownTps546DeviceId(id: Uint8Array): boolean {
  return KNOWN_DEVICE_IDS.includes(Buffer.from(id).toString('hex'));
}

/**
 * Fault bits of STATUS_WORD (PMBus standard layout). OFF and POWER_GOOD# are left out: they are
 * set whenever the output is simply switched off.
 */
const STATUS_WORD_FAULTS: ReadonlyArray<[number, string]> = [
  [0x8000, 'an output-voltage fault or warning'],
  [0x0020, 'output over-voltage'],
  [0x0010, 'output over-current'],
  [0x0008, 'input under-voltage'],
  [0x0004, 'over-temperature'],
  [0x0002, 'a communication fault'],
];

export function tps546FaultNames(statusWord: number): string[] {
  return STATUS_WORD_FAULTS.filter(([bit]) => (statusWord & bit) !== 0).map(([, name]) => name);
}

export interface Tps546Config {
  vinOnV: number;
  vinOffV: number;
  voutMinV: number;
  voutMaxV: number;
  voutScaleLoop: number;
}

/** Single-chip Bitaxe values from ESP-Miner (§6.3). */
export const TPS546_SINGLE_CHIP_CONFIG: Tps546Config = { vinOnV: 4.8, vinOffV: 4.5, voutMinV: 1.0, voutMaxV: 2.0, voutScaleLoop: 0.25 };

/** Encode a PMBus word as it goes on the bus (LE). */
export function wordBytes(word: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(word, 0);
  return b;
}

export class Tps546 {
  private exponent: number | null = null;

  constructor(
    private readonly bus: I2cBus,
    readonly config: Tps546Config = TPS546_SINGLE_CHIP_CONFIG,
    readonly address = TPS546_ADDRESS,
  ) {}

  /** Block read of IC_DEVICE_ID: a length byte, then the id bytes. */
  async readDeviceId(): Promise<Buffer> {
    const raw = await this.bus.writeRead(this.address, Buffer.from([Tps546Reg.icDeviceId]), 7);
    const n = raw[0]!;
    if (n < 1 || n > 6) throw new Error(`TPS546 IC_DEVICE_ID block length ${n} is not plausible`);
    return raw.subarray(1, 1 + n);
  }

  async probe(): Promise<boolean> {
    try {
      return isKnownTps546DeviceId(await this.readDeviceId());
    } catch {
      return false;
    }
  }

  /** Configure limits with the output off (done before the first setVoltage). */
  async init(): Promise<void> {
    const id = await this.readDeviceId();
    if (!isKnownTps546DeviceId(id)) throw new Error(`device at 0x24 is not a TPS546 (IC_DEVICE_ID ${id.toString('hex')})`);
    await this.writeByte(Tps546Reg.operation, TPS546_OPERATION_OFF);
    await this.bus.write(this.address, Buffer.from([Tps546Reg.clearFaults]));
    await this.writeByte(Tps546Reg.onOffConfig, 0x1f);
    const exponent = await this.voutExponent();
    await this.writeWord(Tps546Reg.vinOn, encodeSlinear11(this.config.vinOnV));
    await this.writeWord(Tps546Reg.vinOff, encodeSlinear11(this.config.vinOffV));
    await this.writeWord(Tps546Reg.voutScaleLoop, encodeSlinear11(this.config.voutScaleLoop));
    await this.writeWord(Tps546Reg.voutMax, encodeUlinear16(this.config.voutMaxV, exponent));
    await this.writeWord(Tps546Reg.voutMin, encodeUlinear16(this.config.voutMinV, exponent));
  }

  async voutExponent(): Promise<number> {
    if (this.exponent === null) this.exponent = voutModeExponent(await this.readByte(Tps546Reg.voutMode));
    return this.exponent;
  }

  /** VOUT_COMMAND, then OPERATION = on, then read OPERATION back (§6.3). */
  async setVoltage(volts: number): Promise<void> {
    if (!(volts >= this.config.voutMinV && volts <= this.config.voutMaxV)) {
      throw new RangeError(`core voltage ${volts} V is outside ${this.config.voutMinV}–${this.config.voutMaxV} V`);
    }
    const exponent = await this.voutExponent();
    await this.writeWord(Tps546Reg.voutCommand, encodeUlinear16(volts, exponent));
    await this.writeByte(Tps546Reg.operation, TPS546_OPERATION_ON);
    const op = await this.readByte(Tps546Reg.operation);
    if (op !== TPS546_OPERATION_ON) throw new Error(`TPS546 did not turn on (OPERATION reads 0x${op.toString(16)})`);
  }

  async off(): Promise<void> {
    await this.writeByte(Tps546Reg.operation, TPS546_OPERATION_OFF);
  }

  async isOn(): Promise<boolean> {
    return ((await this.readByte(Tps546Reg.operation)) & 0x80) !== 0;
  }

  async readInputVoltageV(): Promise<number> {
    return decodeSlinear11(await this.readWord(Tps546Reg.readVin));
  }

  async readOutputVoltageV(): Promise<number> {
    return decodeUlinear16(await this.readWord(Tps546Reg.readVout), await this.voutExponent());
  }

  async readOutputCurrentA(): Promise<number> {
    return decodeSlinear11(await this.readWord(Tps546Reg.readIout));
  }

  async readTemperatureC(): Promise<number> {
    return decodeSlinear11(await this.readWord(Tps546Reg.readTemperature1));
  }

  async readStatusWord(): Promise<number> {
    return this.readWord(Tps546Reg.statusWord);
  }

  private async readByte(reg: number): Promise<number> {
    return (await this.bus.writeRead(this.address, Buffer.from([reg]), 1))[0]!;
  }

  private async readWord(reg: number): Promise<number> {
    return (await this.bus.writeRead(this.address, Buffer.from([reg]), 2)).readUInt16LE(0);
  }

  private async writeByte(reg: number, value: number): Promise<void> {
    await this.bus.write(this.address, Buffer.from([reg, value]));
  }

  private async writeWord(reg: number, word: number): Promise<void> {
    await this.bus.write(this.address, Buffer.concat([Buffer.from([reg]), wordBytes(word)]));
  }
}
