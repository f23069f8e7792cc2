/** Hashing on the calling thread, only when `run` is called: for deterministic unit tests. */
import type { ScannerKind } from '../scanner/scan-types.js';
import type { HashEngine, HashEngineListener } from './hash-engine.js';
import { SweepScheduler } from './sweep-scheduler.js';
import type { SweepWork } from './sweep.js';

export class InlineHashEngine implements HashEngine {
  readonly ready = Promise.resolve();
  private readonly scheduler: SweepScheduler;

  constructor(
    private readonly listener: HashEngineListener,
    scanner?: ScannerKind,
  ) {
    this.scheduler = new SweepScheduler(scanner);
  }

  setWork(work: SweepWork): void {
    this.scheduler.setWork(work);
  }
  setTarget(chipIndex: number, target: bigint): void {
    this.scheduler.setTarget(chipIndex, target);
  }
  stopChip(chipIndex: number): void {
    this.scheduler.stopChip(chipIndex);
  }
  clear(): void {
    this.scheduler.clear();
  }
  setRate(): void {
    // No clock here: the caller decides how many hashes to run.
  }

  /** Hash `hashes` nonces spread over the chips with work, delivering hits and progress synchronously. */
  run(hashes: number): void {
    const { hits, progress } = this.scheduler.run(hashes);
    if (progress.length > 0 || hits.length > 0) this.listener.onResult(hits, progress);
  }

  async close(): Promise<void> {
    this.scheduler.clear();
  }
}
