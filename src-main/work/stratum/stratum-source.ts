/**
 * StratumSource: the engine's work source for Stratum v1 pools (docs/stratum-and-gbt.md §1, §2, §4).
 * It orchestrates the sessions: one active session on an ordered pool list, reconnects with
 * failover, turns notifies into WorkTemplates, and hands shares to the pool. The parts are its own:
 * the pool list (pool-list.ts), the failover policy (failover.ts), the live templates
 * (live-templates.ts), the share book (share-book.ts: duplicates, replies, resubmit queue,
 * counters), the primary probe (primary-probe.ts) and the payout check (payout-monitor.ts).
 */
import type { EventBus } from '@shared/bus.js';
import type { NodeSnapshot, PoolSnapshot } from '@shared/contract';
import type { Share, WorkTemplate } from '../job.js';
import type { WorkSource, WorkSourceHandlers } from '../source.js';
import { ActiveSession, type ActiveSessionEvents } from './active-session.js';
import { DEFAULT_TIMERS, FailoverPolicy, type StratumTimers } from './failover.js';
import { LiveTemplates } from './live-templates.js';
import type { NotifyParams } from './messages.js';
import { PayoutMonitor } from './payout-monitor.js';
import { PoolList, type PoolSessionDefaults, type StratumPoolConfig } from './pool-list.js';
import { PrimaryProbe } from './primary-probe.js';
import type { SessionLogLevel, StratumSession } from './session.js';
import { ShareBook } from './share-book.js';
import { WorkerNames } from './worker-name.js';

export interface StratumSourceOptions extends PoolSessionDefaults {
  pools: StratumPoolConfig[];
  bus: EventBus;
  timers?: Partial<StratumTimers>;
  /** Log sink; default: bus.log(level, 'stratum', text). */
  log?: (level: SessionLogLevel, text: string) => void;
  /** How long stop() waits for replies to submitted shares. */
  stopDrainMs?: number;
  random?: () => number;
  /** Worker names by board id (`--worker`); a board not listed uses its id. */
  workers?: Record<string, string>;
}

export class StratumSource implements WorkSource {
  readonly kind = 'stratum' as const;

  private readonly timers: StratumTimers;
  private readonly pools: PoolList;
  private readonly policy: FailoverPolicy;
  private readonly templates = new LiveTemplates();
  private readonly book: ShareBook;
  private readonly probe: PrimaryProbe;
  private readonly payout: PayoutMonitor;
  private handlers: WorkSourceHandlers | null = null;
  private activeIndex = 0;
  private current: ActiveSession | null = null;
  /** The session being brought up (differs from `current` while reconnecting to the same pool). */
  private pendingActive: ActiveSession | null = null;
  private nextSessionId = 1;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private resubmitTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  private readonly log: (level: SessionLogLevel, text: string) => void;
  private readonly workers: WorkerNames;

  private readonly sessionEvents: ActiveSessionEvents = {
    onData: (a) => this.policy.recordData(a.poolIndex, Date.now()),
    onNotify: (a, n) => this.onNotify(a, n),
    onExtranonce: (a) => {
      if (this.current !== a) return;
      a.forceCleanNext = true;
      this.invalidateAll('pool set a new extranonce');
    },
    onReconnectRequest: (a, req) => this.onReconnectRequest(a, req),
    onClose: (a, reason) => this.onActiveClose(a, reason),
    onHealthy: (a) => this.policy.recordHealthy(a.poolIndex, Date.now()),
  };

  constructor(private readonly options: StratumSourceOptions) {
    this.timers = { ...DEFAULT_TIMERS, ...options.timers };
    this.workers = new WorkerNames(options.workers);
    this.pools = new PoolList(options.pools, options, this.timers, options.bus);
    this.log = options.log ?? ((level, text) => options.bus.log(level, 'stratum', text));
    this.policy = new FailoverPolicy(this.pools.entries.length, this.timers, options.random);
    this.book = new ShareBook({ bus: options.bus, log: this.log, nowMs: Date.now, poolUrl: (i) => this.pools.entries[i]?.config.url, resubmitWindowMs: this.timers.resubmitWindowMs });
    this.payout = new PayoutMonitor({ bus: options.bus, log: this.log });
    const probeHost = { activePoolIndex: () => this.activeIndex, isStopping: () => this.stopping, log: this.log, promote: (i: number, s: StratumSession) => this.promote(i, s) };
    this.probe = new PrimaryProbe(probeHost, this.pools, this.timers);
  }

  async start(handlers: WorkSourceHandlers): Promise<void> {
    this.handlers = handlers;
    this.stopping = false;
    this.policy.begin(0, Date.now());
    this.connectActive();
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    const deadline = Date.now() + (this.options.stopDrainMs ?? 2_000);
    while (this.current && this.current.session.isOpen && this.book.awaitingReply(this.current.id) > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    this.stopping = true;
    for (const t of [this.reconnectTimer, this.resubmitTimer]) if (t) clearTimeout(t);
    this.reconnectTimer = this.resubmitTimer = null;
    this.probe.stop('stopping');
    if (this.pendingActive !== this.current) this.pendingActive?.closeOnPurpose('stopping');
    this.pendingActive = null;
    if (this.current) {
      this.current.closeOnPurpose('stopping');
      this.book.abandon(this.current.id, 'no reply before stop');
    }
    this.book.dropQueue('not sent before stop');
    for (const p of this.pools.entries) p.state = 'idle';
  }

  isTemplateLive(template: WorkTemplate): boolean {
    return this.templates.isLive(template.key, this.current, this.activeIndex);
  }

  submitShare(share: Share): void {
    const t = share.job.template;
    const origin = this.templates.origin(t.key);
    const poolIndex = origin?.poolIndex ?? this.pools.indexOf(t.sourceId, this.activeIndex);
    if (!this.book.open(poolIndex, share)) return;
    if (!origin || !this.isTemplateLive(t)) return this.book.finish(poolIndex, share, 'stale', 'job no longer live', null);
    const cur = this.current!;
    if (origin.sessionId === cur.id && cur.session.isOpen) return cur.send(share, false);
    this.book.enqueue(origin.poolIndex, share);
    this.armResubmitWindow();
  }

  poolSnapshots(): PoolSnapshot[] {
    return this.pools.snapshots(this.activeIndex, this.book, this.payout);
  }

  nodeSnapshot(): NodeSnapshot | null {
    return null;
  }

  /** Index of the pool in use (0 = primary). */
  get activePoolIndex(): number {
    return this.activeIndex;
  }

  private newActive(poolIndex: number, session: StratumSession): ActiveSession {
    const ctx = { pool: this.pools.at(poolIndex), book: this.book, log: this.log, events: this.sessionEvents, timers: this.timers, workers: this.workers };
    return new ActiveSession(this.nextSessionId++, poolIndex, session, ctx);
  }

  private connectActive(): void {
    if (this.stopping) return;
    this.reconnectTimer = null;
    const poolIndex = this.activeIndex;
    const p = this.pools.at(poolIndex);
    const active = this.newActive(poolIndex, this.pools.openSession(poolIndex, { log: () => {} }));
    active.expectWork();
    // Keep the previous (closed) session as `current` until this one delivers work, so that its
    // templates stay live and shares found meanwhile are queued (see isTemplateLive).
    if (!this.current || this.current.poolIndex !== poolIndex) this.current = active;
    this.pendingActive = active;
    this.pools.connecting(poolIndex);
    active.session.connect().then(
      () => {
        if (this.pendingActive === active && !this.stopping) this.pools.setState(poolIndex, 'subscribing', null);
      },
      (err: Error) => {
        if (this.pendingActive !== active || this.stopping) return;
        this.log('warn', `cannot connect to ${p.config.url}: ${err.message}`);
        this.onActiveFailure(active, err.message);
      },
    );
  }

  private onNotify(a: ActiveSession, n: NotifyParams): void {
    if (this.stopping) return;
    const p = this.pools.at(a.poolIndex);
    p.lastNotifyAtMs = Date.now();
    let forceClean = false;
    if (!a.gotWork) {
      // First work from this session: it becomes the current one.
      a.markWorking();
      const previous = this.current;
      this.current = a;
      if (this.pendingActive === a) this.pendingActive = null;
      // Work is not yet proof of health (a pool may close after every notify): see onHealthy.
      this.policy.recordData(a.poolIndex, Date.now());
      p.redirect = null;
      this.pools.setState(a.poolIndex, 'active', `extranonce1 ${p.extranonce1}, extranonce2 ${p.extranonce2Size} bytes`);
      if (this.resubmitTimer) clearTimeout(this.resubmitTimer);
      this.resubmitTimer = null;
      this.book.flushQueue({ poolIndex: a.poolIndex, extranonce1: a.session.extranonce1, prevHashHex: n.prevHashHex }, (share) => a.send(share, true));
      if ((previous !== null && previous !== a) || this.templates.size > 0) this.invalidateAll(`new session on ${p.config.url}`);
      forceClean = true;
      this.probe.schedule();
    }
    if (this.current !== a) return;
    if (a.forceCleanNext) {
      a.forceCleanNext = false;
      forceClean = true;
    }
    if (n.cleanJobs && !forceClean) this.invalidateAll('clean_jobs');
    const context = a.templateContext(Date.now(), forceClean);
    if (!context) return;
    let template: WorkTemplate;
    try {
      // A new session or extranonce (forceClean) voids the templates of earlier sessions.
      template = this.templates.record(n, context);
    } catch (err) {
      return this.log('warn', `${p.config.url}: dropped job ${n.jobId}: ${(err as Error).message}`);
    }
    this.handlers?.onTemplate(template);
    this.payout.checkSoon(a.poolIndex, p.config, template);
  }

  private onActiveClose(a: ActiveSession, reason: string): void {
    // Shares without a reply may never have reached the pool: keep them for the next session.
    if (this.book.requeue(a.id) > 0) this.armResubmitWindow();
    if (this.stopping || a.expectedClose) return;
    if (this.current !== a && this.pendingActive !== a) return;
    this.log('warn', `${this.pools.at(a.poolIndex).config.url}: disconnected (${reason})`);
    this.onActiveFailure(a, reason);
  }

  private onActiveFailure(a: ActiveSession, reason: string): void {
    if (this.stopping) return;
    if (this.pendingActive === a) this.pendingActive = null;
    const decision = this.policy.recordFailure(a.poolIndex, Date.now());
    const p = this.pools.at(a.poolIndex);
    p.redirect = null;
    if (decision.action === 'switch') {
      const next = this.pools.at(decision.index).config.url;
      this.pools.setState(a.poolIndex, 'dead', reason);
      this.log('warn', `failing over from ${p.config.url} to ${next}`);
      this.switchTo(decision.index, `failover to ${next}`);
    } else {
      this.pools.backoff(a.poolIndex, reason, decision.delayMs);
      this.armResubmitWindow();
    }
    this.scheduleReconnect(decision.delayMs);
  }

  /** Leave the current pool: its work and queued shares are void. */
  private switchTo(index: number, reason: string): void {
    this.probe.cancelRound();
    this.activeIndex = index;
    this.current = null;
    this.invalidateAll(reason);
    this.book.dropQueue('pool switched before the share could be sent');
  }

  private scheduleReconnect(delayMs: number): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.connectActive(), delayMs);
  }

  /** While disconnected, old work stays live for resubmitWindowMs, then it is void. */
  private armResubmitWindow(): void {
    if (this.resubmitTimer || this.stopping) return;
    this.resubmitTimer = setTimeout(() => {
      this.resubmitTimer = null;
      if (this.current?.gotWork && this.current.session.isOpen) return;
      this.invalidateAll('pool unreachable');
      this.book.dropQueue('pool unreachable');
    }, this.timers.resubmitWindowMs);
  }

  private onReconnectRequest(a: ActiveSession, req: { host: string | null; port: number | null; waitS: number }): void {
    if (this.current !== a) return;
    this.pools.redirect(a.poolIndex, req, this.log);
    this.invalidateAll('pool asked to reconnect');
    a.closeOnPurpose('reconnect requested');
    this.pools.setState(a.poolIndex, 'connecting', 'reconnect requested');
    this.scheduleReconnect(Math.min(req.waitS, 600) * 1000);
  }

  /** A probed higher-priority pool passed: leave the backup and make the probe's session the active one. */
  private promote(index: number, session: StratumSession): void {
    const old = this.current;
    if (old) {
      this.book.abandon(old.id, 'pool switched before a reply');
      old.closeOnPurpose('switching back to a higher-priority pool');
      this.pools.setState(old.poolIndex, 'idle', 'standby');
    }
    // A backup session still being brought up (reconnecting) would take over once it got work.
    if (this.pendingActive !== old) this.pendingActive?.closeOnPurpose('switching back to a higher-priority pool');
    this.pendingActive = null;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const url = this.pools.at(index).config.url;
    this.log('info', `switching back to ${url}`);
    this.switchTo(index, `switching back to ${url}`);
    this.policy.begin(index, Date.now());
    const active = this.newActive(index, session);
    this.pools.learnFrom(index, session);
    if (session.lastNotify) this.onNotify(active, session.lastNotify);
  }

  private invalidateAll(reason: string): void {
    // Templates stay recorded only if they belong to a session that still delivers work.
    this.templates.clear();
    this.book.forgetSubmitted();
    this.handlers?.onInvalidateAll(reason);
  }
}
