/**
 * A token bucket: `burst` messages at once, `perSecond` sustained. The server reads no more from
 * a miner whose bucket is empty until it refills, so a flood costs the event loop little and
 * never delays other miners (docs/stratum-and-gbt.md §8.5). Pure: the caller passes the clock.
 */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    nowMs: number,
  ) {
    if (!(burst >= 1) || !(perSecond > 0)) throw new Error('a token bucket needs burst ≥ 1 and a positive rate');
    this.tokens = burst;
    this.lastMs = nowMs;
  }

  /** Take one token; false when the bucket is empty. */
  take(nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until one token is back (0 when one is there). */
  waitMs(nowMs: number): number {
    this.refill(nowMs);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }

  private refill(nowMs: number): void {
    const elapsedS = Math.max(0, nowMs - this.lastMs) / 1000;
    this.lastMs = Math.max(this.lastMs, nowMs);
    this.tokens = Math.min(this.burst, this.tokens + elapsedS * this.perSecond);
  }
}
