/**
 * Failover decisions over an ordered pool list (docs/stratum-and-gbt.md §2): reconnect with
 * exponential backoff plus jitter, capped; after `maxFailures` failures in a row, or `deadPoolMs`
 * without any data from the pool, move down the list (wrapping to the top); while on a backup, probe
 * the higher-priority pools every `primaryProbeMs`. The failure count (hence the backoff) is reset
 * only by a session that proved healthy: an accepted share, or `healthyAfterMs` of work. Work alone
 * is not proof: a pool that closes right after each notify would otherwise be redialled at once,
 * forever. Pure bookkeeping: the caller owns the timers.
 */

export interface StratumTimers {
  /** First reconnect delay; doubles per failure. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** ± fraction of random jitter on every delay. */
  backoffJitter: number;
  /** Failures in a row before moving to the next pool. */
  maxFailures: number;
  /** No data for this long: the pool is dead (cgminer's 90 s). */
  deadPoolMs: number;
  /** While on a backup, probe the primary this often (ESP-Miner 60 s). */
  primaryProbeMs: number;
  /** A probe passes when subscribe+authorize succeed and a notify arrives within this time. */
  probeTimeoutMs: number;
  /** TCP/TLS connect plus subscribe must finish within this time. */
  connectTimeoutMs: number;
  /** How long shares found while disconnected are kept for resubmission (cgminer 120 s). */
  resubmitWindowMs: number;
  /** TCP keepalive initial delay. */
  keepAliveMs: number;
  /** A session that has delivered work this long without failing is healthy (as an accepted share makes it at once). */
  healthyAfterMs: number;
}

export const DEFAULT_TIMERS: StratumTimers = {
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
  backoffJitter: 0.2,
  maxFailures: 3,
  deadPoolMs: 90_000,
  primaryProbeMs: 60_000,
  probeTimeoutMs: 5_000,
  connectTimeoutMs: 15_000,
  resubmitWindowMs: 120_000,
  keepAliveMs: 60_000,
  healthyAfterMs: 60_000,
};

export function backoffDelayMs(failures: number, timers: Pick<StratumTimers, 'backoffBaseMs' | 'backoffMaxMs' | 'backoffJitter'>, random: () => number = Math.random): number {
  const exp = Math.min(timers.backoffMaxMs, timers.backoffBaseMs * 2 ** Math.max(0, Math.min(30, failures - 1)));
  const jitter = 1 + timers.backoffJitter * (2 * random() - 1);
  return Math.max(0, Math.round(exp * jitter));
}

export type FailoverDecision = { action: 'retry'; index: number; delayMs: number } | { action: 'switch'; index: number; delayMs: number };

interface PoolHealth {
  failures: number;
  /** Last data from the pool, or when we started trying it. */
  lastDataAtMs: number;
}

export class FailoverPolicy {
  private readonly health: PoolHealth[];
  private fullCycles = 0;

  constructor(
    private readonly poolCount: number,
    private readonly timers: StratumTimers,
    private readonly random: () => number = Math.random,
  ) {
    if (poolCount < 1) throw new Error('at least one pool is needed');
    this.health = Array.from({ length: poolCount }, () => ({ failures: 0, lastDataAtMs: 0 }));
  }

  /** Starting to use pool `index` (initially or after a switch). */
  begin(index: number, nowMs: number): void {
    const h = this.at(index);
    h.failures = 0;
    h.lastDataAtMs = nowMs;
  }

  recordData(index: number, nowMs: number): void {
    this.at(index).lastDataAtMs = nowMs;
  }

  /** A session proved healthy (an accepted share, or healthyAfterMs of work): reset the failure count and the backoff. */
  recordHealthy(index: number, nowMs: number): void {
    const h = this.at(index);
    h.failures = 0;
    h.lastDataAtMs = nowMs;
    this.fullCycles = 0;
  }

  /** A connect attempt or a session failed. Decide: retry the same pool later, or move down. */
  recordFailure(index: number, nowMs: number): FailoverDecision {
    const h = this.at(index);
    h.failures += 1;
    const silentMs = nowMs - h.lastDataAtMs;
    if (this.poolCount > 1 && (h.failures >= this.timers.maxFailures || silentMs >= this.timers.deadPoolMs)) {
      const next = (index + 1) % this.poolCount;
      if (next === 0) this.fullCycles += 1;
      this.begin(next, nowMs);
      // Moving down is immediate; after a full pass over the list, back off.
      return { action: 'switch', index: next, delayMs: this.fullCycles > 0 && next === 0 ? backoffDelayMs(this.fullCycles, this.timers, this.random) : 0 };
    }
    return { action: 'retry', index, delayMs: backoffDelayMs(h.failures, this.timers, this.random) };
  }

  failures(index: number): number {
    return this.at(index).failures;
  }

  private at(index: number): PoolHealth {
    const h = this.health[index];
    if (!h) throw new Error(`no pool ${index}`);
    return h;
  }
}
