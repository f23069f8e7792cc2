/**
 * Per-pool payout watch around checkPayout (docs/stratum-and-gbt.md §6 "Payout verification"): each
 * new coinbase (by its signature coinb1 | coinb2 | extranonce2 size) is decoded once, the share of
 * the reward paid to the user's address is kept for the pool panel, and a change of warning level
 * is logged and raised as a warning: under 50 % warns, under 100 % informs (e.g. a pool fee).
 */
import type { EventBus } from '@shared/bus.js';
import type { WorkTemplate } from '../job.js';
import { checkPayout } from './payout.js';
import type { SessionLogLevel } from './session.js';

export type PayoutWarnLevel = 'none' | 'info' | 'warn';

interface PayoutState {
  lastSignature: string | null;
  /** Fraction of the coinbase value paid to the user; null when unknown (user is not an address). */
  payoutShare: number | null;
  warnLevel: PayoutWarnLevel;
}

export interface PayoutMonitorOptions {
  bus: EventBus;
  log: (level: SessionLogLevel, text: string) => void;
  nowMs?: () => number;
}

/** The pool as the check needs it. */
export interface PayoutPool {
  url: string;
  /** `<address>.<worker>` on a solo pool. */
  user: string;
}

export function payoutWarnLevel(payoutShare: number): PayoutWarnLevel {
  return payoutShare < 0.5 ? 'warn' : payoutShare < 1 ? 'info' : 'none';
}

export class PayoutMonitor {
  private readonly pools = new Map<number, PayoutState>();
  private readonly nowMs: () => number;

  constructor(private readonly options: PayoutMonitorOptions) {
    this.nowMs = options.nowMs ?? Date.now;
  }

  /**
   * Check once the job frames are written (the transport hands them to the kernel before the
   * dispatch returns): nothing but the new work may run between a notify and the chips.
   */
  checkSoon(poolIndex: number, pool: PayoutPool, template: WorkTemplate): void {
    setImmediate(() => this.check(poolIndex, pool, template));
  }

  check(poolIndex: number, pool: PayoutPool, template: WorkTemplate): void {
    const state = this.stateOf(poolIndex);
    const signature = template.coinb1.toString('hex') + '|' + template.coinb2.toString('hex') + '|' + template.extranonce2Size;
    if (signature === state.lastSignature) return;
    state.lastSignature = signature;
    let share: number | null;
    try {
      share = checkPayout(template, pool.user).payoutShare;
    } catch (err) {
      this.options.log('warn', `${pool.url}: cannot check the payout: ${(err as Error).message}`);
      return;
    }
    state.payoutShare = share;
    if (share === null) return;
    const level = payoutWarnLevel(share);
    if (level === state.warnLevel) return;
    state.warnLevel = level;
    if (level === 'none') return;
    const pct = (share * 100).toFixed(share < 0.01 ? 2 : 1);
    const text =
      level === 'warn'
        ? `Pool ${pool.url} pays only ${pct} % of the block reward to your address ${pool.user.split('.')[0]} — check the pool and your username`
        : `Pool ${pool.url} pays ${pct} % of the block reward to your address (the rest goes elsewhere, e.g. a pool fee)`;
    this.options.log(level === 'warn' ? 'warn' : 'info', text);
    const atMs = this.nowMs();
    this.options.bus.emit({ type: 'warning', atMs, warning: { id: `payout:${pool.url}`, level, text, atMs, boardId: null } });
  }

  /** The last measured payout share of a pool (for its panel). */
  payoutShare(poolIndex: number): number | null {
    return this.pools.get(poolIndex)?.payoutShare ?? null;
  }

  private stateOf(poolIndex: number): PayoutState {
    let s = this.pools.get(poolIndex);
    if (!s) this.pools.set(poolIndex, (s = { lastSignature: null, payoutShare: null, warnLevel: 'none' }));
    return s;
  }
}
