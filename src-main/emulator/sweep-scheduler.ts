/**
 * Shares a hash budget fairly between the chips that have work (a real chain hashes all chips at
 * once). Pure and synchronous: the worker calls it on a timer, the inline engine on demand.
 */
import type { ScannerKind } from '../scanner/scan-types.js';
import { ChipSweep, type SweepHit, type SweepProgress, type SweepWork } from './sweep.js';

export class SweepScheduler {
  private readonly sweeps = new Map<number, ChipSweep>();

  constructor(private readonly scanner: ScannerKind | undefined) {}

  setWork(work: SweepWork): void {
    this.sweeps.set(work.chipIndex, new ChipSweep(work));
  }

  setTarget(chipIndex: number, target: bigint): void {
    this.sweeps.get(chipIndex)?.setTarget(target);
  }

  stopChip(chipIndex: number): void {
    this.sweeps.delete(chipIndex);
  }

  clear(): void {
    this.sweeps.clear();
  }

  get activeChips(): number {
    let n = 0;
    for (const s of this.sweeps.values()) if (!s.exhausted) n++;
    return n;
  }

  /** Spend up to `budget` hashes; returns per-chip progress and every hit, in order. */
  run(budget: number): { progress: SweepProgress[]; hits: SweepHit[] } {
    const active = [...this.sweeps.values()].filter((s) => !s.exhausted);
    const progress: SweepProgress[] = [];
    const hits: SweepHit[] = [];
    if (active.length === 0) return { progress, hits };
    const share = Math.max(1, Math.floor(budget / active.length));
    for (const sweep of active) {
      const r = sweep.advance(share, this.scanner);
      if (r.progress.hashes > 0) progress.push(r.progress);
      hits.push(...r.hits);
    }
    return { progress, hits };
  }
}
