/**
 * Primary probing (docs/stratum-and-gbt.md §2): while the source mines on a backup, every
 * primaryProbeMs a trial session is opened to the highest-priority pool. It passes when it
 * subscribes, authorizes and sends work within probeTimeoutMs; the passed session is then
 * promoted: handed to the source, already live, to become the active one. A failed probe tries the
 * next pool up the list, then waits for the next round.
 */
import type { StratumTimers } from './failover.js';
import type { PoolList } from './pool-list.js';
import type { SessionLogLevel, StratumSession } from './session.js';

/** What the probe needs from the source that owns the pools and the active session. */
export interface ProbeHost {
  /** Index of the pool in use: pools above it (lower index) are probed. */
  activePoolIndex(): number;
  isStopping(): boolean;
  log(level: SessionLogLevel, text: string): void;
  /** The probe of `poolIndex` passed: adopt its session (subscribed, authorized, with work in `session.lastNotify`). */
  promote(poolIndex: number, session: StratumSession): void;
}

export class PrimaryProbe {
  private roundTimer: NodeJS.Timeout | null = null;
  private probe: { session: StratumSession; poolIndex: number; timer: NodeJS.Timeout } | null = null;

  constructor(
    private readonly host: ProbeHost,
    private readonly pools: PoolList,
    private readonly timers: Pick<StratumTimers, 'primaryProbeMs' | 'probeTimeoutMs'>,
  ) {}

  /** (Re)start the wait for the next round; nothing to probe on the primary. */
  schedule(): void {
    this.cancelRound();
    if (this.host.activePoolIndex() === 0 || this.host.isStopping()) return;
    this.roundTimer = setTimeout(() => {
      this.roundTimer = null;
      this.run(0);
    }, this.timers.primaryProbeMs);
  }

  /** No next round until schedule() is called again (a probe under way carries on). */
  cancelRound(): void {
    if (this.roundTimer) clearTimeout(this.roundTimer);
    this.roundTimer = null;
  }

  /** Stop probing altogether: no next round, and a probe under way is closed. */
  stop(reason: string): void {
    this.cancelRound();
    this.end(reason);
  }

  /** Probe pool `index`; on failure try the next higher-priority one, then wait for the next round. */
  private run(index: number): void {
    if (this.host.isStopping() || index >= this.host.activePoolIndex()) {
      this.schedule();
      return;
    }
    const p = this.pools.at(index);
    const url = p.config.url;
    // Shown on the pool's panel, not reported as a pool event: the pool in use is unchanged.
    p.state = 'probing';
    let passed = false;
    const fail = (why: string) => {
      if (passed || !this.probe || this.probe.poolIndex !== index) return;
      this.host.log('debug', `probe of ${url} failed: ${why}`);
      this.end(why);
      p.state = 'dead';
      this.run(index + 1);
    };
    const session = this.pools.openSession(index, {
      log: (level, text) => this.host.log(level === 'error' ? 'warn' : 'debug', `probe ${url}: ${text}`),
      onAuthorized: (ok, reason) => {
        if (!ok) fail(`authorization refused: ${reason}`);
      },
      onNotify: () => {
        if (passed) return;
        passed = true;
        this.promote(index);
      },
      onClose: (reason) => fail(reason),
    });
    const timer = setTimeout(() => fail('no work within the probe time'), this.timers.probeTimeoutMs);
    this.probe = { session, poolIndex: index, timer };
    session.connect().catch((err: Error) => fail(err.message));
  }

  private end(reason: string): void {
    if (!this.probe) return;
    clearTimeout(this.probe.timer);
    const s = this.probe.session;
    this.probe = null;
    s.setListener({ log: () => {} });
    s.close(reason);
  }

  /** The probed pool answered and sent work: its session is handed over, still open. */
  private promote(index: number): void {
    const probe = this.probe;
    if (!probe || probe.poolIndex !== index) return;
    clearTimeout(probe.timer);
    this.probe = null;
    this.host.promote(index, probe.session);
  }
}
