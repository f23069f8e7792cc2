import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { headerHash } from '../../../src-main/bitcoin/header.js';
import { hashMeetsTarget } from '../../../src-main/bitcoin/target.js';
import { bm1366 } from '../../../src-main/chips/bm1366.js';
import { chipDriver } from '../../../src-main/chips/index.js';
import type { ChipModel } from '@shared/chip-model.js';
import type { ChipResponse } from '../../../src-main/chips/driver.js';
import { isValidResponse, readRegister, readRegisterAll, writeRegister, chainInactiveFrame, setAddressFrame } from '../../../src-main/chips/bm13xx/frames.js';
import { ResponseFrameParser } from '../../../src-main/chips/bm13xx/response-parser.js';
import { ticketTarget } from '../../../src-main/chips/bm13xx/ticket.js';
import { VirtualChain } from '../../../src-main/emulator/chain.js';
import type { EmulatorOptions } from '../../../src-main/emulator/options.js';

const ENUMERATE = Buffer.from('55aa52050000' + '0a', 'hex');
const VERSION_MASK = Buffer.from('55aa5109' + '00a49000ffff' + '1c', 'hex');
const chains: VirtualChain[] = [];

afterEach(async () => {
  await Promise.all(chains.splice(0).map((c) => c.close()));
});

function makeChain(opts: EmulatorOptions = {}): { chain: VirtualChain; out: Buffer[] } {
  const chain = new VirtualChain({ hashing: 'inline', ...opts });
  chains.push(chain);
  const out: Buffer[] = [];
  chain.on('data', (b) => out.push(b));
  return { chain, out };
}

function frames(out: Buffer[], length: 9 | 11 = 11): Buffer[] {
  const parser = new ResponseFrameParser({ length });
  const all = parser.push(Buffer.concat(out));
  return [...all, ...parser.flush()];
}

function decodeAll(out: Buffer[]): ChipResponse[] {
  return frames(out).map((f) => {
    const r = bm1366.decodeResponse(f);
    if (!r) throw new Error(`undecodable ${f.toString('hex')}`);
    return r;
  });
}

/** Drive the real BM1366 init plan (pre-enumeration + init) into the chain. */
function initChain(chain: VirtualChain, chipCount: number, ticketDifficulty = 256): void {
  for (const step of [...bm1366.preEnumerationPlan(0x1fffe000), ...bm1366.initPlan({ chipCount, frequencyMhz: 485, ticketDifficulty, versionMask: 0x1fffe000 })]) {
    if (step.kind === 'write' || step.kind === 'enumerate') chain.write(step.frame);
  }
}

describe('virtual chain: enumeration and registers', () => {
  it('answers read-all CHIP_ID once per chip, 9 bytes before 0xA4 and 11 bytes after', () => {
    const { chain, out } = makeChain({ chips: 3 });
    chain.write(ENUMERATE);
    const short = Buffer.concat(out);
    expect(short.length).toBe(27);
    for (let i = 0; i < 3; i++) {
      const f = short.subarray(9 * i, 9 * i + 9);
      expect(isValidResponse(f)).toBe(true);
      expect(bm1366.decodeResponse(Buffer.from(f))).toEqual({ kind: 'register', value: 0x13660000, chipAddress: 0, register: 0 });
    }
    out.length = 0;
    chain.write(VERSION_MASK);
    chain.write(ENUMERATE);
    // The documented BM1366 reply (docs/bm13xx-protocol.md §8.2), once per chip.
    expect(Buffer.concat(out).toString('hex')).toBe('aa551366000000000000 05'.replace(' ', '').repeat(3));
  });

  it('ignores frames with a bad CRC and resynchronises on the next good frame', () => {
    const { chain, out } = makeChain({ chips: 2 });
    const bad = Buffer.from(ENUMERATE);
    bad[6] = bad[6]! ^ 0x01;
    chain.write(bad);
    chain.write(Buffer.from([0x13, 0x55, 0x00, 0xff]));
    expect(out).toHaveLength(0);
    expect(chain.status().framesBad).toBeGreaterThan(0);
    // A good frame split across writes still works.
    chain.write(ENUMERATE.subarray(0, 3));
    chain.write(ENUMERATE.subarray(3));
    expect(out).toHaveLength(2);
  });

  it('gives each unaddressed chip the first address it sees after chain inactive', () => {
    const { chain, out } = makeChain({ chips: 3 });
    chain.write(VERSION_MASK);
    chain.write(chainInactiveFrame());
    for (const a of [0x00, 0x55, 0xaa, 0xd0]) chain.write(setAddressFrame(a));
    chain.write(ENUMERATE);
    const replies = decodeAll(out);
    expect(replies.map((r) => (r.kind === 'register' ? [r.value, r.chipAddress] : null))).toEqual([
      [0x13660000, 0x00],
      [0x13660055, 0x55],
      [0x136600aa, 0xaa],
    ]);
    expect(chain.formatLog()).toContain('set address 0xd0 (no unaddressed chip)');

    out.length = 0;
    chain.write(writeRegister(0x55, 0x2c, 0x007c0003));
    chain.write(readRegisterAll(0x2c));
    chain.write(readRegister(0xaa, 0x2c));
    expect(decodeAll(out).map((r) => (r.kind === 'register' ? [r.chipAddress, r.value] : null))).toEqual([
      [0x00, 0],
      [0x55, 0x007c0003],
      [0xaa, 0],
      [0xaa, 0],
    ]);
  });

  it('missing chips never answer and take no address', () => {
    const { chain, out } = makeChain({ chips: 3, missingChips: [1] });
    chain.write(VERSION_MASK);
    chain.write(chainInactiveFrame());
    chain.write(setAddressFrame(0x00));
    chain.write(setAddressFrame(0x80));
    chain.write(ENUMERATE);
    expect(decodeAll(out).map((r) => r.chipAddress)).toEqual([0x00, 0x80]);
    expect(chain.chips[2]!.address).toBe(0x80);
  });

  it('logs register writes in order and applies PLL, baud and version mask', () => {
    const { chain } = makeChain({ chips: 2 });
    initChain(chain, 2);
    const log = chain.formatLog().split('\n');
    expect(log.slice(0, 4)).toEqual(['write all 0xA4=0x9000ffff', 'write all 0xA4=0x9000ffff', 'write all 0xA4=0x9000ffff', 'read all 0x00']);
    expect(log).toContain('write chip 0x80 0x3C=0x800082aa');
    expect(log).toContain('write all 0x14=0x000000ff');
    expect(log[log.length - 1]).toBe('write all 0x28=0x11300200');
    for (const chip of chain.chips) {
      expect(chip.frequencyMhz).toBeCloseTo(485, 5);
      expect(chip.ticketDifficulty).toBe(256);
      expect(chip.responseLength).toBe(11);
    }
    expect(chain.chipBaud).toBe(1_041_667);
    expect(chain.chips.map((c) => c.address)).toEqual([0x00, 0x80]);
  });

  it('power cycle returns every chip to the reset format, baud and address', () => {
    const { chain, out } = makeChain({ chips: 2 });
    initChain(chain, 2);
    out.length = 0;
    chain.powerCycle();
    expect(chain.chipBaud).toBe(115_741);
    chain.write(ENUMERATE);
    const bytes = Buffer.concat(out);
    expect(bytes.length).toBe(18);
    expect(bm1366.decodeResponse(Buffer.from(bytes.subarray(9, 18)))).toEqual({ kind: 'register', value: 0x13660000, chipAddress: 0, register: 0 });
    expect(chain.chips.every((c) => c.jobs.size === 0)).toBe(true);
  });
});

describe('virtual chain: jobs and nonces', () => {
  const job = {
    chipJobId: 0x28,
    version: 0x20000000,
    versionMask: 0x1fffe000,
    prevHash: randomBytes(32),
    merkleRoot: randomBytes(32),
    ntime: 0x64af16e0,
    nbits: 0x192495f8,
  };

  it('returns genuine nonces that decode through the BM1366 driver and meet the scaled ticket target', () => {
    const scaleBits = 28;
    const { chain, out } = makeChain({ chips: 2, scaleBits });
    initChain(chain, 2);
    out.length = 0;
    chain.write(bm1366.encodeJob(job));
    chain.runHashes(600_000);
    // One long run (as a worker starved of CPU catches up) with hits in it is no drought.
    expect(chain.fault).toBeNull();
    const nonces = decodeAll(out).filter((r) => r.kind === 'nonce');
    // 1 in 4096 hashes meets ticket 256 × 2^-28; 600k hashes → ~146 expected.
    expect(nonces.length).toBeGreaterThan(50);
    const target = ticketTarget(256, scaleBits);
    const seenChips = new Set<number>();
    for (const r of nonces) {
      if (r.kind !== 'nonce') continue;
      expect(r.chipJobId).toBe(0x28);
      expect(r.byte6).toBeLessThan(64);
      const version = bm1366.rolledVersion(job.version, job.versionMask, r);
      expect((version & ~job.versionMask) >>> 0).toBe(job.version);
      expect((r.versionBits >>> 13) & 7).toBe(r.smallCoreId);
      const hash = headerHash({ version, prevHash: job.prevHash, merkleRoot: job.merkleRoot, ntime: job.ntime, nbits: job.nbits, nonce: r.nonce });
      expect(hashMeetsTarget(hash, target)).toBe(true);
      expect(r.coreId).toBeLessThan(112);
      seenChips.add(bm1366.chipIndexFromAddress(r.chipAddress, 2));
    }
    expect([...seenChips].sort()).toEqual([0, 1]);
    const status = chain.status();
    expect(status.noncesSent).toBe(nonces.length);
    expect(status.hashes).toBe(600_000);
    expect(status.bestDifficulty).toBeGreaterThan(256 * 2 ** -scaleBits);

    // Hash counters count in 2^(32-K)-hash units: 600k / 16 per chip pair.
    out.length = 0;
    chain.write(readRegisterAll(0x8c));
    const counters = decodeAll(out).map((r) => (r.kind === 'register' ? r.value : -1));
    expect(counters).toEqual(chain.chips.map((c) => Math.floor(c.hashes / 16)));
    expect(counters.reduce((a, b) => a + b, 0)).toBeGreaterThan(37_000);
  });

  it('dead cores never return nonces', () => {
    const deadCores = Array.from({ length: 111 }, (_, i) => i); // only core 111 alive
    const { chain, out } = makeChain({ chips: 1, scaleBits: 30, deadCores });
    initChain(chain, 1);
    out.length = 0;
    chain.write(bm1366.encodeJob(job));
    chain.runHashes(100_000);
    const nonces = decodeAll(out).filter((r) => r.kind === 'nonce');
    expect(nonces.length).toBeGreaterThan(0);
    expect(new Set(nonces.map((r) => r.coreId))).toEqual(new Set([111]));
  });

  it('keeps job slots by id and answers for the job it hashed', () => {
    const { chain, out } = makeChain({ chips: 1, scaleBits: 30 });
    initChain(chain, 1);
    chain.write(bm1366.encodeJob(job));
    chain.write(bm1366.encodeJob({ ...job, chipJobId: 0x30, merkleRoot: randomBytes(32) }));
    expect([...chain.chips[0]!.jobs.keys()]).toEqual([0x28, 0x30]);
    out.length = 0;
    chain.runHashes(20_000);
    const nonces = decodeAll(out).filter((r) => r.kind === 'nonce');
    expect(nonces.length).toBeGreaterThan(0);
    expect(nonces.every((r) => r.chipJobId === 0x30)).toBe(true);
  });

  it('noise between frames does not hide any frame from a resynchronising parser', () => {
    const { chain, out } = makeChain({ chips: 4, noiseRate: 1 });
    chain.write(VERSION_MASK);
    for (let i = 0; i < 5; i++) chain.write(ENUMERATE);
    expect(out.length).toBeGreaterThan(20); // garbage chunks interleaved
    expect(frames(out).length).toBe(20);
  });

  it('rejects bad options with a clear error', () => {
    expect(() => new VirtualChain({ hashing: 'inline', chips: 0 })).toThrow(/chips/);
    expect(() => new VirtualChain({ hashing: 'inline', scaleBits: 40 })).toThrow(/scale bits/);
    expect(() => new VirtualChain({ hashing: 'inline', chips: 2, missingChips: [2] })).toThrow(/missing chip/);
    expect(() => new VirtualChain({ hashing: 'inline', model: 'bm9999' as never })).toThrow(/unknown chip model/);
  });
});

describe('virtual chain: other models', () => {
  it('a BM1397 answers CHIP_ID in its 9-byte format', () => {
    const { chain, out } = makeChain({ model: 'bm1397' });
    chain.write(ENUMERATE);
    expect(Buffer.concat(out).toString('hex')).toBe('aa5513971800000006');
  });

  it.each(['bm1368', 'bm1370', 'bm1397'] as ChipModel[])('%s: init plan, job and nonces round-trip through its driver', (model) => {
    const driver = chipDriver(model);
    const scaleBits = 28;
    const { chain, out } = makeChain({ model, chips: 2, scaleBits });
    for (const step of [...driver.preEnumerationPlan(0x1fffe000), ...driver.initPlan({ chipCount: 2, frequencyMhz: driver.defaultFrequencyMhz, ticketDifficulty: 256, versionMask: 0x1fffe000 })]) {
      if (step.kind === 'write' || step.kind === 'enumerate') chain.write(step.frame);
    }
    const ids = (() => {
      const parser = new ResponseFrameParser({ length: driver.responseLength });
      return [...parser.push(Buffer.concat(out)), ...parser.flush()].map((f) => driver.decodeResponse(f));
    })();
    expect(ids.filter((r) => r?.kind === 'register' && r.register === 0).map((r) => (r?.kind === 'register' ? r.value >>> 16 : 0))).toEqual([driver.chipId, driver.chipId]);
    out.length = 0;
    const chipJobId = driver.nextChipJobId(null);
    const job = { chipJobId, version: 0x20000000, versionMask: 0x1fffe000, prevHash: randomBytes(32), merkleRoot: randomBytes(32), ntime: 0x64af16e0, nbits: 0x192495f8 };
    chain.write(driver.encodeJob(job));
    chain.runHashes(300_000);
    const parser = new ResponseFrameParser({ length: driver.responseLength });
    const nonces = [...parser.push(Buffer.concat(out)), ...parser.flush()].map((f) => driver.decodeResponse(f)).filter((r) => r?.kind === 'nonce');
    expect(nonces.length).toBeGreaterThan(20);
    const target = ticketTarget(256, scaleBits);
    for (const r of nonces) {
      if (r?.kind !== 'nonce') continue;
      expect(r.chipJobId).toBe(chipJobId);
      const version = driver.rolledVersion(job.version, job.versionMask, r);
      const hash = headerHash({ version, prevHash: job.prevHash, merkleRoot: job.merkleRoot, ntime: job.ntime, nbits: job.nbits, nonce: r.nonce });
      expect(hashMeetsTarget(hash, target)).toBe(true);
    }
  });
});
