/**
 * Hashrate from a chip's total hash counter (register 0x8C on BM1366/68/70).
 *
 * docs/bm13xx-protocol.md §3.3: each count is 2^32 hashes, so H/s = Δcount · 2^32 / Δt. The
 * register is a free-running uint32 that wraps; reads less than 1 s after the last accepted one
 * are ignored (a short Δt turns one count of jitter into a spike). Readings are cleared when the
 * chip stops so that a resume does not spike, and a reading above `maxPlausibleHs` (a chip reset
 * makes the counter jump) is dropped and the baseline restarted.
 */

export const HASHES_PER_COUNT = 2 ** 32;
const UINT32_RANGE = 2 ** 32;
/** Reads closer together than this are ignored (§3.3). */
export const MIN_READ_INTERVAL_MS = 1_000;

/** Counts between two reads of a wrapping uint32 counter. */
export function counterDelta(previous: number, current: number): number {
  checkCount(previous);
  checkCount(current);
  return current >= previous ? current - previous : current + UINT32_RANGE - previous;
}

/** H/s between two counter reads `intervalMs` apart. */
export function counterHashrateHs(previous: number, current: number, intervalMs: number): number {
  if (!(intervalMs > 0)) throw new RangeError(`interval must be > 0 ms, got ${intervalMs}`);
  return (counterDelta(previous, current) * HASHES_PER_COUNT) / (intervalMs / 1000);
}

export interface CounterHashrateOptions {
  /** Readings implying more than this are treated as a counter reset, not as hashing. */
  maxPlausibleHs?: number;
  /** How long accepted readings are kept for window averages (default 10 min). */
  keepMs?: number;
}

interface Reading {
  atMs: number;
  /** Unwrapped running total of counts since the baseline. */
  total: number;
}

export class CounterHashrate {
  private readonly maxPlausibleHs: number;
  private readonly keepMs: number;
  private readings: Reading[] = [];
  private lastRaw: number | null = null;
  private instant: number | null = null;
  private implausibleReads = 0;

  constructor(options: CounterHashrateOptions = {}) {
    this.maxPlausibleHs = options.maxPlausibleHs ?? Infinity;
    this.keepMs = options.keepMs ?? 600_000;
  }

  /** Feed one counter read. Returns the latest instant H/s (null until two reads ≥ 1 s apart). */
  update(count: number, atMs: number): number | null {
    checkCount(count);
    const last = this.readings[this.readings.length - 1];
    if (last === undefined || this.lastRaw === null) {
      this.baseline(count, atMs);
      return this.instant;
    }
    const intervalMs = atMs - last.atMs;
    if (intervalMs < MIN_READ_INTERVAL_MS) return this.instant;
    const delta = counterDelta(this.lastRaw, count);
    const hs = (delta * HASHES_PER_COUNT) / (intervalMs / 1000);
    if (hs > this.maxPlausibleHs) {
      this.implausibleReads += 1;
      this.baseline(count, atMs);
      return this.instant;
    }
    this.lastRaw = count;
    this.instant = hs;
    this.readings.push({ atMs, total: last.total + delta });
    // Keep one reading at or before the window start so the oldest window stays full.
    while (this.readings.length > 2 && this.readings[1]!.atMs <= atMs - this.keepMs) this.readings.shift();
    return hs;
  }

  /** H/s over the last read interval, or null. */
  get instantHs(): number | null {
    return this.instant;
  }

  get implausibleReadCount(): number {
    return this.implausibleReads;
  }

  /** Mean H/s over the readings within `windowMs` of the newest one (warm-up: what is there). */
  averageHs(windowMs: number): number | null {
    const newest = this.readings[this.readings.length - 1];
    if (newest === undefined) return null;
    let oldest: Reading | undefined;
    for (const r of this.readings) {
      if (r.atMs >= newest.atMs - windowMs) {
        oldest = r;
        break;
      }
    }
    if (oldest === undefined || oldest.atMs === newest.atMs) return null;
    return ((newest.total - oldest.total) * HASHES_PER_COUNT) / ((newest.atMs - oldest.atMs) / 1000);
  }

  /** Forget readings (chip stopped or re-initialised). */
  reset(): void {
    this.readings = [];
    this.lastRaw = null;
    this.instant = null;
  }

  private baseline(count: number, atMs: number): void {
    this.readings = [{ atMs, total: 0 }];
    this.lastRaw = count;
  }
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 0 || count >= UINT32_RANGE) throw new RangeError(`hash counter must be a uint32, got ${count}`);
}
