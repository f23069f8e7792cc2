/**
 * Where a virtual chain's hashing happens. The worker engine keeps the host's event loop free and
 * caps the rate; the inline engine hashes only when told to (deterministic unit tests).
 */
import type { SweepHit, SweepProgress, SweepWork } from './sweep.js';

export interface HashEngineListener {
  /** One scheduler run: its hits and the hashes done for them, together (a drought is judged on both). */
  onResult(hits: SweepHit[], progress: SweepProgress[]): void;
  onError?(err: Error): void;
}

export interface HashEngine {
  /** Resolves when hashing can happen; rejects, saying why, when it never will (the worker could not start). */
  readonly ready: Promise<void>;
  setWork(work: SweepWork): void;
  setTarget(chipIndex: number, target: bigint): void;
  stopChip(chipIndex: number): void;
  clear(): void;
  setRate(hashRateHs: number): void;
  close(): Promise<void>;
}

/** Messages main → worker. */
export type HashWorkerCommand =
  | { type: 'work'; work: SweepWork }
  | { type: 'target'; chipIndex: number; target: bigint }
  | { type: 'stop-chip'; chipIndex: number }
  | { type: 'clear' }
  | { type: 'rate'; hashRateHs: number }
  | { type: 'shutdown' };

/** Messages worker → main. */
export type HashWorkerReport = { type: 'ready'; scanner: string } | { type: 'result'; hits: SweepHit[]; progress: SweepProgress[] } | { type: 'error'; message: string };
