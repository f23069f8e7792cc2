import { describe, expect, it } from 'vitest';
import { ControlResponseFramer, decodeControlRequest, decodeControlResponseBody, encodeControlRequest, encodeControlResponse } from '../../../../src-main/boards/control/bitaxe-raw.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('bitaxe-raw request encoding (docs §6.2 / §8.11 examples)', () => {
  it.each<[string, { id: number; page: number; command: number; data?: Buffer }, string]>([
    ['set I2C to 400 kHz', { id: 1, page: 0x05, command: 0x10, data: hex('801A0600') }, '0A 00 01 00 05 10 80 1A 06 00'],
    ['write 0xDE to 0x4F', { id: 1, page: 0x05, command: 0x20, data: hex('4FDE') }, '08 00 01 00 05 20 4F DE'],
    ['read 1 byte from 0x4C', { id: 1, page: 0x05, command: 0x30, data: hex('4C01') }, '08 00 01 00 05 30 4C 01'],
    ['write 0xFE to 0x32 then read 2', { id: 1, page: 0x05, command: 0x40, data: hex('32FE02') }, '09 00 01 00 05 40 32 FE 02'],
    ['RST_N low', { id: 0, page: 0x06, command: 0x00, data: hex('00') }, '07 00 00 00 06 00 00'],
    ['read VDD', { id: 0, page: 0x07, command: 0x50 }, '06 00 00 00 07 50'],
    ['GPIO 0 high, id 0x42', { id: 0x42, page: 0x06, command: 0x00, data: hex('01') }, '07 00 42 00 06 00 01'],
    ['LED ff 80 00, id 7', { id: 7, page: 0x08, command: 0x10, data: hex('FF8000') }, '09 00 07 00 08 10 FF 80 00'],
  ])('%s', (_name, req, expected) => {
    const packet = encodeControlRequest(req);
    expect(packet.toString('hex')).toBe(hex(expected).toString('hex'));
    const back = decodeControlRequest(packet);
    expect(back).toMatchObject({ id: req.id, page: req.page, command: req.command, bus: 0 });
    expect(Buffer.from(back!.data).toString('hex')).toBe(Buffer.from(req.data ?? []).toString('hex'));
  });

  it('refuses values that are not bytes', () => {
    expect(() => encodeControlRequest({ id: 256, page: 5, command: 0x20 })).toThrow(/request id/);
    expect(() => encodeControlRequest({ id: 0, page: -1, command: 0x20 })).toThrow(/page/);
  });

  it('decodeControlRequest rejects a packet whose length field disagrees', () => {
    expect(decodeControlRequest(hex('09 00 01 00 05 20 4F DE'))).toBeNull();
    expect(decodeControlRequest(hex('06 00'))).toBeNull();
  });
});

describe('bitaxe-raw responses (docs §8.11)', () => {
  it('V0: 42 01 is id 0x42 with data [01]; 42 FF 00 00 is data, not an error', () => {
    expect(decodeControlResponseBody('v0', hex('42 01'))).toEqual({ id: 0x42, ok: true, data: hex('01') });
    expect(decodeControlResponseBody('v0', hex('42 FF 00 00'))).toEqual({ id: 0x42, ok: true, data: hex('FF0000') });
  });

  it('V1: OK with data, invalid command, custom message', () => {
    expect(decodeControlResponseBody('v1', hex('42 00 01'))).toEqual({ id: 0x42, ok: true, data: hex('01') });
    expect(decodeControlResponseBody('v1', hex('42 11'))).toMatchObject({ id: 0x42, ok: false, status: 0x11, message: 'invalid command' });
    expect(decodeControlResponseBody('v1', Buffer.concat([hex('42 FF'), Buffer.from('bad')]))).toMatchObject({ ok: false, status: 0xff, message: 'bad' });
  });

  it('encodes V0 with len = data bytes and V1 with len = whole packet', () => {
    expect(encodeControlResponse('v0', { id: 0x42, ok: true, data: hex('01') }).toString('hex')).toBe('01004201');
    expect(encodeControlResponse('v1', { id: 0x42, ok: true, data: hex('01') }).toString('hex')).toBe('0500420001');
    expect(encodeControlResponse('v1', { id: 0x42, ok: false, status: 0x11, message: '' }).toString('hex')).toBe('04004211');
    expect(() => encodeControlResponse('v0', { id: 1, ok: false, status: 0x11, message: 'x' })).toThrow(/V0/);
  });

  it('the framer reassembles split packets and splits joined ones', () => {
    for (const format of ['v0', 'v1'] as const) {
      const a = encodeControlResponse(format, { id: 1, ok: true, data: Buffer.alloc(100, 0xaa) });
      const b = encodeControlResponse(format, { id: 2, ok: true, data: hex('0102') });
      const stream = Buffer.concat([a, b]);
      const framer = new ControlResponseFramer(format);
      const got = [];
      for (let i = 0; i < stream.length; i += 7) got.push(...framer.push(stream.subarray(i, i + 7)));
      expect(got.map((r) => r.id)).toEqual([1, 2]);
      expect(got[0]).toMatchObject({ ok: true });
      expect((got[0] as { data: Buffer }).data.length).toBe(100);
    }
  });

  it('the framer drops an impossible length instead of waiting forever', () => {
    const framer = new ControlResponseFramer('v1');
    expect(framer.push(hex('0200 4200'))).toEqual([]);
    expect(framer.droppedBytes).toBe(4);
    const ok = encodeControlResponse('v1', { id: 3, ok: true, data: Buffer.alloc(0) });
    expect(framer.push(ok).map((r) => r.id)).toEqual([3]);
  });
});
