import { describe, expect, it } from 'vitest';
import { crc16 } from '../../../../src-main/chips/bm13xx/crc.js';
import {
  buildNonceResponse,
  buildRegisterResponse,
  chainInactiveFrame,
  HostFrameParser,
  isValidResponse,
  parseHostFrame,
  readRegister,
  readRegisterAll,
  responseType,
  setAddressFrame,
  wrapJob,
  writeRegister,
  writeRegisterAll,
} from '../../../../src-main/chips/bm13xx/frames.js';
import { hx } from '../hex.js';
import { JOB_BM1366_CAPTURE, JOB_BM1397_4MS, JOB_BM1397_VERIFIER, JOB_ESP_MINER, JOB_LEN36 } from '../vectors.js';

describe('command frame builders (§1.1, §1.2, §8.1)', () => {
  it('builds the documented frames byte for byte', () => {
    expect(readRegisterAll(0x00)).toEqual(hx('55 AA 52 05 00 00 0A'));
    expect(chainInactiveFrame()).toEqual(hx('55 AA 53 05 00 00 03'));
    expect(setAddressFrame(0x00)).toEqual(hx('55 AA 40 05 00 00 1C'));
    expect(setAddressFrame(0x08)).toEqual(hx('55 AA 40 05 08 00 07'));
    expect(setAddressFrame(0xd2)).toEqual(hx('55 AA 40 05 D2 00 18'));
    expect(writeRegisterAll(0xa4, 0x9000ffff)).toEqual(hx('55 AA 51 09 00 A4 90 00 FF FF 1C'));
    expect(writeRegisterAll(0x28, 0x11300200)).toEqual(hx('55 AA 51 09 00 28 11 30 02 00 03'));
    expect(writeRegister(0x00, 0x2c, 0x007c0003)).toEqual(hx('55 AA 41 09 00 2C 00 7C 00 03 03'));
    expect(writeRegister(0x01, 0x00, 0x13700001)).toEqual(hx('55 AA 41 09 01 00 13 70 00 01 0A'));
    expect(readRegisterAll(0x8c)).toEqual(hx('55 AA 52 05 00 8C 1D'));
    expect(readRegisterAll(0x04)).toEqual(hx('55 AA 52 05 00 04 1E'));
  });

  it('rejects out-of-range input with a clear error', () => {
    expect(() => writeRegisterAll(0x100, 0)).toThrow(/register must be a byte/);
    expect(() => writeRegisterAll(0x14, -1)).toThrow(/32-bit/);
    expect(() => writeRegisterAll(0x14, 2 ** 32)).toThrow(/32-bit/);
    expect(() => setAddressFrame(1.5)).toThrow(/chip address/);
  });
});

describe('job frames and CRC16 (§1.4, §8.5, §8.6a)', () => {
  it.each([
    ['ESP-Miner capture', JOB_ESP_MINER, 0x6b18],
    ['length 0x36 job', JOB_LEN36, 0x7fd3],
    ['BM1397 4-midstate', JOB_BM1397_4MS, 0x8c24],
    ['BM1397 verifier', JOB_BM1397_VERIFIER, 0x6b1d],
    ['BM1366 capture', JOB_BM1366_CAPTURE, 0x3c3f],
  ] as const)('%s has CRC16 %s over frame[2..end-2], appended BE', (_name, frame, crc) => {
    expect(crc16(frame, 2, frame.length - 2)).toBe(crc);
    expect(frame.readUInt16BE(frame.length - 2)).toBe(crc);
  });

  it('wrapJob rebuilds header, length and CRC of the captured frames', () => {
    expect(wrapJob(JOB_ESP_MINER.subarray(4, -2))).toEqual(JOB_ESP_MINER);
    expect(wrapJob(JOB_BM1366_CAPTURE.subarray(4, -2))).toEqual(JOB_BM1366_CAPTURE);
    expect(wrapJob(JOB_BM1397_VERIFIER.subarray(4, -2))).toEqual(JOB_BM1397_VERIFIER);
    expect(JOB_BM1397_VERIFIER.length).toBe(152);
    expect(JOB_BM1366_CAPTURE.length).toBe(88);
  });
});

describe('parseHostFrame', () => {
  it('decodes a broadcast write', () => {
    const f = parseHostFrame(hx('55 AA 51 09 00 A4 90 00 FF FF 1C'));
    expect(f).toMatchObject({ type: 'command', broadcast: true, cmd: 1, chipAddress: 0, register: 0xa4, value: 0x9000ffff });
  });
  it('decodes single-chip read, set address, chain inactive', () => {
    expect(parseHostFrame(readRegister(0x2a, 0x8c))).toMatchObject({ type: 'command', broadcast: false, cmd: 2, chipAddress: 0x2a, register: 0x8c });
    expect(parseHostFrame(setAddressFrame(0x54))).toMatchObject({ type: 'command', broadcast: false, cmd: 0, chipAddress: 0x54 });
    expect(parseHostFrame(chainInactiveFrame())).toMatchObject({ type: 'command', broadcast: true, cmd: 3 });
  });
  it('decodes a job frame and keeps the length byte', () => {
    const f = parseHostFrame(JOB_LEN36);
    expect(f.type).toBe('job');
    if (f.type === 'job') {
      expect(f.payload.length).toBe(82);
      expect(f.lengthByte).toBe(0x36);
    }
  });
  it('reports bad CRCs and garbage instead of throwing', () => {
    const bad = hx('55 AA 51 09 00 A4 90 00 FF FF 1D');
    expect(parseHostFrame(bad)).toMatchObject({ type: 'error', reason: expect.stringMatching(/CRC5/) });
    const badJob = Buffer.from(JOB_ESP_MINER);
    badJob[20]! ^= 1;
    expect(parseHostFrame(badJob)).toMatchObject({ type: 'error', reason: expect.stringMatching(/CRC16/) });
    expect(parseHostFrame(Buffer.alloc(3))).toMatchObject({ type: 'error' });
    expect(parseHostFrame(hx('AA 55 51 09 00 A4 90 00 FF FF 1C'))).toMatchObject({ type: 'error', reason: expect.stringMatching(/preamble/) });
  });
});

describe('HostFrameParser (emulator receive side)', () => {
  it('splits a stream of commands and jobs delivered in small chunks, skipping garbage', () => {
    const stream = Buffer.concat([
      hx('00 13 55'),
      writeRegisterAll(0xa4, 0x9000ffff),
      JOB_ESP_MINER,
      hx('FF'),
      readRegisterAll(0),
      hx('55 AA 51 09 00 A4 90 00 FF FF 1D'), // bad CRC
      JOB_BM1397_VERIFIER,
    ]);
    const p = new HostFrameParser();
    const frames = [];
    for (let i = 0; i < stream.length; i += 5) frames.push(...p.push(stream.subarray(i, i + 5)));
    expect(frames.map((f) => f.type)).toEqual(['command', 'job', 'command', 'job']);
    expect(p.framesOk).toBe(4);
    expect(p.framesBad).toBeGreaterThanOrEqual(1);
  });
});

describe('response builders (§1.5, §8.2, §8.3, §8.6a)', () => {
  it('rebuilds documented register replies', () => {
    expect(buildRegisterResponse({ value: 0x13660000, chipAddress: 0, register: 0, length: 11 })).toEqual(hx('AA 55 13 66 00 00 00 00 00 00 05'));
    expect(buildRegisterResponse({ value: 0x13680000, chipAddress: 0, register: 0 })).toEqual(hx('AA 55 13 68 00 00 00 00 00 00 0F'));
    expect(buildRegisterResponse({ value: 0x13700000, chipAddress: 0, register: 0, length: 11 })).toEqual(hx('AA 55 13 70 00 00 00 00 00 00 10'));
    expect(buildRegisterResponse({ value: 0x13700000, chipAddress: 0, register: 0, length: 9 })).toEqual(hx('AA 55 13 70 00 00 00 00 06'));
    expect(buildRegisterResponse({ value: 0x13971800, chipAddress: 0, register: 0, length: 9 })).toEqual(hx('AA 55 13 97 18 00 00 00 06'));
    expect(buildRegisterResponse({ value: 0x0000c100, chipAddress: 0, register: 0x18, length: 9 })).toEqual(hx('AA 55 00 00 C1 00 00 18 02'));
  });

  it('rebuilds documented nonce replies including the type bits', () => {
    expect(buildNonceResponse({ nonceBytes: hx('08 39 28 A9'), byte6: 3, jobByte: 0x2b, versionField: 0x0003 })).toEqual(hx('AA 55 08 39 28 A9 03 2B 00 03 96'));
    expect(buildNonceResponse({ nonce: 0xbe4e511a, byte6: 1, jobByte: 0x28, versionField: 0 })).toEqual(hx('AA 55 1A 51 4E BE 01 28 00 00 8A'));
    expect(buildNonceResponse({ nonce: 0x40a60018, byte6: 2, jobByte: 0x99, versionField: 0x22f9 })).toEqual(hx('AA 55 18 00 A6 40 02 99 22 F9 91'));
    expect(buildNonceResponse({ nonceBytes: hx('6D B8 8E E1'), byte6: 1, jobByte: 0x04, versionField: 0x0354 })).toEqual(hx('AA 55 6D B8 8E E1 01 04 03 54 94'));
    const nine = buildNonceResponse({ nonceBytes: hx('00 03 EA 0F'), byte6: 2, jobByte: 0x20, length: 9 });
    expect(nine).toEqual(hx('AA 55 00 03 EA 0F 02 20 9C'));
    expect(responseType(nine)).toBe(4);
    expect(isValidResponse(nine)).toBe(true);
  });

  it('rejects bad builder input', () => {
    expect(() => buildNonceResponse({ jobByte: 0 })).toThrow(/nonce/);
    expect(() => buildNonceResponse({ nonce: 1, jobByte: 0, versionField: 0x10000 })).toThrow(/16 bits/);
  });
});
