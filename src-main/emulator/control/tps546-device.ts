/**
 * Emulated TPS546D24A at 0x24 (register map: docs/bm13xx-protocol.md §6.3). VOUT_COMMAND and
 * OPERATION drive the thermal model's core voltage; the READ_* commands report the model.
 */
import { Tps546Reg, TPS546_ADDRESS, wordBytes } from '../../boards/control/peripherals/tps546.js';
import { decodeUlinear16, encodeSlinear11, encodeUlinear16, voutModeExponent } from '../../boards/control/peripherals/pmbus-linear.js';
import { I2cNack, type EmulatedI2cDevice } from './emulated-i2c-device.js';
import type { ThermalModel } from './thermal-model.js';

/** VOUT_MODE with exponent −9 (1/512 V steps), as a linear-mode PMBus part reports it. */
const VOUT_MODE = 0x17;
const DEVICE_ID = Buffer.from([0x06, 0x54, 0x49, 0x54, 0x6d, 0x24, 0x41]);

const BYTE_REGS = new Set<number>([Tps546Reg.operation, Tps546Reg.onOffConfig, Tps546Reg.phase, Tps546Reg.voutMode]);
const WORD_RW_REGS = new Set<number>([Tps546Reg.voutCommand, Tps546Reg.voutMax, Tps546Reg.voutMin, Tps546Reg.voutScaleLoop, Tps546Reg.vinOn, Tps546Reg.vinOff]);

export class EmulatedTps546 implements EmulatedI2cDevice {
  readonly address = TPS546_ADDRESS;
  readonly name = 'TPS546';
  private readonly bytes = new Map<number, number>([
    [Tps546Reg.operation, 0x00],
    [Tps546Reg.onOffConfig, 0x1f],
    [Tps546Reg.phase, 0xff],
    [Tps546Reg.voutMode, VOUT_MODE],
  ]);
  private readonly words = new Map<number, number>();
  private readonly exponent = voutModeExponent(VOUT_MODE);
  faultsCleared = 0;

  constructor(private readonly model: ThermalModel) {
    this.words.set(Tps546Reg.voutCommand, encodeUlinear16(1.2, this.exponent));
    this.words.set(Tps546Reg.voutMax, encodeUlinear16(2.0, this.exponent));
    this.words.set(Tps546Reg.voutMin, encodeUlinear16(1.0, this.exponent));
    this.words.set(Tps546Reg.voutScaleLoop, encodeSlinear11(0.25));
    this.words.set(Tps546Reg.vinOn, encodeSlinear11(4.8));
    this.words.set(Tps546Reg.vinOff, encodeSlinear11(4.5));
  }

  get isOn(): boolean {
    return (this.bytes.get(Tps546Reg.operation)! & 0x80) !== 0;
  }

  /** The voltage it regulates to when on, clamped to VOUT_MIN..VOUT_MAX like the part does. */
  get commandedVoltageV(): number {
    const v = decodeUlinear16(this.words.get(Tps546Reg.voutCommand)!, this.exponent);
    const max = decodeUlinear16(this.words.get(Tps546Reg.voutMax)!, this.exponent);
    const min = decodeUlinear16(this.words.get(Tps546Reg.voutMin)!, this.exponent);
    return Math.min(max, Math.max(min, v));
  }

  write(bytes: Buffer): void {
    const cmd = bytes[0];
    if (cmd === undefined) return; // a bare address write (probe)
    if (cmd === Tps546Reg.clearFaults && bytes.length === 1) {
      this.faultsCleared += 1;
      return;
    }
    if (BYTE_REGS.has(cmd) && bytes.length === 2) {
      if (cmd !== Tps546Reg.voutMode) this.bytes.set(cmd, bytes[1]!);
    } else if (WORD_RW_REGS.has(cmd) && bytes.length === 3) {
      this.words.set(cmd, bytes.readUInt16LE(1));
    } else if (bytes.length === 1 && (BYTE_REGS.has(cmd) || WORD_RW_REGS.has(cmd) || this.readable(cmd))) {
      this.pointer = cmd;
      return;
    } else {
      throw new I2cNack(`TPS546 does not accept command 0x${cmd.toString(16)} with ${bytes.length - 1} data bytes`);
    }
    this.applyOutput();
  }

  private pointer: number | null = null;

  read(length: number): Buffer {
    if (this.pointer === null) throw new I2cNack('TPS546 read without a command');
    return this.readCommand(this.pointer, length);
  }

  writeRead(bytes: Buffer, length: number): Buffer {
    const cmd = bytes[0];
    if (cmd === undefined || bytes.length !== 1) throw new I2cNack('TPS546 write-read needs exactly one command byte');
    return this.readCommand(cmd, length);
  }

  private readable(cmd: number): boolean {
    return [Tps546Reg.statusWord, Tps546Reg.readVin, Tps546Reg.readVout, Tps546Reg.readIout, Tps546Reg.readTemperature1, Tps546Reg.icDeviceId].includes(cmd as never);
  }

  private readCommand(cmd: number, length: number): Buffer {
    let out: Buffer;
    if (BYTE_REGS.has(cmd)) out = Buffer.from([this.bytes.get(cmd)!]);
    else if (WORD_RW_REGS.has(cmd)) out = wordBytes(this.words.get(cmd)!);
    else if (cmd === Tps546Reg.icDeviceId) out = DEVICE_ID;
    else if (cmd === Tps546Reg.statusWord) out = wordBytes(this.isOn ? 0x0000 : 0x0840);
    else if (cmd === Tps546Reg.readVin) out = wordBytes(encodeSlinear11(this.model.params.inputVoltageV));
    else if (cmd === Tps546Reg.readVout) out = wordBytes(encodeUlinear16(this.model.coreVoltageV, this.exponent));
    else if (cmd === Tps546Reg.readIout) out = wordBytes(encodeSlinear11(this.model.coreCurrentA()));
    else if (cmd === Tps546Reg.readTemperature1) out = wordBytes(encodeSlinear11(this.model.regulatorTempC()));
    else throw new I2cNack(`TPS546 has no readable command 0x${cmd.toString(16)}`);
    // Reading fewer bytes than the register holds is allowed by I2C; more returns 0xFF padding.
    return Buffer.concat([out, Buffer.alloc(Math.max(0, length - out.length), 0xff)]).subarray(0, length);
  }

  private applyOutput(): void {
    this.model.coreVoltageV = this.isOn ? this.commandedVoltageV : 0;
  }
}
