import { describe, expect, it } from 'vitest';
import { bm1366 } from '../../../src-main/chips/bm1366.js';
import { bm1368 } from '../../../src-main/chips/bm1368.js';
import { bm1370 } from '../../../src-main/chips/bm1370.js';
import type { InitStep } from '../../../src-main/chips/driver.js';
import { chipDriver, modelFromChipId } from '../../../src-main/chips/index.js';
import { CHIP_MODELS } from '@shared/chip-model.js';
import { buildNonceResponse, buildRegisterResponse, setAddressFrame, writeRegisterAll } from '../../../src-main/chips/bm13xx/frames.js';
import { hashCountingNumber } from '../../../src-main/chips/bm13xx/hcn.js';
import { hx } from './hex.js';
import { JOB_ESP_MINER } from './vectors.js';

const frames = (plan: InitStep[]): string[] => plan.map((s) => (s.kind === 'write' || s.kind === 'enumerate' ? s.frame.toString('hex').toUpperCase() : s.kind));
const w = (t: string): string => hx(t).toString('hex').toUpperCase();

describe('BM1370 nonce responses (§8.3, ESP-Miner decoding)', () => {
  it.each([
    ['AA 55 18 00 A6 40 02 99 22 F9 91', 0x40a60018, 0x02, 0x48, 9, 0x045f2000, 0x0c],
    ['AA 55 07 35 CD CF 02 5E 00 2E 96', 0xcfcd3507, 0x02, 0x28, 14, 0x002e << 13, (0x0735cdcf >>> 25) & 0x7f],
    ['AA 55 46 03 32 E7 00 C3 2C 83 99', 0xe7320346, 0x00, 0x60, 3, 0x2c83 << 13, (0x460332e7 >>> 25) & 0x7f],
  ] as const)('%s', (frame, nonce, byte6, jobId, smallCore, versionBits, coreId) => {
    expect(bm1370.decodeResponse(hx(frame))).toEqual({
      kind: 'nonce',
      nonce,
      byte6,
      chipJobId: jobId,
      smallCoreId: smallCore,
      versionBits,
      midstateIndex: 0,
      coreId,
      chipAddress: (hx(frame).readUInt32BE(2) >>> 17) & 0xff,
    });
  });

  it.each(['AA 55 7B 8D 81 60 02 55 00 85 81', 'AA 55 32 2A 84 5A 02 52 01 B2 8C', 'AA 55 50 03 41 D6 00 81 18 01 9B'])('%s checks', (frame) => {
    expect(bm1370.decodeResponse(hx(frame))?.kind).toBe('nonce');
  });

  it('BM1362 example with the 5+3 split: core 0x36, address 0xDC, job 0, sub-core 4, version 0x006A8000', () => {
    expect(bm1366.decodeResponse(hx('AA 55 6D B8 8E E1 01 04 03 54 94'))).toMatchObject({ nonce: 0xe18eb86d, coreId: 0x36, chipAddress: 0xdc, chipJobId: 0, smallCoreId: 4, versionBits: 0x006a8000 });
  });

  it('4+4 job byte round-trips every id of the sequence', () => {
    let id: number | null = null;
    const seen: number[] = [];
    for (let i = 0; i < 16; i++) {
      id = bm1370.nextChipJobId(id);
      seen.push(id);
      const r = bm1370.decodeResponse(buildNonceResponse({ nonce: 7, jobByte: bm1370.responseJobByte(id, 15), versionField: 1 }));
      expect(r).toMatchObject({ chipJobId: id, smallCoreId: 15 });
    }
    expect(seen.slice(0, 6)).toEqual([24, 48, 72, 96, 120, 16]);
    expect(seen[15]).toBe(0);
    expect(new Set(seen).size).toBe(16);
  });

  it('chip id replies (11 and 9 bytes)', () => {
    expect(bm1370.decodeResponse(hx('AA 55 13 70 00 00 00 00 00 00 10'))).toMatchObject({ kind: 'register', value: 0x13700000 });
    expect(bm1370.decodeResponse(hx('AA 55 13 70 00 00 00 00 06'))).toMatchObject({ kind: 'register', value: 0x13700000 });
    expect(bm1368.decodeResponse(hx('AA 55 13 68 00 00 00 00 00 00 0F'))).toMatchObject({ kind: 'register', value: 0x13680000 });
    expect(bm1370.decodeResponse(hx('AA 55 00 00 C1 00 00 18 02'))).toEqual({ kind: 'register', value: 0x0000c100, chipAddress: 0, register: 0x18 });
  });

  it('job frame is the BM1366 format', () => {
    const job = bm1370.decodeJobFrame(JOB_ESP_MINER);
    if (job.format !== 'full') throw new Error('expected full');
    expect(bm1370.encodeJob({ ...job, versionMask: 0x1fffe000 })).toEqual(JOB_ESP_MINER);
  });
});

describe('BM1370 init plan (§5.2)', () => {
  it('order: A4×3, enumerate | A4, A8, 18, chain inactive, address, 3C 8B00, 3C 800C, ticket, 58, per chip, B9, 54, B9, 3C 8DEE, ramp, HCN−268, baud', () => {
    expect(frames(bm1370.preEnumerationPlan(0x1fffe000))).toEqual([...Array(3).fill(w('55 AA 51 09 00 A4 90 00 FF FF 1C')), w('55 AA 52 05 00 00 0A')]);
    const plan = bm1370.initPlan({ chipCount: 1, frequencyMhz: 600, ticketDifficulty: 256, versionMask: 0x1fffe000 });
    const f = frames(plan);
    expect(f.slice(0, 18)).toEqual(
      [
        '55 AA 51 09 00 A4 90 00 FF FF 1C',
        '55 AA 51 09 00 A8 00 07 00 00 03',
        '55 AA 51 09 00 18 F0 00 C1 00 04',
        '55 AA 53 05 00 00 03',
        '55 AA 40 05 00 00 1C',
        '55 AA 51 09 00 3C 80 00 8B 00 12',
        '55 AA 51 09 00 3C 80 00 80 0C 11',
        '55 AA 51 09 00 14 00 00 00 FF 08',
        '55 AA 51 09 00 58 00 01 11 11 0D',
        '55 AA 41 09 00 A8 00 07 01 F0 15',
        '55 AA 41 09 00 18 F0 00 C1 00 0C',
        '55 AA 41 09 00 3C 80 00 8B 00 1A',
        '55 AA 41 09 00 3C 80 00 80 0C 19',
        '55 AA 41 09 00 3C 80 00 82 AA 05',
        '55 AA 51 09 00 B9 00 00 44 80 0D',
        '55 AA 51 09 00 54 00 00 00 02 18',
        '55 AA 51 09 00 B9 00 00 44 80 0D',
        '55 AA 51 09 00 3C 80 00 8D EE 1B',
      ].map(w),
    );
    // ramp from 50 MHz: first write 56.25 MHz (fb 189, pd 7/6, inside BM1370's FBDIV range 160..239)
    expect(plan[18]).toMatchObject({ kind: 'write', delayAfterMs: 100 });
    expect(f[18]).toBe(w('55 AA 51 09 00 08 40 BD 02 65 01'));
    expect(f.slice(-4)).toEqual([
      w('55 AA 51 09 00 08 50 C0 02 30 05'), // 600 MHz
      f[f.length - 3], // HCN
      w('55 AA 51 09 00 28 11 30 02 00 03'),
      'hostBaud',
    ]);
    const hcnStep = plan[plan.length - 3];
    if (hcnStep?.kind !== 'write') throw new Error('expected write');
    expect(hcnStep.frame[5]).toBe(0x10);
    expect(hcnStep.frame.readUInt32BE(6)).toBe(hashCountingNumber('bm1370', 600, 1));
    expect(hcnStep.frame.readUInt32BE(6)).toBe(Math.trunc((((2 ** 32 / 128) * 25) / 600) * 0.5) - 268);
  });
});

describe('BM1368 init plan (§5.1)', () => {
  it('order: A4×4, enumerate | chain inactive, broadcast setup, addresses, per chip, 500 ms, ticket, ramp, HCN, A4, baud', () => {
    expect(frames(bm1368.preEnumerationPlan(0x1fffe000))).toEqual([...Array(4).fill(w('55 AA 51 09 00 A4 90 00 FF FF 1C')), w('55 AA 52 05 00 00 0A')]);
    const plan = bm1368.initPlan({ chipCount: 2, frequencyMhz: 490, ticketDifficulty: 256, versionMask: 0x1fffe000, rampStepDelayMs: 1 });
    const f = frames(plan);
    expect(f.slice(0, 10)).toEqual(
      [
        '55 AA 53 05 00 00 03',
        '55 AA 51 09 00 A8 00 07 00 00 03',
        '55 AA 51 09 00 18 FF 0F C1 00 00',
        '55 AA 51 09 00 3C 80 00 8B 00 12',
        writeRegisterAll(0x3c, 0x80008018),
        '55 AA 51 09 00 14 00 00 00 FF 08',
        '55 AA 51 09 00 54 00 00 00 03 1D',
        '55 AA 51 09 00 58 02 11 11 11 06',
        '55 AA 40 05 00 00 1C',
        setAddressFrame(0x80),
      ].map((x) => (typeof x === 'string' ? w(x) : x.toString('hex').toUpperCase())),
    );
    expect(f[10]).toBe(w('55 AA 41 09 00 A8 00 07 01 F0 15'));
    expect(f.indexOf('delay')).toBe(20);
    expect(f[21]).toBe(w('55 AA 51 09 00 14 00 00 00 FF 08'));
    expect(f.slice(-3)).toEqual([w('55 AA 51 09 00 A4 90 00 FF FF 1C'), w('55 AA 51 09 00 28 11 30 02 00 03'), 'hostBaud']);
    expect(bm1368.expectedHashrateHs(490, 1) / 1e9).toBeCloseTo(625.24, 2);
    expect(bm1368.jobIntervalMs(2, 490)).toBe(250);
  });
});

describe('chips/index.ts', () => {
  it('maps models and chip ids both ways', () => {
    for (const model of CHIP_MODELS) {
      const d = chipDriver(model);
      expect(d.model).toBe(model);
      expect(modelFromChipId(d.chipId)).toBe(model);
      expect(modelFromChipId(buildRegisterResponse({ value: (d.chipId << 16) >>> 0, chipAddress: 0, register: 0 }).readUInt32BE(2))).toBe(model);
    }
    expect(modelFromChipId(0x13971800)).toBe('bm1397');
    expect(modelFromChipId(0x1234)).toBeNull();
    expect(() => chipDriver('bm9999' as never)).toThrow(/unknown chip model/);
  });

  it('expected hashrates at the default frequency (§3.8)', () => {
    expect(chipDriver('bm1370').expectedHashrateHs(525, 1) / 1e9).toBeCloseTo(1071, 6);
    expect(chipDriver('bm1366').jobIntervalMs(2, 485)).toBe(1000);
    expect(chipDriver('bm1370').jobIntervalMs(1, 525)).toBe(500);
  });
});
