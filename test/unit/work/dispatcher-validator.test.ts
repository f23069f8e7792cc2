import { describe, expect, it } from 'vitest';
import { Dispatcher, type JobSink } from '../../../src-main/work/dispatcher.js';
import { validateNonce } from '../../../src-main/work/validator.js';
import { SyntheticSource } from '../../../src-main/work/synthetic.js';
import type { ChipNonce, Job, WorkTemplate } from '../../../src-main/work/job.js';
import { encodeHeader } from '../../../src-main/bitcoin/header.js';
import { sha256d } from '../../../src-main/bitcoin/sha256d.js';
import { hashToBigInt } from '../../../src-main/bitcoin/target.js';

function templateFrom(source: SyntheticSource): Promise<WorkTemplate> {
  return new Promise((resolve) => void source.start({ onTemplate: resolve, onInvalidateAll: () => {} }));
}

class Sink implements JobSink {
  jobs: Job[] = [];
  invalidations = 0;
  constructor(
    readonly id: string,
    readonly acceptsJobs = true,
    readonly jobIntervalMs = 60_000,
  ) {}
  sendJob(job: Job): void {
    this.jobs.push(job);
  }
  invalidateJobs(): void {
    this.invalidations++;
  }
}

describe('dispatcher', () => {
  it('gives every board a distinct extranonce2 and merkle root, and clean templates reach all boards at once', async () => {
    const source = new SyntheticSource();
    const t = await templateFrom(source);
    await source.stop();
    const d = new Dispatcher();
    const a = new Sink('a');
    const b = new Sink('b');
    d.addSink(a);
    d.addSink(b);
    d.setTemplate(t);
    expect(a.jobs).toHaveLength(1);
    expect(b.jobs).toHaveLength(1);
    expect(a.jobs[0]!.extranonce2.equals(b.jobs[0]!.extranonce2)).toBe(false);
    expect(a.jobs[0]!.merkleRoot.equals(b.jobs[0]!.merkleRoot)).toBe(false);
    const before = [a.invalidations, b.invalidations];
    d.setTemplate({ ...t, key: 'next', cleanJobs: true });
    expect([a.invalidations, b.invalidations]).toEqual([before[0]! + 1, before[1]! + 1]);
    expect(a.jobs).toHaveLength(2);
    expect(a.jobs[1]!.template.key).toBe('next');
    d.stop();
  });

  it('sends nothing to a board that is not ready', async () => {
    const source = new SyntheticSource();
    const t = await templateFrom(source);
    await source.stop();
    const d = new Dispatcher();
    const busy = new Sink('busy', false);
    d.addSink(busy);
    d.setTemplate(t);
    expect(busy.jobs).toHaveLength(0);
    d.stop();
  });
});

describe('validator', () => {
  it('re-hashes: a nonce meeting the ticket target is valid, one that does not is a hardware error', async () => {
    const source = new SyntheticSource();
    const t = await templateFrom(source);
    await source.stop();
    const d = new Dispatcher();
    const job = d.makeJob(t, 'a')!;
    const ticketTarget = (1n << 248n) - 1n; // 8 leading zero bits: 1 in 256 nonces
    let valid: number | null = null;
    let invalid: number | null = null;
    for (let nonce = 0; nonce < 5000 && (valid === null || invalid === null); nonce++) {
      const h = sha256d(encodeHeader({ version: t.version, prevHash: t.prevHash, merkleRoot: job.merkleRoot, ntime: t.ntime, nbits: t.nbits, nonce }));
      if (hashToBigInt(h) <= ticketTarget) valid ??= nonce;
      else invalid ??= nonce;
    }
    const n = (nonce: number): ChipNonce => ({ boardId: 'a', chipIndex: 0, coreId: 0, smallCoreId: 0, chipJobId: 8, nonce, version: t.version, receivedAtMs: 0 });
    const ctx = { ticketTarget, weight: 1 / 16_777_216 };
    expect(validateNonce(n(valid!), job, ctx).verdict).toBe('valid');
    expect(validateNonce(n(invalid!), job, ctx).verdict).toBe('hw-error');
    expect(validateNonce(n(valid!), undefined, ctx).verdict).toBe('stale');
    // Synthetic work never yields shares (nothing is submitted in benchmark mode).
    expect(validateNonce(n(valid!), job, ctx).meetsShareTarget).toBe(false);
  });
});
