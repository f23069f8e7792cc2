import { describe, expect, it } from 'vitest';
import { encodeHeader, headerHash } from '../../../src-main/bitcoin/header.js';
import { difficultyOfHash, hashMeetsTarget } from '../../../src-main/bitcoin/target.js';
import { bm1366 } from '../../../src-main/chips/bm1366.js';
import type { InitStep } from '../../../src-main/chips/driver.js';
import { buildNonceResponse } from '../../../src-main/chips/bm13xx/frames.js';
import { ticketTarget } from '../../../src-main/chips/bm13xx/ticket.js';
import { hx } from './hex.js';
import { JOB_BM1366_CAPTURE, JOB_ESP_MINER, NONCES_BM1366_CAPTURE } from './vectors.js';

const frameHex = (s: InitStep): string => (s.kind === 'write' || s.kind === 'enumerate' ? s.frame.toString('hex').toUpperCase() : s.kind);
const w = (text: string): string => hx(text).toString('hex').toUpperCase();

describe('BM1366 init plan (§3.2)', () => {
  it('pre-enumeration: version mask ×3, then read-all CHIP_ID', () => {
    const plan = bm1366.preEnumerationPlan(0x1fffe000);
    expect(plan.map(frameHex)).toEqual([w('55 AA 51 09 00 A4 90 00 FF FF 1C'), w('55 AA 51 09 00 A4 90 00 FF FF 1C'), w('55 AA 51 09 00 A4 90 00 FF FF 1C'), w('55 AA 52 05 00 00 0A')]);
    expect(plan[3]).toMatchObject({ kind: 'enumerate', quietMs: 1000 });
  });

  it('single chip at 485 MHz, ticket 256: frames in the documented order', () => {
    const plan = bm1366.initPlan({ chipCount: 1, frequencyMhz: 485, ticketDifficulty: 256, versionMask: 0x1fffe000 });
    const frames = plan.map(frameHex);
    const head = [
      '55 AA 51 09 00 A8 00 07 00 00 03', // 3. soft reset all
      '55 AA 51 09 00 18 FF 0F C1 00 00', // 4. misc control all
      '55 AA 53 05 00 00 03', // 5. chain inactive
      '55 AA 40 05 00 00 1C', // 6. address 00
      '55 AA 51 09 00 3C 80 00 85 40 0C', // 7. core reg
      '55 AA 51 09 00 3C 80 00 80 20 19',
      '55 AA 51 09 00 14 00 00 00 FF 08', // 8. ticket 256
      '55 AA 51 09 00 54 00 00 00 03 1D', // 9. analog mux
      '55 AA 51 09 00 58 02 11 11 11 06', // 10. IO driver
      '55 AA 41 09 00 2C 00 7C 00 03 03', // 11. UART relay, chip 0
      '55 AA 41 09 00 A8 00 07 01 F0 15', // 12. per chip
      '55 AA 41 09 00 18 F0 00 C1 00 0C',
      '55 AA 41 09 00 3C 80 00 85 40 04',
      '55 AA 41 09 00 3C 80 00 80 20 11',
      '55 AA 41 09 00 3C 80 00 82 AA 05',
      '55 AA 51 09 00 08 40 BD 02 65 01', // 13. ramp starts at 56.25 MHz
    ].map(w);
    expect(frames.slice(0, head.length)).toEqual(head);
    // 70 ramp writes (56.25 … 481.25, 485), each followed by 100 ms
    const ramp = plan.slice(15, 15 + 70);
    expect(ramp.every((s) => s.kind === 'write' && s.frame[5] === 0x08 && s.delayAfterMs === 100)).toBe(true);
    expect(frames[15 + 69]).toBe(w('55 AA 51 09 00 08 50 C2 02 40 1C'));
    expect(frames.slice(15 + 70)).toEqual([
      w('55 AA 51 09 00 10 00 0D 32 24 10'), // 14. HCN for 1 chip @ 485
      w('55 AA 51 09 00 A4 90 00 FF FF 1C'), // 15. version mask again
      w('55 AA 51 09 00 28 11 30 02 00 03'), // 16. baud
      'hostBaud', // 17. host to 1 Mbaud
    ]);
    expect(plan[plan.length - 1]).toMatchObject({ kind: 'hostBaud', baud: 1_000_000 });
  });

  it('six chips (Bitaxe Hex): addresses 00 2A 54 7E A8 D2 and per-chip writes to each', () => {
    const plan = bm1366.initPlan({ chipCount: 6, frequencyMhz: 485, ticketDifficulty: 256, versionMask: 0x1fffe000, rampStepDelayMs: 5 });
    const frames = plan.map(frameHex);
    expect(frames.slice(3, 9)).toEqual(['00', '2A', '54', '7E', 'A8', 'D2'].map((a) => setAddr(a)));
    const perChip = plan.filter((s) => s.kind === 'write' && s.frame[2] === 0x41 && s.frame[5] === 0xa8).map((s) => (s.kind === 'write' ? s.frame[4] : -1));
    expect(perChip).toEqual([0x00, 0x2a, 0x54, 0x7e, 0xa8, 0xd2]);
    expect(plan.filter((s) => s.kind === 'write' && s.frame[5] === 0x08).every((s) => s.kind === 'write' && s.delayAfterMs === 5)).toBe(true);
  });
});

function setAddr(a: string): string {
  const byAddr: Record<string, string> = { '00': '1C', '2A': '19', '54': '16', '7E': '13', A8: '08', D2: '18' };
  return w(`55 AA 40 05 ${a} 00 ${byAddr[a]}`);
}

describe('BM1366 job encoding (§2.1, §2.2)', () => {
  it('decodes the ESP-Miner capture and re-encodes it byte for byte', () => {
    const job = bm1366.decodeJobFrame(JOB_ESP_MINER);
    if (job.format !== 'full') throw new Error('expected full format');
    expect(job).toMatchObject({ chipJobId: 0x18, numMidstates: 1, startingNonce: 0, nbits: 0x1701fa38, version: 0x20000000 });
    const again = bm1366.encodeJob({ chipJobId: job.chipJobId, version: job.version, versionMask: 0x1fffe000, prevHash: job.prevHash, merkleRoot: job.merkleRoot, ntime: job.ntime, nbits: job.nbits });
    expect(again).toEqual(JOB_ESP_MINER);
  });

  it('puts hashes word-reversed and fields LE at the documented offsets', () => {
    const prevHash = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
    const merkleRoot = Buffer.from(Array.from({ length: 32 }, (_, i) => 0x80 + i));
    const f = bm1366.encodeJob({ chipJobId: 0x28, version: 0x20000000, versionMask: 0x1fffe000, prevHash, merkleRoot, ntime: 0x64af16e0, nbits: 0x192495f8 });
    expect(f.length).toBe(88);
    expect(f.subarray(0, 6)).toEqual(hx('55 AA 21 56 28 01'));
    expect(f.subarray(10, 14)).toEqual(hx('F8 95 24 19'));
    expect(f.subarray(14, 18)).toEqual(hx('E0 16 AF 64'));
    expect(f.subarray(18, 22)).toEqual(hx('9C 9D 9E 9F')); // merkle word 7 first, bytes kept
    expect(f.subarray(46, 50)).toEqual(hx('80 81 82 83'));
    expect(f.subarray(50, 54)).toEqual(hx('1C 1D 1E 1F'));
    expect(f.subarray(82, 86)).toEqual(hx('00 00 00 20'));
    const back = bm1366.decodeJobFrame(f);
    expect(back).toMatchObject({ prevHash, merkleRoot, ntime: 0x64af16e0, nbits: 0x192495f8, version: 0x20000000, chipJobId: 0x28 });
  });

  it('rejects bad job input and corrupted frames clearly', () => {
    expect(() => bm1366.encodeJob({ chipJobId: 300, version: 0, versionMask: 0, prevHash: Buffer.alloc(32), merkleRoot: Buffer.alloc(32), ntime: 0, nbits: 0 })).toThrow(/job id/);
    expect(() => bm1366.encodeJob({ chipJobId: 8, version: 0, versionMask: 0, prevHash: Buffer.alloc(31), merkleRoot: Buffer.alloc(32), ntime: 0, nbits: 0 })).toThrow(/prevHash/);
    const bad = Buffer.from(JOB_ESP_MINER);
    bad[30]! ^= 0x01;
    expect(() => bm1366.decodeJobFrame(bad)).toThrow(/CRC16/);
  });
});

describe('BM1366 real capture (§8.6a): header rebuilt from the wire job meets the documented difficulty', () => {
  const job = bm1366.decodeJobFrame(JOB_BM1366_CAPTURE);
  it('job fields', () => {
    expect(job).toMatchObject({ format: 'full', chipJobId: 0x28, nbits: 0x192495f8, ntime: 0x64af16e0, version: 0x20000000 });
  });

  it.each(NONCES_BM1366_CAPTURE.map((n) => [n.frame.toString('hex'), n] as const))('nonce %s', (_hex, n) => {
    if (job.format !== 'full') throw new Error('expected full format');
    const r = bm1366.decodeResponse(n.frame);
    if (r?.kind !== 'nonce') throw new Error('expected a nonce');
    expect(r.nonce).toBe(n.nonce);
    expect(r.chipJobId).toBe(n.jobId);
    expect(r.smallCoreId).toBe(n.smallCore);
    const version = bm1366.rolledVersion(job.version, 0x1fffe000, r);
    expect(version).toBe(n.version);
    const header = { version, prevHash: job.prevHash, merkleRoot: job.merkleRoot, ntime: job.ntime, nbits: job.nbits, nonce: r.nonce };
    // the nonce bytes go into header bytes 76..79 exactly as received
    expect(encodeHeader(header).subarray(76, 80)).toEqual(n.frame.subarray(2, 6));
    const hash = headerHash(header);
    expect(difficultyOfHash(hash)).toBeCloseTo(n.diff, 2);
    expect(hashMeetsTarget(hash, ticketTarget(1))).toBe(true);
    // the same header with the other nonce's version must not reach difficulty 1 (byte order matters)
    const wrong = headerHash({ ...header, version: version ^ 0x6000 });
    expect(difficultyOfHash(wrong)).toBeLessThan(1);
  });
});

describe('BM1366 responses (§1.5, §2.4, §2.5)', () => {
  it('chip id reply', () => {
    expect(bm1366.decodeResponse(hx('AA 55 13 66 00 00 00 00 00 00 05'))).toEqual({ kind: 'register', value: 0x13660000, chipAddress: 0, register: 0 });
  });

  it('hardware check: chip address 0xC2 from nonce wire bytes 17 85 60 D2', () => {
    const r = bm1366.decodeResponse(buildNonceResponse({ nonceBytes: hx('17 85 60 D2'), jobByte: 0x08, versionField: 0 }));
    expect(r).toMatchObject({ kind: 'nonce', nonce: 0xd2608517, chipAddress: 0xc2, coreId: (0x178560d2 >>> 25) & 0x7f });
    expect(bm1366.chipIndexFromAddress(0xc2, 6)).toBe(4);
  });

  it('returns null on a bad CRC, preamble or length', () => {
    expect(bm1366.decodeResponse(hx('AA 55 13 66 00 00 00 00 00 00 04'))).toBeNull();
    expect(bm1366.decodeResponse(hx('55 AA 13 66 00 00 00 00 00 00 05'))).toBeNull();
    expect(bm1366.decodeResponse(hx('AA 55 13 66'))).toBeNull();
  });

  it('responseJobByte round-trips through decodeResponse', () => {
    const r = bm1366.decodeResponse(buildNonceResponse({ nonce: 5, jobByte: bm1366.responseJobByte(0x78, 5), versionField: 0x05a2 }));
    expect(r).toMatchObject({ chipJobId: 0x78, smallCoreId: 5, versionBits: 0x00b44000 });
    // §2.6: base 0x20000000 with version bytes 05 A2 → 0x20B44000
    if (r?.kind !== 'nonce') throw new Error('expected nonce');
    expect(bm1366.rolledVersion(0x20000000, 0x1fffe000, r)).toBe(0x20b44000);
  });
});

describe('BM1366 numbers (§2.4, §3.8)', () => {
  it('job ids step by 8 mod 128: 16 distinct ids starting at 8', () => {
    const ids: number[] = [];
    let id: number | null = null;
    for (let i = 0; i < 17; i++) ids.push((id = bm1366.nextChipJobId(id)));
    expect(ids.slice(0, 3)).toEqual([8, 16, 24]);
    expect(ids[14]).toBe(120);
    expect(ids[15]).toBe(0);
    expect(new Set(ids).size).toBe(16);
  });

  it('expected hashrate, job interval, counters', () => {
    expect(bm1366.expectedHashrateHs(485, 1)).toBeCloseTo(433.59e9, -7);
    expect(bm1366.expectedHashrateHs(485, 6) / 1e9).toBeCloseTo(2601.54, 1);
    expect(bm1366.jobIntervalMs(1, 485)).toBe(2000);
    expect(bm1366.jobIntervalMs(6, 485)).toBe(250);
    expect(bm1366.counterReadFrames()[0]).toEqual(hx('55 AA 52 05 00 8C 1D'));
    expect(bm1366.counterReadFrames()).toContainEqual(hx('55 AA 52 05 00 88 09'));
    expect(bm1366.counterReadFrames()).toContainEqual(hx('55 AA 52 05 00 4C 14'));
    expect(bm1366.ticketMaskFrame(256)).toEqual(hx('55 AA 51 09 00 14 00 00 00 FF 08'));
    expect(bm1366.versionMaskFrame(0x1fffe000)).toEqual(hx('55 AA 51 09 00 A4 90 00 FF FF 1C'));
    expect(bm1366.frequencyForPll(500)).toBeCloseTo(500, 6);
    expect(bm1366.effectiveTicketDifficulty(1000)).toBe(512);
  });
});
