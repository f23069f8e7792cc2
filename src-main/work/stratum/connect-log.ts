/**
 * When a pool was dialled, for the reconnect rate shown on its panel and in its backoff line
 * (docs/stratum-and-gbt.md §2): a pool that keeps dropping us is visible as such. Bounded: only the
 * last hour is kept, and at most MAX_KEPT attempts (the backoff allows far fewer).
 */

const HOUR_MS = 3_600_000;
const MAX_KEPT = 1024;

export class ConnectLog {
  private readonly atMs: number[] = [];

  record(nowMs: number): void {
    this.atMs.push(nowMs);
    this.prune(nowMs);
  }

  /** Connection attempts in the last hour. */
  lastHour(nowMs: number): number {
    this.prune(nowMs);
    return this.atMs.length;
  }

  private prune(nowMs: number): void {
    let drop = 0;
    while (drop < this.atMs.length && nowMs - this.atMs[drop]! > HOUR_MS) drop++;
    if (this.atMs.length - drop > MAX_KEPT) drop = this.atMs.length - MAX_KEPT;
    if (drop > 0) this.atMs.splice(0, drop);
  }
}
