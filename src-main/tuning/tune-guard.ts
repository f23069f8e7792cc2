/**
 * Watches a tuned board after its run: when a reading breaks a limit (a fan that failed, a hot
 * room), the board steps back to the best measured setting that drew less power, and waits for the
 * temperatures to follow before judging again. With nothing lower left it says so once; the
 * thermal guard still stops the board before it overheats. Pure decisions: readings in, the
 * setting to step back to out.
 */
import type { OperatingPoint, TuneLimits, TuneRow } from '@shared/contract';
import { sensorLimitBroken, type LimitReading } from './tune-limits.js';

export type GuardDecision = { kind: 'ok' } | { kind: 'step-back'; text: string; to: TuneRow } | { kind: 'nothing-lower'; text: string };

export class TuneGuard {
  private current: OperatingPoint;
  private holdUntilMs = -Infinity;
  private saidNothingLower = false;

  constructor(
    private readonly rows: readonly TuneRow[],
    private readonly limits: TuneLimits,
    applied: OperatingPoint,
    /** After the setting is applied and after each step back, readings are not judged for this long (temperatures lag). */
    private readonly holdMs: number,
    armedAtMs: number,
  ) {
    this.current = applied;
    this.holdUntilMs = armedAtMs + holdMs;
  }

  get point(): OperatingPoint {
    return this.current;
  }

  check(reading: LimitReading, nowMs: number): GuardDecision {
    if (nowMs < this.holdUntilMs) return { kind: 'ok' };
    const broken = sensorLimitBroken(reading, this.limits);
    if (!broken) return { kind: 'ok' };
    const lower = this.nextLower();
    if (!lower) {
      if (this.saidNothingLower) return { kind: 'ok' };
      this.saidNothingLower = true;
      return { kind: 'nothing-lower', text: `${broken} No lower tuned setting is left below ${this.current.frequencyMhz} MHz; the thermal guard stops the board if it overheats.` };
    }
    this.current = { frequencyMhz: lower.frequencyMhz, coreVoltageMv: lower.coreVoltageMv };
    this.holdUntilMs = nowMs + this.holdMs;
    return { kind: 'step-back', text: `${broken} Stepped back to ${lower.frequencyMhz} MHz${lower.coreVoltageMv === null ? '' : ` / ${lower.coreVoltageMv} mV`}.`, to: lower };
  }

  /** The measured setting with the most hashrate among those that drew less than the current one. */
  private nextLower(): TuneRow | null {
    const here = this.rows.find((r) => r.frequencyMhz === this.current.frequencyMhz && r.coreVoltageMv === this.current.coreVoltageMv);
    const ceilingW = here?.powerW ?? null;
    const candidates = this.rows.filter((r) => {
      if (!r.withinLimits) return false;
      if (ceilingW !== null && r.powerW !== null) return r.powerW < ceilingW;
      // Without power figures: a lower frequency at no more voltage.
      return r.frequencyMhz < this.current.frequencyMhz && (r.coreVoltageMv ?? 0) <= (this.current.coreVoltageMv ?? 0);
    });
    return candidates.reduce<TuneRow | null>((best, r) => (best === null || r.hashrateHs > best.hashrateHs ? r : best), null);
  }
}
