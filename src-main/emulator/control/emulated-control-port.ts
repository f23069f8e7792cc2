/**
 * A virtual bitaxe-raw control endpoint (docs/bm13xx-protocol.md §6.2): request packets in, reply
 * packets out, with an emulated TPS546, INA260 and EMC2101 on its I2C bus, the RST_N/enable GPIOs,
 * an ADC, and a thermal model tying them together.
 *
 * Byte-level entry points (`receive`, `onOutput`) suit a PTY; `hostStream` is an in-process duplex
 * that `ControlChannel` can use directly. Hooks for the chain emulator: `setHashing`,
 * `setFrequencyMhz`, `onReset`. Time only moves when `step(ms)` is called (or `startRealtime`).
 */
import { EventEmitter } from 'node:events';
import {
  AdcChannel,
  ControlPage,
  ControlStatus,
  I2cCommand,
  decodeControlRequest,
  encodeControlResponse,
  requestPacketLength,
  MAX_CONTROL_PACKET_BYTES,
  type ByteDuplex,
  type ControlResponseFormat,
} from '../../boards/control/bitaxe-raw.js';
import { BitaxePin } from '../../boards/control/gpio.js';
import { EmulatedEmc2101 } from './emc2101-device.js';
import { I2cNack, type EmulatedI2cDevice } from './emulated-i2c-device.js';
import { EmulatedIna260 } from './ina260-device.js';
import { ThermalModel, type ThermalModelParams } from './thermal-model.js';
import { EmulatedTps546 } from './tps546-device.js';

/** USB CDC full-speed packets are 64 bytes (§6.1): replies are delivered in such pieces. */
const CDC_PACKET_BYTES = 64;

export interface EmulatedControlPortOptions {
  format?: ControlResponseFormat;
  thermal?: Partial<ThermalModelParams>;
  initialFrequencyMhz?: number;
  /** Which peripherals to fit (default all three). */
  parts?: { tps546?: boolean; ina260?: boolean; emc2101?: boolean };
}

export class EmulatedControlPort {
  readonly format: ControlResponseFormat;
  readonly model: ThermalModel;
  readonly tps546: EmulatedTps546 | null;
  readonly ina260: EmulatedIna260 | null;
  readonly emc2101: EmulatedEmc2101 | null;
  private readonly devices = new Map<number, EmulatedI2cDevice>();
  /** Pins start as after boot: ASIC held in reset (§6.1), enables on. */
  private readonly pins = new Map<number, boolean>([
    [BitaxePin.asicResetN, false],
    [BitaxePin.vddio5vEnable, true],
    [BitaxePin.tps546Enable, true],
  ]);
  private readonly failingAddresses = new Set<number>();
  private inBuf: Buffer = Buffer.alloc(0);
  private readonly outputListeners = new Set<(bytes: Buffer) => void>();
  private readonly resetListeners = new Set<(held: boolean) => void>();
  private readonly hostEmitter = new EventEmitter();
  /** Every request handled, for tests and traces. */
  readonly requests: { page: number; command: number; data: Buffer }[] = [];
  i2cFrequencyHz = 100_000;
  silent = false;

  constructor(options: EmulatedControlPortOptions = {}) {
    this.format = options.format ?? 'v0';
    this.model = new ThermalModel(options.thermal, options.initialFrequencyMhz);
    const parts = { tps546: true, ina260: true, emc2101: true, ...options.parts };
    this.tps546 = parts.tps546 ? new EmulatedTps546(this.model) : null;
    this.ina260 = parts.ina260 ? new EmulatedIna260(this.model) : null;
    this.emc2101 = parts.emc2101 ? new EmulatedEmc2101(this.model) : null;
    for (const d of [this.tps546, this.ina260, this.emc2101]) if (d) this.devices.set(d.address, d);
    if (!this.tps546) this.model.coreVoltageV = 1.2; // a board without a host regulator is always powered
    this.model.resetHeld = true;
  }

  /** The host end of an in-process link (SerialPort-shaped: write / on('data') / off). */
  readonly hostStream: ByteDuplex = {
    write: (chunk: Buffer) => {
      this.receive(chunk);
      return true;
    },
    on: (event: 'data', listener: (chunk: Buffer) => void) => this.hostEmitter.on(event, listener),
    off: (event: 'data', listener: (chunk: Buffer) => void) => this.hostEmitter.off(event, listener),
  };

  /** Bytes from the host. Complete packets are handled; replies arrive asynchronously. */
  receive(bytes: Uint8Array): void {
    this.inBuf = Buffer.concat([this.inBuf, bytes]);
    for (;;) {
      const len = requestPacketLength(this.inBuf);
      if (len === null) return;
      if (len < 6 || len > MAX_CONTROL_PACKET_BYTES) {
        this.inBuf = Buffer.alloc(0); // garbage: drop and wait for the next packet
        return;
      }
      if (this.inBuf.length < len) return;
      const packet = this.inBuf.subarray(0, len);
      this.inBuf = this.inBuf.subarray(len);
      const reply = this.handle(packet);
      if (reply && !this.silent) queueMicrotask(() => this.emit(reply));
    }
  }

  onOutput(listener: (bytes: Buffer) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  /** Called with `true` when RST_N goes low (chips held in reset) and `false` when released. */
  onReset(listener: (held: boolean) => void): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  setHashing(on: boolean): void {
    this.model.hashing = on;
  }

  setFrequencyMhz(frequencyMhz: number): void {
    if (!(frequencyMhz > 0)) throw new RangeError(`frequency must be positive, got ${frequencyMhz}`);
    this.model.frequencyMhz = frequencyMhz;
  }

  /** The room the board sits in: the model's ambient temperature, also reported as the ambient figure. */
  setAmbientC(celsius: number): void {
    if (!Number.isFinite(celsius)) throw new RangeError(`ambient temperature must be a number, got ${celsius}`);
    this.model.params.ambientC = celsius;
  }

  get ambientC(): number {
    return this.model.params.ambientC;
  }

  get resetHeld(): boolean {
    return !this.pins.get(BitaxePin.asicResetN);
  }

  /** Make a device stop answering (NACK), e.g. to test sensor-failure paths. */
  setDeviceFailing(address: number, failing: boolean): void {
    if (failing) this.failingAddresses.add(address);
    else this.failingAddresses.delete(address);
  }

  step(ms: number): void {
    this.model.step(ms);
  }

  /** Advance the model with wall-clock time (app/PTY use). Returns a stop function. */
  startRealtime(tickMs = 250): () => void {
    let last = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      this.step(now - last);
      last = now;
    }, tickMs);
    timer.unref?.();
    return () => clearInterval(timer);
  }

  private emit(reply: Buffer): void {
    for (let i = 0; i < reply.length; i += CDC_PACKET_BYTES) {
      const piece = Buffer.from(reply.subarray(i, i + CDC_PACKET_BYTES));
      this.hostEmitter.emit('data', piece);
      for (const l of this.outputListeners) l(piece);
    }
  }

  private handle(packet: Buffer): Buffer | null {
    const req = decodeControlRequest(packet);
    if (!req) return null;
    this.requests.push({ page: req.page, command: req.command, data: Buffer.from(req.data) });
    try {
      const data = this.dispatch(req.page, req.command, Buffer.from(req.data));
      return encodeControlResponse(this.format, { id: req.id, ok: true, data });
    } catch (err) {
      const invalid = err instanceof InvalidCommand;
      const message = (err as Error).message;
      if (this.format === 'v1') {
        return encodeControlResponse('v1', {
          id: req.id,
          ok: false,
          status: invalid ? ControlStatus.invalidCommand : ControlStatus.custom,
          message,
        });
      }
      // V0 has no status: the original firmware's error write comes out as a reply whose payload
      // is the message text (§6.2, "V0 errors cannot be told apart reliably"). Hosts notice the
      // wrong length.
      return encodeControlResponse('v0', { id: req.id, ok: true, data: Buffer.from(message.slice(0, 60), 'utf8') });
    }
  }

  private dispatch(page: number, command: number, data: Buffer): Buffer {
    switch (page) {
      case ControlPage.i2c:
        return this.i2c(command, data);
      case ControlPage.gpio:
        return this.gpio(command, data);
      case ControlPage.adc:
        return this.adc(command);
      default:
        throw new InvalidCommand(`page 0x${page.toString(16)} not supported`);
    }
  }

  private i2c(command: number, data: Buffer): Buffer {
    if (command === I2cCommand.setFrequency) {
      if (data.length !== 4) throw new InvalidCommand('set frequency needs a u32');
      this.i2cFrequencyHz = data.readUInt32LE(0);
      return Buffer.alloc(0);
    }
    const address = data[0];
    if (address === undefined) throw new InvalidCommand('I2C request without an address');
    const device = this.devices.get(address);
    try {
      if (!device || this.failingAddresses.has(address)) throw new I2cNack(`no ACK from 0x${address.toString(16)}`);
      switch (command) {
        case I2cCommand.write:
          device.write(data.subarray(1));
          return Buffer.alloc(0);
        case I2cCommand.read:
          return device.read(readLength(data[1]));
        case I2cCommand.writeRead:
          return device.writeRead(data.subarray(1, data.length - 1), readLength(data[data.length - 1]));
        default:
          throw new InvalidCommand(`I2C command 0x${command.toString(16)} not supported`);
      }
    } catch (err) {
      if (err instanceof I2cNack || err instanceof InvalidCommand) throw err;
      throw new I2cNack((err as Error).message);
    }
  }

  private gpio(pin: number, data: Buffer): Buffer {
    if (!this.pins.has(pin)) throw new InvalidCommand(`GPIO ${pin} not available`);
    if (data.length === 0) return Buffer.from([this.pins.get(pin) ? 1 : 0]);
    const high = data[0] !== 0;
    const before = this.pins.get(pin);
    this.pins.set(pin, high);
    if (pin === BitaxePin.asicResetN && before !== high) {
      this.model.resetHeld = !high;
      if (!high) this.model.hashing = false;
      for (const l of this.resetListeners) l(!high);
    }
    return Buffer.from([high ? 1 : 0]);
  }

  /**
   * Raw 12-bit counts. The real divider is not documented (§6.2), so this scaling (3.1 V full
   * scale, VIN through a ÷2 divider) is the emulator's own.
   */
  private adc(channel: number): Buffer {
    let volts: number;
    if (channel === AdcChannel.vdd) volts = this.model.coreVoltageV;
    else if (channel === AdcChannel.vin) volts = this.model.params.inputVoltageV / 2;
    else throw new InvalidCommand(`ADC channel 0x${channel.toString(16)} not supported`);
    const out = Buffer.alloc(2);
    out.writeUInt16LE(Math.max(0, Math.min(4095, Math.round((volts / 3.1) * 4095))), 0);
    return out;
  }
}

class InvalidCommand extends Error {}

function readLength(n: number | undefined): number {
  if (n === undefined || n < 1) throw new InvalidCommand('I2C read needs a length of at least 1');
  return n;
}
