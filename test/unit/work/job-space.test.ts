import { describe, expect, it } from 'vitest';
import { JobSpace, MAX_NTIME_ROLL_S } from '../../../src-main/work/job-space.js';
import { Dispatcher, type JobSink } from '../../../src-main/work/dispatcher.js';
import { validateNonce } from '../../../src-main/work/validator.js';
import { encodeHeader } from '../../../src-main/bitcoin/header.js';
import { sha256d } from '../../../src-main/bitcoin/sha256d.js';
import { hashToBigInt } from '../../../src-main/bitcoin/target.js';
import type { Job, WorkTemplate } from '../../../src-main/work/job.js';

const NTIME = 0x66000000;

function template(key: string, extranonce2Size: number): WorkTemplate {
  return {
    key,
    sourceKind: 'stratum',
    sourceId: 'stratum+tcp://pool:3333',
    sourceJobId: key,
    prevHash: Buffer.alloc(32, 1),
    coinb1: Buffer.from('01000000', 'hex'),
    coinb2: Buffer.from('ffffffff', 'hex'),
    extranonce1: Buffer.from('aabbccdd', 'hex'),
    extranonce2Size,
    merkleBranches: [],
    version: 0x20000000,
    versionMask: 0x1fffe000,
    nbits: 0x1d00ffff,
    ntime: NTIME,
    shareTarget: 1n << 240n,
    shareDifficulty: 1,
    networkTarget: 1n << 200n,
    cleanJobs: false,
    createdAtMs: 0,
  };
}

class Sink implements JobSink {
  jobs: Job[] = [];
  constructor(
    readonly id: string,
    readonly acceptsJobs = true,
    readonly jobIntervalMs = 60_000,
  ) {}
  sendJob(job: Job): void {
    this.jobs.push(job);
  }
  invalidateJobs(): void {}
}

describe('job space: extranonce2 per template, then ntime', () => {
  it('extranonce2_size 0: one job per ntime second, up to the roll limit, then used up (no throw)', () => {
    const space = new JobSpace();
    const t = template('a', 0);
    const slices = [];
    for (let i = 0; i <= MAX_NTIME_ROLL_S; i++) slices.push(space.take(t)!);
    expect(slices.map((s) => s.extranonce2.length)).toEqual(slices.map(() => 0));
    expect(slices.map((s) => s.ntime)).toEqual(slices.map((_, i) => NTIME + i));
    expect(space.take(t)).toBeNull();
    expect(space.take(t)).toBeNull();
    // The same work re-sent under a new job id stays used up; a template with new work starts over.
    expect(space.take(template('b', 0))).toBeNull();
    expect(space.take({ ...template('c', 0), coinb2: Buffer.from('feffffff', 'hex') })).toEqual({ extranonce2: Buffer.alloc(0), ntime: NTIME, ntimeRollS: 0 });
  });

  it('extranonce2_size 1: 256 extranonce2 values at the template ntime, then the next second', () => {
    const space = new JobSpace();
    const t = template('a', 1);
    const seen = new Set<string>();
    for (let i = 0; i < 256 * 3; i++) {
      const s = space.take(t)!;
      expect(s.ntime).toBe(NTIME + Math.floor(i / 256));
      expect(s.extranonce2).toEqual(Buffer.from([i % 256]));
      seen.add(`${s.extranonce2.toString('hex')}/${s.ntime}`);
    }
    expect(seen.size).toBe(256 * 3);
  });

  it('the counter restarts for every template with new work (the old engine-wide counter died after 256 jobs on size 1)', () => {
    const space = new JobSpace();
    for (let n = 0; n < 50; n++) {
      const t = { ...template(`t${n}`, 1), coinb2: Buffer.from([n, 0xff, 0xff, 0xff]) };
      for (let i = 0; i < 10; i++) expect(space.take(t)!.extranonce2).toEqual(Buffer.from([i]));
    }
  });

  it('the same work under a new job id (a re-sent job after set_difficulty) continues the counter: no header is hashed twice', () => {
    const space = new JobSpace();
    const first = template('job-1', 4);
    const resent = template('job-2', 4);
    const seen = new Set<string>();
    for (const t of [first, first, first, resent, resent, first]) seen.add(`${space.take(t)!.extranonce2.toString('hex')}/${t.ntime}`);
    expect(seen.size).toBe(6);
    // Anything that changes the header is new work and starts again.
    for (const change of [
      { ntime: NTIME + 1 },
      { prevHash: Buffer.alloc(32, 2) },
      { coinb1: Buffer.from('02000000', 'hex') },
      { extranonce1: Buffer.from('aabbccde', 'hex') },
      { merkleBranches: [Buffer.alloc(32, 3)] },
      { nbits: 0x1d00fffe },
      { version: 0x20000004 },
    ]) {
      space.take(first);
      expect(space.take({ ...first, ...change, key: 'other' })!.extranonce2, JSON.stringify(Object.keys(change))).toEqual(Buffer.alloc(4));
    }
  });
});

describe('dispatcher on a small extranonce2', () => {
  it('4 boards on extranonce2_size 1 for 2 000 jobs: every job has its own (extranonce2, ntime), ntime stays within the roll limit', () => {
    const notices: string[] = [];
    const d = new Dispatcher(undefined, (level, text) => notices.push(`${level} ${text}`));
    const sinks = ['a', 'b', 'c', 'd'].map((id) => new Sink(id));
    for (const s of sinks) d.addSink(s);
    let jobs = 0;
    for (let n = 0; jobs < 2000; n++) {
      const t = template(`job${n}`, 1);
      d.setTemplate({ ...t, cleanJobs: true });
      const pairs = new Set<string>();
      for (let i = 0; i < 400; i++) {
        const job = d.makeJob(t, sinks[i % 4]!.id)!;
        pairs.add(`${job.extranonce2.toString('hex')}/${job.ntime}`);
        expect(job.ntime - NTIME).toBeGreaterThanOrEqual(0);
        expect(job.ntime - NTIME).toBeLessThanOrEqual(MAX_NTIME_ROLL_S);
        jobs++;
      }
      // 4 jobs from setTemplate + 400 here, all distinct.
      for (const s of sinks) pairs.add(`${s.jobs.at(-1)!.extranonce2.toString('hex')}/${s.jobs.at(-1)!.ntime}`);
      expect(pairs.size).toBe(404);
    }
    expect(notices.filter((n) => n.includes('rolling ntime'))).toHaveLength(1);
    d.stop();
  });

  it('extranonce2_size 0 used up: says so once, sends nothing more for that job, and resumes on the next template', () => {
    const notices: string[] = [];
    const d = new Dispatcher(undefined, (level, text) => notices.push(`${level} ${text}`));
    const t = template('only', 0);
    for (let i = 0; i <= MAX_NTIME_ROLL_S; i++) expect(d.makeJob(t, 'a')).not.toBeNull();
    for (let i = 0; i < 100; i++) expect(d.makeJob(t, 'a')).toBeNull();
    expect(notices.filter((n) => n.startsWith('warn') && n.includes('used up'))).toHaveLength(1);
    expect(d.makeJob({ ...template('next', 0), coinb2: Buffer.from('feffffff', 'hex') }, 'a')?.ntime).toBe(NTIME);
  });

  it('a nonce on a job with rolled ntime is judged with that ntime, and the share carries it', () => {
    const d = new Dispatcher();
    const t = template('x', 0);
    d.makeJob(t, 'a');
    const job = d.makeJob(t, 'a')!;
    expect(job.ntime).toBe(NTIME + 1);
    const ticketTarget = (1n << 248n) - 1n;
    let nonce = 0;
    for (; nonce < 5000; nonce++) {
      const h = sha256d(encodeHeader({ version: t.version, prevHash: t.prevHash, merkleRoot: job.merkleRoot, ntime: job.ntime, nbits: t.nbits, nonce }));
      if (hashToBigInt(h) <= ticketTarget) break;
    }
    const v = validateNonce({ boardId: 'a', chipIndex: 0, coreId: 0, smallCoreId: 0, chipJobId: 8, nonce, version: t.version, receivedAtMs: 0 }, job, { ticketTarget, weight: 1 });
    expect(v.verdict).toBe('valid');
  });
});
