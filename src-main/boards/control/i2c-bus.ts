/**
 * An I2C bus as peripheral drivers see it, and its implementation over bitaxe-raw (page 0x05,
 * docs/bm13xx-protocol.md §6.2). Drivers depend only on `I2cBus`, so they also run against the
 * emulator or a test double.
 */
import { type ControlChannel, ControlPage, I2cCommand } from './bitaxe-raw.js';

export interface I2cBus {
  write(address: number, bytes: Uint8Array): Promise<void>;
  read(address: number, length: number): Promise<Buffer>;
  /** Write (usually a register pointer), then read `length` bytes (repeated start). */
  writeRead(address: number, bytes: Uint8Array, length: number): Promise<Buffer>;
}

export class I2cError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'I2cError';
  }
}

function checkAddress(address: number): void {
  if (!Number.isInteger(address) || address < 0 || address > 0x7f) throw new RangeError(`I2C address must be 7-bit, got ${address}`);
}

function checkLength(length: number): void {
  if (!Number.isInteger(length) || length < 1 || length > 255) throw new RangeError(`I2C read length must be 1..255, got ${length}`);
}

export class BitaxeRawI2cBus implements I2cBus {
  constructor(private readonly channel: ControlChannel) {}

  /** Bus clock (later firmware only, §6.2). ESP-Miner runs 100 kHz. */
  async setFrequencyHz(hz: number): Promise<void> {
    if (!Number.isInteger(hz) || hz <= 0 || hz > 0xffffffff) throw new RangeError(`I2C frequency must be a positive integer, got ${hz}`);
    const data = Buffer.alloc(4);
    data.writeUInt32LE(hz, 0);
    await this.channel.request(ControlPage.i2c, I2cCommand.setFrequency, data);
  }

  async write(address: number, bytes: Uint8Array): Promise<void> {
    checkAddress(address);
    await this.channel.request(ControlPage.i2c, I2cCommand.write, Buffer.concat([Buffer.from([address]), bytes]));
  }

  async read(address: number, length: number): Promise<Buffer> {
    checkAddress(address);
    checkLength(length);
    const data = await this.channel.request(ControlPage.i2c, I2cCommand.read, Buffer.from([address, length]));
    return expectLength(data, length, address);
  }

  async writeRead(address: number, bytes: Uint8Array, length: number): Promise<Buffer> {
    checkAddress(address);
    checkLength(length);
    const payload = Buffer.concat([Buffer.from([address]), bytes, Buffer.from([length])]);
    const data = await this.channel.request(ControlPage.i2c, I2cCommand.writeRead, payload);
    return expectLength(data, length, address);
  }
}

/** A V0 reply cannot flag an error (§6.2), so a NACK shows up as a reply of the wrong size. */
function expectLength(data: Buffer, length: number, address: number): Buffer {
  if (data.length !== length) {
    throw new I2cError(`I2C device 0x${address.toString(16).padStart(2, '0')}: expected ${length} bytes, got ${data.length} (device absent or bus error)`);
  }
  return data;
}
