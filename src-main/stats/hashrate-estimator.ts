/**
 * Difficulty-weighted hashrate from validated nonces, over 1 m / 10 m / 1 h / 24 h windows.
 *
 * A chip reports a nonce when the hash meets its ticket target, so each valid nonce of weight w
 * (the scaled ticket difficulty, docs/bm13xx-protocol.md §4) stands for w·2^32 hashes on
 * average, and the count in a window is Poisson. Rate = Σw·2^32 / t, where t is the time
 * actually covered: from the start of the oldest bucket in the window, or from the first job if
 * that is later (warm-up: coveredS < windowS, never divided by the full window).
 *
 * Memory is fixed: 600 one-second buckets serve 1 m and 10 m, 1440 one-minute buckets serve 1 h
 * and 24 h. Each window's edge falls on a bucket edge, so its span is between one bucket short of
 * the window and the full window; the span reported is the exact one the counts belong to.
 *
 * Paused time (a board the user or the schedule paused) is not hashing time: the clock stops, so
 * the covered span leaves it out and a window that was all paused has no estimate (not zero).
 */
import type { Estimate, HashrateWindows } from '@shared/contract';
import { HASHES_PER_DIFFICULTY } from '@shared/economics.js';
import { BucketRing } from './bucket-ring.js';
import { weightedPoissonSumInterval } from './poisson-interval.js';

export type WindowKey = keyof HashrateWindows;

export const WINDOW_MS: Readonly<Record<WindowKey, number>> = {
  '1m': 60_000,
  '10m': 600_000,
  '1h': 3_600_000,
  '24h': 86_400_000,
};

const FINE_BUCKET_MS = 1_000;
const FINE_SLOTS = 600;
const COARSE_BUCKET_MS = 60_000;
const COARSE_SLOTS = 1_440;
/** Paused spans are kept as long as the longest window can reach back (24 h and a bucket). */
const PAUSE_KEEP_MS = 86_400_000 + COARSE_BUCKET_MS;

export interface HashrateEstimatorOptions {
  /** Two-sided confidence level of the interval (default 0.95). */
  confidence?: number;
}

export class HashrateEstimator {
  private readonly fine = new BucketRing(FINE_BUCKET_MS, FINE_SLOTS);
  private readonly coarse = new BucketRing(COARSE_BUCKET_MS, COARSE_SLOTS);
  private readonly confidence: number;
  private startMs: number | null = null;
  private lastEventMs = -Infinity;
  private currentWeight: number | null = null;
  private totalWeightSum = 0;
  private totalCountSum = 0;
  /** Closed paused spans [from, to), oldest first, and the open one. */
  private pauses: Array<{ fromMs: number; toMs: number }> = [];
  private pausedSinceMs: number | null = null;
  /** Paused time in spans dropped from `pauses` (for the since-start figure). */
  private droppedPausedMs = 0;

  constructor(options: HashrateEstimatorOptions = {}) {
    this.confidence = options.confidence ?? 0.95;
  }

  /**
   * Marks the first job sent (hashrate is measured from here). Later calls do not move it.
   * `weight` is the ticket weight in force, used for the upper bound before any nonce arrives.
   */
  start(atMs: number, weight?: number): void {
    if (!Number.isFinite(atMs)) throw new RangeError(`start time must be finite, got ${atMs}`);
    if (this.startMs === null || atMs < this.startMs) this.startMs = atMs;
    if (weight !== undefined && this.currentWeight === null) this.setWeight(weight);
  }

  /** The ticket weight now in force (when the ticket mask changes). */
  setWeight(weight: number): void {
    if (!(weight > 0) || !Number.isFinite(weight)) throw new RangeError(`weight must be a positive number, got ${weight}`);
    this.currentWeight = weight;
  }

  get startedAtMs(): number | null {
    return this.startMs;
  }

  get totalWeight(): number {
    return this.totalWeightSum;
  }

  get totalCount(): number {
    return this.totalCountSum;
  }

  get paused(): boolean {
    return this.pausedSinceMs !== null;
  }

  /** The clock stops: time from here until resume() does not count as covered time. */
  pause(atMs: number): void {
    if (this.pausedSinceMs === null) this.pausedSinceMs = atMs;
  }

  resume(atMs: number): void {
    if (this.pausedSinceMs === null) return;
    if (atMs > this.pausedSinceMs) this.pauses.push({ fromMs: this.pausedSinceMs, toMs: atMs });
    this.pausedSinceMs = null;
    while (this.pauses.length > 0 && this.pauses[0]!.toMs < atMs - PAUSE_KEEP_MS) {
      const old = this.pauses.shift()!;
      this.droppedPausedMs += Math.max(0, old.toMs - Math.max(old.fromMs, this.startMs ?? old.fromMs));
    }
  }

  /** Paused milliseconds within [fromMs, toMs). */
  pausedMsBetween(fromMs: number, toMs: number): number {
    let ms = 0;
    const overlap = (a: number, b: number): number => Math.max(0, Math.min(b, toMs) - Math.max(a, fromMs));
    for (const p of this.pauses) ms += overlap(p.fromMs, p.toMs);
    if (this.pausedSinceMs !== null) ms += overlap(this.pausedSinceMs, toMs);
    return ms;
  }

  /** One valid nonce of difficulty weight `weight` received at atMs. */
  record(atMs: number, weight: number): void {
    if (!(weight > 0) || !Number.isFinite(weight)) throw new RangeError(`weight must be a positive number, got ${weight}`);
    if (!Number.isFinite(atMs)) throw new RangeError(`time must be finite, got ${atMs}`);
    // A nonce before any recorded job starts the clock itself (it cannot predate the work).
    if (this.startMs === null) this.startMs = atMs;
    // Timestamps from several boards can interleave by a few ms; keep buckets monotonic.
    const t = Math.max(atMs, this.startMs, this.lastEventMs);
    this.lastEventMs = t;
    this.currentWeight = weight;
    this.fine.add(t, weight);
    this.coarse.add(t, weight);
    this.totalWeightSum += weight;
    this.totalCountSum += 1;
  }

  /** Estimate over one window, or null before the first job or when no weight is known yet. */
  estimate(window: WindowKey, nowMs: number): Estimate | null {
    if (this.startMs === null) return null;
    const windowMs = WINDOW_MS[window];
    const ring = windowMs <= FINE_BUCKET_MS * FINE_SLOTS ? this.fine : this.coarse;
    const sums = ring.sum(nowMs, Math.round(windowMs / ring.bucketMs));
    const fromMs = Math.max(sums.fromMs, this.startMs);
    const coveredMs = nowMs - fromMs - this.pausedMsBetween(fromMs, nowMs);
    if (coveredMs <= 0) return null;
    const emptyWeight = this.currentWeight;
    if (sums.count === 0 && emptyWeight === null) return null;
    const coveredS = coveredMs / 1000;
    const scale = HASHES_PER_DIFFICULTY / coveredS;
    const interval = weightedPoissonSumInterval(sums.weightSum, sums.weightSquareSum, emptyWeight ?? 1, this.confidence);
    return {
      valueHs: sums.weightSum * scale,
      lowHs: interval.low * scale,
      highHs: interval.high * scale,
      windowS: windowMs / 1000,
      coveredS,
      samples: sums.count,
    };
  }

  windows(nowMs: number): HashrateWindows {
    return {
      '1m': this.estimate('1m', nowMs),
      '10m': this.estimate('10m', nowMs),
      '1h': this.estimate('1h', nowMs),
      '24h': this.estimate('24h', nowMs),
    };
  }

  /** Σweights · 2^32 / seconds hashed since the first job (paused time left out; the run's summary figure); 0 before. */
  sinceStartHs(nowMs: number): number {
    if (this.startMs === null) return 0;
    const elapsedS = (nowMs - this.startMs - this.pausedMsBetween(this.startMs, nowMs) - this.droppedPausedMs) / 1000;
    return elapsedS > 0 ? (this.totalWeightSum * HASHES_PER_DIFFICULTY) / elapsedS : 0;
  }

  /** Forget every figure; a pause in progress stays in progress (spans are clipped to the new start). */
  reset(): void {
    this.fine.clear();
    this.coarse.clear();
    this.pauses = [];
    this.droppedPausedMs = 0;
    this.startMs = null;
    this.lastEventMs = -Infinity;
    this.totalWeightSum = 0;
    this.totalCountSum = 0;
  }
}
