import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeHeader } from '../../../src-main/bitcoin/header.js';
import { stratumPrevHashToHeader } from '../../../src-main/bitcoin/prevhash.js';
import { bm1397, encodeMidstateJob } from '../../../src-main/chips/bm1397.js';
import type { InitStep } from '../../../src-main/chips/driver.js';
import { buildNonceResponse } from '../../../src-main/chips/bm13xx/frames.js';
import { headerMidstate, incrementVersionInMask, sha256Compress, versionForMidstate } from '../../../src-main/chips/bm13xx/midstate.js';
import { hx } from './hex.js';
import { JOB_BM1397_4MS, JOB_BM1397_VERIFIER } from './vectors.js';

// §8.9 inputs (ESP-Miner test_mining.c / verifiers/bm1397.py). prevhash is in Stratum word order.
const PREVHASH_STRATUM = 'bf44fd3513dc7b837d60e5c628b572b448d204a8000007490000000000000000';
const MERKLE = hx('cd1be82132ef0d12053dcece1fa0247fcfdb61d4dbd3eb32ea9ef9b4c604a846');
const VERSION = 0x20000004;
const NBITS = 0x1705dd01;
const NTIME = 0x64658bd8;
const MIDSTATE_WIRE = hx('4D3185F25F7D5DE0E3591741CB21CAE11574DDD65D490D3D68739F8A52EADF91');
const MIDSTATE_LE_WORDS = hx('91DFEA528A9F73683D0D495DD6DD7415E1CA21CB411759E3E05D7D5FF285314D');

const header = encodeHeader({ version: VERSION, prevHash: stratumPrevHashToHeader(PREVHASH_STRATUM), merkleRoot: MERKLE, ntime: NTIME, nbits: NBITS, nonce: 0 });

describe('SHA-256 compression (midstate.ts)', () => {
  it('one block of the padded message "abc" gives the SHA-256 digest', () => {
    const block = Buffer.alloc(64);
    block.write('abc');
    block[3] = 0x80;
    block[63] = 24;
    const state = sha256Compress(block);
    const digest = Buffer.alloc(32);
    state.forEach((w, i) => digest.writeUInt32BE(w, 4 * i));
    expect(digest).toEqual(createHash('sha256').update('abc').digest());
  });
  it('rejects a wrong block size', () => {
    expect(() => sha256Compress(Buffer.alloc(63))).toThrow(/64 bytes/);
  });
});

describe('BM1397 midstate (§5.3, §8.9)', () => {
  it('matches the documented midstate in LE-word and wire order', () => {
    const m = headerMidstate(header);
    const leWords = Buffer.alloc(32);
    for (let i = 0; i < 8; i++) leWords.writeUInt32LE(m.readUInt32BE(4 * i), 4 * i);
    expect(leWords).toEqual(MIDSTATE_LE_WORDS);
    // wire = LE-word form reversed end to end
    expect(Buffer.from(MIDSTATE_LE_WORDS).reverse()).toEqual(MIDSTATE_WIRE);
  });

  it('rebuilds the verifier job frame (midstate 0 only, CRC 6B1D)', () => {
    const frame = encodeMidstateJob({ chipJobId: 4, numMidstates: 4, nbits: NBITS, ntime: NTIME, merkle4: MERKLE.subarray(28), midstates: [headerMidstate(header)] });
    expect(frame).toEqual(JOB_BM1397_VERIFIER);
    expect(frame.subarray(18, 22)).toEqual(hx('C6 04 A8 46'));
  });

  it('encodeJob puts 4 midstates for versions base, +1, +2, +3 steps within the mask', () => {
    const frame = bm1397.encodeJob({ chipJobId: 4, version: VERSION, versionMask: 0x1fffe000, prevHash: stratumPrevHashToHeader(PREVHASH_STRATUM), merkleRoot: MERKLE, ntime: NTIME, nbits: NBITS });
    expect(frame.length).toBe(152);
    expect(frame.subarray(0, 22)).toEqual(JOB_BM1397_VERIFIER.subarray(0, 22));
    expect(frame.subarray(22, 54)).toEqual(MIDSTATE_WIRE);
    const job = bm1397.decodeJobFrame(frame);
    if (job.format !== 'midstate') throw new Error('expected midstate format');
    expect(job.numMidstates).toBe(4);
    for (let i = 0; i < 4; i++) {
      const h = Buffer.from(header);
      h.writeUInt32LE(VERSION + 0x2000 * i, 0);
      expect(job.midstates[i]).toEqual(headerMidstate(h));
    }
    // no mask: one midstate, rest zero
    const single = bm1397.encodeJob({ chipJobId: 8, version: VERSION, versionMask: 0, prevHash: stratumPrevHashToHeader(PREVHASH_STRATUM), merkleRoot: MERKLE, ntime: NTIME, nbits: NBITS });
    expect(single[5]).toBe(1);
    expect(single.subarray(54, 150).every((b) => b === 0)).toBe(true);
  });

  it('decodes the sniffed 4-midstate job (CRC 8C24)', () => {
    const job = bm1397.decodeJobFrame(JOB_BM1397_4MS);
    expect(job).toMatchObject({ format: 'midstate', chipJobId: 4, numMidstates: 4, nbits: 0x170689a3, ntime: 0x640aa82f });
    if (job.format !== 'midstate') throw new Error('expected midstate format');
    expect(job.merkle4).toEqual(hx('6F 1C C5 E8'));
    expect(encodeMidstateJob({ ...job, midstates: job.midstates })).toEqual(JOB_BM1397_4MS);
  });

  it('version increments carry within the mask', () => {
    expect(incrementVersionInMask(0x20000000, 0x1fffe000)).toBe(0x20002000);
    expect(incrementVersionInMask(0x3fffe000, 0x1fffe000)).toBe(0x20000000);
    expect(incrementVersionInMask(0x20000004, 0x00000012)).toBe(0x20000006);
    expect(incrementVersionInMask(0x20000006, 0x00000012)).toBe(0x20000014);
    expect(versionForMidstate(0x20000000, 0x1fffe000, 3)).toBe(0x20006000);
    expect(incrementVersionInMask(0x20000000, 0)).toBe(0x20000000);
  });
});

describe('BM1397 driver (§5.3)', () => {
  const frames = (plan: InitStep[]): string[] => plan.map((s) => (s.kind === 'write' || s.kind === 'enumerate' ? s.frame.toString('hex').toUpperCase() : s.kind));
  const w = (t: string): string => hx(t).toString('hex').toUpperCase();

  it('pre-enumeration reads the chip id without a version mask', () => {
    expect(frames(bm1397.preEnumerationPlan(0x1fffe000))).toEqual([w('55 AA 52 05 00 00 0A'), 'delay']);
  });

  it('init order: chain inactive, address, 80, 84, 20, 3C, ticket, 68, 28, 18, ramp (70 70 08 08), 18 max baud, host baud', () => {
    const plan = bm1397.initPlan({ chipCount: 1, frequencyMhz: 425, ticketDifficulty: 256, versionMask: 0x1fffe000 });
    const f = frames(plan);
    expect(f.slice(0, 11)).toEqual(
      [
        '55 AA 53 05 00 00 03',
        '55 AA 40 05 00 00 1C',
        '55 AA 51 09 00 80 00 00 00 00 1C',
        '55 AA 51 09 00 84 00 00 00 00 11',
        '55 AA 51 09 00 20 00 00 00 01 02',
        '55 AA 51 09 00 3C 80 00 80 74 10',
        '55 AA 51 09 00 14 00 00 00 FF 08',
        '55 AA 51 09 00 68 C0 70 01 11 00',
        '55 AA 51 09 00 28 06 00 00 0F 18',
        '55 AA 51 09 00 18 00 00 7A 31 15',
        '55 AA 51 09 00 70 0F 0F 0F 00 19',
      ].map(w),
    );
    expect(f.slice(-6)).toEqual([
      w('55 AA 51 09 00 70 0F 0F 0F 00 19'),
      w('55 AA 51 09 00 70 0F 0F 0F 00 19'),
      w('55 AA 51 09 00 08 40 44 02 21 07'),
      w('55 AA 51 09 00 08 40 44 02 21 07'),
      w('55 AA 51 09 00 18 00 00 60 31 00'),
      'hostBaud',
    ]);
    expect(plan[plan.length - 1]).toMatchObject({ baud: 3_125_000 });
    expect(f.some((x) => x.startsWith('55AA51090010'))).toBe(false); // no HCN
  });

  it('decodes the sniffed nonce and chip-id replies; midstate index rebuilds the version', () => {
    expect(bm1397.decodeResponse(hx('AA 55 13 97 18 00 00 00 06'))).toEqual({ kind: 'register', value: 0x13971800, chipAddress: 0, register: 0 });
    const r = bm1397.decodeResponse(hx('AA 55 00 03 EA 0F 02 20 9C'));
    expect(r).toMatchObject({ kind: 'nonce', nonce: 0x0fea0300, chipJobId: 0x20, midstateIndex: 0, versionBits: 0, byte6: 2 });
    const r3 = bm1397.decodeResponse(buildNonceResponse({ nonce: 1, jobByte: bm1397.responseJobByte(0x24, 3), length: 9 }));
    if (r3?.kind !== 'nonce') throw new Error('expected nonce');
    expect([r3.chipJobId, r3.midstateIndex]).toEqual([0x24, 3]);
    expect(bm1397.rolledVersion(0x20000000, 0x1fffe000, r3)).toBe(0x20006000);
  });

  it('numbers: ids step by 4 (32 distinct), 285.6 GH/s at 425 MHz, ~39.5 ms job interval, hashrate register read', () => {
    const ids = new Set<number>();
    let id: number | null = null;
    for (let i = 0; i < 40; i++) ids.add((id = bm1397.nextChipJobId(id)));
    expect(ids.size).toBe(32);
    expect(bm1397.nextChipJobId(null)).toBe(4);
    expect(bm1397.expectedHashrateHs(425, 1) / 1e9).toBeCloseTo(285.6, 6);
    expect(bm1397.jobIntervalMs(1, 425)).toBeCloseTo(39.48, 2);
    expect(bm1397.jobIntervalMs(1, 450)).toBeCloseTo(37.28, 2);
    expect(bm1397.jobIntervalMs(0, 425)).toBe(20);
    expect(bm1397.counterReadFrames()).toEqual([hx('55 AA 52 05 00 04 1E')]);
    expect(bm1397.versionMaskFrame(0x1fffe000).length).toBe(0);
    expect(bm1397.responseLength).toBe(9);
  });
});
