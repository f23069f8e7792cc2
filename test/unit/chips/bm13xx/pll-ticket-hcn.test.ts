import { describe, expect, it } from 'vitest';
import { hashCountingNumber, nextPowerOfTwo, sweepTimeoutMs } from '../../../../src-main/chips/bm13xx/hcn.js';
import { decodePllRegister, encodePllRegister, frequencyFromPllRegister, frequencyRamp, pllSettingsFor, pllSettingsForModel } from '../../../../src-main/chips/bm13xx/pll.js';
import { writeRegisterAll } from '../../../../src-main/chips/bm13xx/frames.js';
import { effectiveTicketDifficulty, ticketDifficultyFromMask, ticketMaskValue, ticketTarget, ticketWeight } from '../../../../src-main/chips/bm13xx/ticket.js';
import { DIFF1_TARGET } from '../../../../src-main/bitcoin/target.js';
import { hx } from '../hex.js';

describe('PLL (§3.5, §8.10)', () => {
  it('ESP-Miner test: 450 MHz with FBDIV 60..200 → fb 72, ref 2, pd 2/1', () => {
    expect(pllSettingsFor(450, { min: 60, max: 200 })).toMatchObject({ fbDiv: 72, refDiv: 2, postDiv1: 2, postDiv2: 1, frequencyMhz: 450 });
  });

  it.each([
    ['bm1366', 485, '55 AA 51 09 00 08 50 C2 02 40 1C'],
    ['bm1366', 56.25, '55 AA 51 09 00 08 40 BD 02 65 01'],
    ['bm1366', 525, '55 AA 51 09 00 08 40 A8 02 30 03'],
    ['bm1370', 525, '55 AA 51 09 00 08 40 A8 02 30 03'],
    ['bm1370', 600, '55 AA 51 09 00 08 50 C0 02 30 05'],
    ['bm1397', 425, '55 AA 51 09 00 08 40 44 02 21 07'],
  ] as const)('%s %s MHz → %s', (model, mhz, frame) => {
    const value = encodePllRegister(model, pllSettingsForModel(model, mhz));
    expect(writeRegisterAll(0x08, value)).toEqual(hx(frame));
    expect(frequencyFromPllRegister(model, value)).toBe(mhz);
  });

  it.each([
    [62.5, 'D2 02 65', 62.5],
    [75, 'D2 02 64', 75],
    [100, 'E0 02 63', 100],
    [400, 'E0 02 60', 400],
    [500, 'A2 02 30', 506.25],
  ] as const)('raw bytes ESP-Miner sent for %s MHz decode to %s', (_target, raw, mhz) => {
    const value = (0x40 << 24) | hx(raw).readUIntBE(0, 3);
    expect(frequencyFromPllRegister('bm1370', value >>> 0)).toBe(mhz);
  });

  it('BM1397 sniffed 200 MHz frame decodes without the minus one (fb 160, ref 2, pd 2/5)', () => {
    const s = decodePllRegister('bm1397', 0x40a00225);
    expect(s).toMatchObject({ fbDiv: 160, refDiv: 2, postDiv1: 2, postDiv2: 5, frequencyMhz: 200 });
  });

  it('ramp 50 → 485 MHz is 70 writes of 6.25 MHz steps ending at the target (§3.2 step 13)', () => {
    const ramp = frequencyRamp(50, 485);
    expect(ramp.length).toBe(70);
    expect(ramp[0]).toBe(56.25);
    expect(ramp[68]).toBe(481.25);
    expect(ramp[69]).toBe(485);
    expect(frequencyRamp(525, 500)).toEqual([518.75, 512.5, 506.25, 500]);
    expect(frequencyRamp(50, 50)).toEqual([50]);
  });

  it('refuses unreachable or bad frequencies clearly', () => {
    expect(() => pllSettingsForModel('bm1366', -5)).toThrow(/positive/);
    expect(() => pllSettingsForModel('bm1366', 5000)).toThrow(/no PLL setting/);
  });
});

describe('HCN and sweep timeout (§3.6, §8.10)', () => {
  it('BM1366, 1 chip, 485 MHz → 0x000D3224 and the documented frame', () => {
    expect(hashCountingNumber('bm1366', 485, 1)).toBe(0x000d3224);
    expect(writeRegisterAll(0x10, hashCountingNumber('bm1366', 485, 1))).toEqual(hx('55 AA 51 09 00 10 00 0D 32 24 10'));
  });

  it('BM1370 subtracts 268; chains divide by nextpow2(chips)', () => {
    const plain = Math.trunc((((2 ** 32 / 128) * 25) / 525) * 0.5);
    expect(hashCountingNumber('bm1370', 525, 1)).toBe(plain - 268);
    expect(hashCountingNumber('bm1366', 485, 6)).toBe(Math.trunc((((2 ** 32 / 128 / 8) * 25) / 485) * 0.5));
    expect(nextPowerOfTwo(112)).toBe(128);
    expect(nextPowerOfTwo(6)).toBe(8);
  });

  it.each([
    [450, 1, 672, 168, 4, 0.75, 27.962],
    [450, 2, 2040, 128, 65536, 0.5, 76354.974],
    [450, 0, 2040, 128, 65536, 0.5, 500],
    [450, 3, 2040, 128, 256, 0.5, 149.131],
    [450, 1, 2040, 128, 65536, 1.0, 305419.897],
  ] as const)('timeout(%s MHz, %s chips, %s/%s cores, %s versions, %s) = %s ms', (frequencyMhz, chipCount, smallCores, cores, versionSize, fraction, ms) => {
    expect(sweepTimeoutMs({ frequencyMhz, chipCount, smallCores, cores, versionSize, fraction })).toBeCloseTo(ms, 3);
  });
});

describe('ticket mask (§4, §8.10)', () => {
  it.each([
    [256, '00 00 00 FF'],
    [512, '00 00 80 FF'],
    [1024, '00 00 C0 FF'],
    [65536, '00 00 FF FF'],
    [1, '00 00 00 00'],
    [1000, '00 00 80 FF'],
  ] as const)('difficulty %s → %s', (difficulty, bytes) => {
    expect(ticketMaskValue(difficulty)).toBe(hx(bytes).readUInt32BE(0));
  });

  it('documented frames: ticket 256 and ticket 1', () => {
    expect(writeRegisterAll(0x14, ticketMaskValue(256))).toEqual(hx('55 AA 51 09 00 14 00 00 00 FF 08'));
    expect(writeRegisterAll(0x14, ticketMaskValue(1))).toEqual(hx('55 AA 51 09 00 14 00 00 00 00 1C'));
  });

  it('cgminer BM1397 table: last byte for 64…1', () => {
    expect([64, 32, 16, 8, 4, 2, 1].map((d) => ticketMaskValue(d) & 0xff)).toEqual([0xfc, 0xf8, 0xf0, 0xe0, 0xc0, 0x80, 0x00]);
  });

  it('decodes masks back and rejects non-masks', () => {
    for (let p = 0; p <= 32; p++) expect(ticketDifficultyFromMask(ticketMaskValue(2 ** p))).toBe(2 ** p);
    expect(() => ticketDifficultyFromMask(0x000000f7)).toThrow(/not a ticket mask/);
  });

  it('effective difficulty rounds down to a power of two (ceil first)', () => {
    expect(effectiveTicketDifficulty(1000)).toBe(512);
    expect(effectiveTicketDifficulty(256)).toBe(256);
    expect(effectiveTicketDifficulty(255.5)).toBe(256); // ceil(255.5) = 256
    expect(effectiveTicketDifficulty(255)).toBe(128);
    expect(effectiveTicketDifficulty(0.3)).toBe(1);
    expect(() => effectiveTicketDifficulty(0)).toThrow(/positive/);
    expect(() => effectiveTicketDifficulty(Number.NaN)).toThrow(/positive/);
  });

  it('ticketTarget: 32+p leading zero bits, scaled by K, clamped', () => {
    expect(ticketTarget(1)).toBe((1n << 224n) - 1n);
    expect(ticketTarget(256)).toBe((1n << 216n) - 1n);
    expect(ticketTarget(1000)).toBe((1n << 215n) - 1n);
    expect(ticketTarget(256, 20)).toBe((1n << 236n) - 1n);
    expect(ticketTarget(1, 40)).toBe((1n << 256n) - 1n); // K clamped to 32 + p
    // the chip's bit test is slightly looser than the pool-difficulty target of the same difficulty
    expect(ticketTarget(256)).toBeGreaterThan(DIFF1_TARGET / 256n);
    expect(ticketWeight(256, 0)).toBe(256);
    expect(ticketWeight(256, 20)).toBe(256 / 2 ** 20);
    expect(ticketWeight(1, 40)).toBe(2 ** -32);
  });
});
