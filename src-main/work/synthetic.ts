/**
 * Benchmark mode's work source (no pool, no node): synthetic templates built from random data,
 * like cgminer's benchmark. Nonces are validated exactly as in real mining; nothing is submitted.
 */
import { randomBytes } from 'node:crypto';
import { nbitsToTarget } from '../bitcoin/target.js';
import type { NodeSnapshot, PoolSnapshot } from '@shared/contract';
import type { Share, WorkTemplate } from './job.js';
import type { WorkSource, WorkSourceHandlers } from './source.js';

/** Mainnet-like difficulty bits so that no synthetic nonce looks like a block. */
const SYNTHETIC_NBITS = 0x17034219;

export class SyntheticSource implements WorkSource {
  readonly kind = 'synthetic' as const;
  private counter = 0;
  private timer: NodeJS.Timeout | null = null;
  private current: WorkTemplate | null = null;

  constructor(private readonly options: { refreshMs?: number } = {}) {}

  async start(handlers: WorkSourceHandlers): Promise<void> {
    const issue = (clean: boolean): void => {
      this.current = this.makeTemplate(clean);
      handlers.onTemplate(this.current);
    };
    issue(true);
    this.timer = setInterval(() => issue(false), this.options.refreshMs ?? 30_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  isTemplateLive(): boolean {
    return true;
  }

  submitShare(_share: Share): void {
    // Benchmark mode submits nothing.
  }

  poolSnapshots(): PoolSnapshot[] {
    return [];
  }

  nodeSnapshot(): NodeSnapshot | null {
    return null;
  }

  private makeTemplate(cleanJobs: boolean): WorkTemplate {
    const n = ++this.counter;
    return {
      key: `synthetic:${n}`,
      sourceKind: 'synthetic',
      sourceId: 'synthetic',
      sourceJobId: n.toString(16),
      prevHash: randomBytes(32),
      coinb1: Buffer.concat([Buffer.from('01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff', 'hex'), Buffer.from([0x0c])]),
      coinb2: Buffer.from('ffffffff0100f2052a010000001976a914000000000000000000000000000000000000000088ac00000000', 'hex'),
      extranonce1: randomBytes(4),
      extranonce2Size: 8,
      merkleBranches: [randomBytes(32), randomBytes(32)],
      version: 0x20000000,
      versionMask: 0x1fffe000,
      nbits: SYNTHETIC_NBITS,
      ntime: Math.floor(Date.now() / 1000),
      // Nothing is submitted in benchmark mode: no share target.
      shareTarget: -1n,
      shareDifficulty: Infinity,
      networkTarget: nbitsToTarget(SYNTHETIC_NBITS),
      cleanJobs,
      createdAtMs: Date.now(),
    };
  }
}
