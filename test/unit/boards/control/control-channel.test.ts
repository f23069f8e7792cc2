import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ControlChannel, ControlError, ControlPage, encodeControlResponse, type ByteDuplex } from '../../../../src-main/boards/control/bitaxe-raw.js';
import { BitaxeRawGpio, BitaxePin } from '../../../../src-main/boards/control/gpio.js';
import { BitaxeRawI2cBus, I2cError } from '../../../../src-main/boards/control/i2c-bus.js';
import { BitaxeRawAdc, AdcChannel } from '../../../../src-main/boards/control/adc.js';
import { EmulatedControlPort } from '../../../../src-main/emulator/control/emulated-control-port.js';

/** A stream that records writes and lets the test answer by hand. */
function manualStream() {
  const emitter = new EventEmitter();
  const written: Buffer[] = [];
  const stream: ByteDuplex = {
    write: (chunk) => written.push(Buffer.from(chunk)),
    on: (e, l) => emitter.on(e, l),
    off: (e, l) => emitter.off(e, l),
  };
  return { stream, written, reply: (bytes: Buffer) => emitter.emit('data', bytes) };
}

describe('ControlChannel over the emulated port', () => {
  for (const format of ['v0', 'v1'] as const) {
    it(`${format}: GPIO, I2C and ADC round trips`, async () => {
      const port = new EmulatedControlPort({ format });
      const channel = new ControlChannel(port.hostStream, { format, timeoutMs: 500 });
      const gpio = new BitaxeRawGpio(channel);
      expect(await gpio.get(BitaxePin.asicResetN)).toBe(false); // held in reset after boot
      await gpio.set(BitaxePin.asicResetN, true);
      expect(await gpio.get(BitaxePin.asicResetN)).toBe(true);
      const bus = new BitaxeRawI2cBus(channel);
      expect((await bus.writeRead(0x4c, Buffer.from([0xfe]), 1))[0]).toBe(0x5d);
      expect((await bus.writeRead(0x24, Buffer.from([0xad]), 7)).toString('hex')).toBe('065449546d2441');
      expect(await new BitaxeRawAdc(channel).readRaw(AdcChannel.vin)).toBeGreaterThan(3000);
      channel.close();
    });
  }

  it('v1: device errors become ControlError with the status', async () => {
    const port = new EmulatedControlPort({ format: 'v1' });
    const channel = new ControlChannel(port.hostStream, { format: 'v1', timeoutMs: 500 });
    await expect(channel.request(0x0b, 0x01)).rejects.toMatchObject({ kind: 'device', status: 0x11 });
    await expect(new BitaxeRawI2cBus(channel).read(0x33, 1)).rejects.toThrow(/no ACK from 0x33/);
  });

  it('v0: an absent I2C device shows up as a wrong-length reply, reported clearly', async () => {
    const port = new EmulatedControlPort({ format: 'v0' });
    const channel = new ControlChannel(port.hostStream, { timeoutMs: 500 });
    const err = await new BitaxeRawI2cBus(channel).writeRead(0x33, Buffer.from([0]), 2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(I2cError);
    expect((err as Error).message).toMatch(/0x33: expected 2 bytes/);
  });

  it('requests are sent one at a time, in order', async () => {
    const port = new EmulatedControlPort();
    const channel = new ControlChannel(port.hostStream, { timeoutMs: 500 });
    const gpio = new BitaxeRawGpio(channel);
    const results = await Promise.all([gpio.set(0, true), gpio.get(0), gpio.set(0, false), gpio.get(0)]);
    expect(results).toEqual([undefined, true, undefined, false]);
    expect(port.requests.map((r) => r.data.length)).toEqual([1, 0, 1, 0]);
  });

  it('times out with a clear error and then keeps working; a late reply is dropped', async () => {
    const m = manualStream();
    const channel = new ControlChannel(m.stream, { timeoutMs: 20 });
    const first = channel.request(ControlPage.gpio, 0);
    await expect(first).rejects.toThrow(/page 0x06 cmd 0x00: no reply within 20 ms/);
    const second = channel.request(ControlPage.gpio, 0);
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    expect(m.written.length).toBe(2);
    const firstId = m.written[0]![2]!;
    const secondId = m.written[1]![2]!;
    m.reply(encodeControlResponse('v0', { id: firstId, ok: true, data: Buffer.from([9]) })); // late
    m.reply(encodeControlResponse('v0', { id: secondId, ok: true, data: Buffer.from([1]) }));
    expect([...(await second)]).toEqual([1]);
    expect(channel.strayReplies).toBe(1);
  });

  it('close rejects the pending request and later ones', async () => {
    const m = manualStream();
    const channel = new ControlChannel(m.stream, { timeoutMs: 1000 });
    const p = channel.request(ControlPage.gpio, 0);
    await new Promise((r) => setImmediate(r));
    channel.close();
    await expect(p).rejects.toBeInstanceOf(ControlError);
    await expect(channel.request(ControlPage.gpio, 0)).rejects.toThrow(/closed/);
  });
});
