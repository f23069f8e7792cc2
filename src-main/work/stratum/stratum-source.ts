/**
 * StratumSource: the engine's work source for Stratum v1 pools (docs/stratum-and-gbt.md §1, §2, §4).
 * It owns one active session on an ordered pool list, turns notifies into WorkTemplates, submits
 * shares (never twice), classifies results (accepted / rejected by reason / stale), keeps shares
 * found while reconnecting and resubmits them when the new session can still take them, fails
 * over to backups and probes the primary to come back, and checks that the coinbase pays the user.
 */
import type { EventBus } from '@shared/bus.js';
import type { EngineEvent, NodeSnapshot, PoolSnapshot } from '@shared/contract';
import { headerPrevHashToStratum } from '../../bitcoin/prevhash.js';
import { hashToDisplayHex } from '../../bitcoin/sha256d.js';
import { hashMeetsTarget } from '../../bitcoin/target.js';
import type { Share, WorkTemplate } from '../job.js';
import type { WorkSource, WorkSourceHandlers } from '../source.js';
import { DEFAULT_TIMERS, FailoverPolicy, type StratumTimers } from './failover.js';
import type { NotifyParams, RejectReason } from './messages.js';
import { checkPayout } from './payout.js';
import { parsePoolUrl, sameDomain, type PoolAddress } from './pool-url.js';
import { isStaleReject } from './stale-reject.js';
import { StratumSession, type SessionListener, type SessionLogLevel } from './session.js';
import { hex8, shareKey, submitParams } from './submit-params.js';
import { notifyToTemplate } from './template.js';
import type { StratumTlsOptions } from './transport.js';

export interface StratumPoolConfig {
  url: string;
  user: string;
  /** Default "x". Never logged. */
  password?: string;
  /** Per-pool overrides. */
  tls?: StratumTlsOptions;
  suggestDifficulty?: number;
  extranonceSubscribe?: boolean;
}

export interface StratumSourceOptions {
  pools: StratumPoolConfig[];
  bus: EventBus;
  /** Sent as given after authorize (fractional allowed). */
  suggestDifficulty?: number;
  extranonceSubscribe?: boolean;
  /** e.g. "hashdeck/0.1.0" (sent in mining.subscribe and client.get_version replies). */
  userAgent: string;
  timers?: Partial<StratumTimers>;
  tls?: StratumTlsOptions;
  /** Log sink; default: bus.log(level, 'stratum', text). */
  log?: (level: SessionLogLevel, text: string) => void;
  /** How long stop() waits for replies to submitted shares. */
  stopDrainMs?: number;
  maxLineBytes?: number;
  random?: () => number;
}

type PoolState = PoolSnapshot['state'];

interface PoolRuntime {
  priority: number;
  config: StratumPoolConfig;
  address: PoolAddress;
  /** Temporary target from client.reconnect (same domain only), until the next failure. */
  redirect: PoolAddress | null;
  state: PoolState;
  difficulty: number | null;
  extranonce1: string | null;
  extranonce2Size: number | null;
  versionMask: number | null;
  lastNotifyAtMs: number | null;
  sharesAccepted: number;
  sharesRejected: number;
  sharesStale: number;
  acceptedDifficulty: number;
  rejectReasons: Record<string, number>;
  responseTimeMs: number | null;
  payoutShare: number | null;
  payoutWarnLevel: 'none' | 'info' | 'warn';
  lastCoinbaseChecked: string | null;
  message: string | null;
}

interface Inflight {
  share: Share;
  sentAtMs: number;
  resubmitted: boolean;
}

interface ActiveSession {
  id: number;
  poolIndex: number;
  session: StratumSession;
  gotWork: boolean;
  inflight: Map<number, Inflight>;
  /** Closed on purpose (reconnect request, switch, stop): no failure is counted. */
  expectedClose: boolean;
  /** The next template must be marked clean (new extranonce). */
  forceCleanNext: boolean;
  /** Fails the session when it delivers no work in time. */
  workTimer: NodeJS.Timeout | null;
}

interface TemplateRecord {
  sessionId: number;
  poolIndex: number;
  jobId: string;
}

interface QueuedShare {
  share: Share;
  queuedAtMs: number;
  poolIndex: number;
}

/** Live templates kept per source; pools expire jobs after minutes anyway (§4). */
const MAX_LIVE_TEMPLATES = 64;
const MAX_QUEUED_SHARES = 1000;
const MAX_DEDUP_KEYS = 65_536;
/** A submit without a reply for this long is given up (counted as rejected: "no reply from pool"). */
const SUBMIT_REPLY_MS = 120_000;

export class StratumSource implements WorkSource {
  readonly kind = 'stratum' as const;

  private readonly timers: StratumTimers;
  private readonly pools: PoolRuntime[];
  private readonly policy: FailoverPolicy;
  private handlers: WorkSourceHandlers | null = null;
  private activeIndex = 0;
  private current: ActiveSession | null = null;
  /** The session being brought up (differs from `current` while reconnecting to the same pool). */
  private pendingActive: ActiveSession | null = null;
  private probe: { session: StratumSession; poolIndex: number; timer: NodeJS.Timeout } | null = null;
  private nextSessionId = 1;
  private templateSeq = 0;
  private readonly templates = new Map<string, TemplateRecord>();
  private readonly sentKeys = new Set<string>();
  private readonly queue: QueuedShare[] = [];
  private reconnectTimer: NodeJS.Timeout | null = null;
  private silenceTimer: NodeJS.Timeout | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private resubmitTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  private readonly log: (level: SessionLogLevel, text: string) => void;

  constructor(private readonly options: StratumSourceOptions) {
    if (options.pools.length === 0) throw new Error('at least one pool is needed');
    this.timers = { ...DEFAULT_TIMERS, ...options.timers };
    this.log = options.log ?? ((level, text) => options.bus.log(level, 'stratum', text));
    if (options.suggestDifficulty !== undefined && !(options.suggestDifficulty > 0 && Number.isFinite(options.suggestDifficulty))) {
      throw new Error('the suggested difficulty must be a positive number');
    }
    this.pools = options.pools.map((config, priority) => {
      if (!config.user) throw new Error(`pool ${config.url} needs a user`);
      return {
        priority,
        config,
        address: parsePoolUrl(config.url),
        redirect: null,
        state: 'idle',
        difficulty: null,
        extranonce1: null,
        extranonce2Size: null,
        versionMask: null,
        lastNotifyAtMs: null,
        sharesAccepted: 0,
        sharesRejected: 0,
        sharesStale: 0,
        acceptedDifficulty: 0,
        rejectReasons: {},
        responseTimeMs: null,
        payoutShare: null,
        payoutWarnLevel: 'none',
        lastCoinbaseChecked: null,
        message: null,
      };
    });
    this.policy = new FailoverPolicy(this.pools.length, this.timers, options.random);
  }

  async start(handlers: WorkSourceHandlers): Promise<void> {
    this.handlers = handlers;
    this.stopping = false;
    this.policy.begin(0, Date.now());
    this.connectActive();
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    const drainMs = this.options.stopDrainMs ?? 2_000;
    const deadline = Date.now() + drainMs;
    while (this.current && this.current.session.isOpen && this.current.inflight.size > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    this.stopping = true;
    for (const t of [this.reconnectTimer, this.silenceTimer, this.probeTimer, this.resubmitTimer]) if (t) clearTimeout(t);
    this.reconnectTimer = this.silenceTimer = this.probeTimer = this.resubmitTimer = null;
    this.endProbe('stopping');
    for (const s of [this.pendingActive, this.current]) {
      if (!s) continue;
      if (s.workTimer) clearTimeout(s.workTimer);
      s.workTimer = null;
      s.expectedClose = true;
    }
    if (this.pendingActive && this.pendingActive !== this.current) this.pendingActive.session.close('stopping');
    this.pendingActive = null;
    if (this.current) {
      const cur = this.current;
      cur.expectedClose = true;
      cur.session.close('stopping');
      for (const f of cur.inflight.values()) this.finishShare(cur.poolIndex, f.share, 'stale', 'no reply before stop', null);
      cur.inflight.clear();
    }
    for (const q of this.queue.splice(0)) this.finishShare(q.poolIndex, q.share, 'stale', 'not sent before stop', null);
    for (const p of this.pools) p.state = 'idle';
  }

  isTemplateLive(template: WorkTemplate): boolean {
    const rec = this.templates.get(template.key);
    if (!rec) return false;
    const cur = this.current;
    if (!cur) return false;
    // The current session's work, or the previous session's while we reconnect (shares are queued).
    return rec.sessionId === cur.id || (rec.poolIndex === this.activeIndex && !cur.gotWork);
  }

  submitShare(share: Share): void {
    const t = share.job.template;
    const key = shareKey(share);
    if (this.sentKeys.has(key)) {
      this.log('debug', `duplicate share ignored (job ${t.sourceJobId}, nonce ${hex8(share.nonce)})`);
      return;
    }
    this.rememberKey(key);
    const rec = this.templates.get(t.key);
    const poolIndex = rec?.poolIndex ?? this.poolIndexOf(t.sourceId);
    if (this.isBlockCandidate(share)) {
      this.log('error', `BLOCK CANDIDATE: hash ${hashToDisplayHex(share.hash)} meets the network target (job ${t.sourceJobId}, height ${t.height ?? 'unknown'}) — submitting to ${t.sourceId}`);
    }
    this.emitShare(poolIndex, share, 'pending', null, null);
    if (!rec || !this.isTemplateLive(t)) {
      this.finishShare(poolIndex, share, 'stale', 'job no longer live', null);
      return;
    }
    const cur = this.current!;
    if (rec.sessionId === cur.id && cur.session.isOpen) {
      this.send(cur, share, false);
    } else {
      this.enqueue({ share, queuedAtMs: Date.now(), poolIndex: rec.poolIndex });
    }
  }

  poolSnapshots(): PoolSnapshot[] {
    return this.pools.map((p) => ({
      url: p.config.url,
      user: p.config.user,
      priority: p.priority,
      state: p.state,
      active: p.priority === this.activeIndex && p.state === 'active',
      difficulty: p.difficulty,
      extranonce1: p.extranonce1,
      extranonce2Size: p.extranonce2Size,
      versionMask: p.versionMask === null ? null : hex8(p.versionMask),
      lastNotifyAtMs: p.lastNotifyAtMs,
      sharesAccepted: p.sharesAccepted,
      sharesRejected: p.sharesRejected,
      sharesStale: p.sharesStale,
      acceptedDifficulty: p.acceptedDifficulty,
      rejectReasons: { ...p.rejectReasons },
      responseTimeMs: p.responseTimeMs,
      payoutShare: p.payoutShare,
      message: p.message,
    }));
  }

  nodeSnapshot(): NodeSnapshot | null {
    return null;
  }

  /** Index of the pool in use (0 = primary). */
  get activePoolIndex(): number {
    return this.activeIndex;
  }

  // ---- connection management ------------------------------------------------------------------

  private sessionFor(poolIndex: number, listener: SessionListener): StratumSession {
    const p = this.pools[poolIndex]!;
    const suggest = p.config.suggestDifficulty ?? this.options.suggestDifficulty;
    const tlsOptions = p.config.tls ?? this.options.tls;
    return new StratumSession(
      {
        address: p.redirect ?? p.address,
        user: p.config.user,
        password: p.config.password ?? 'x',
        userAgent: this.options.userAgent,
        extranonceSubscribe: p.config.extranonceSubscribe ?? this.options.extranonceSubscribe ?? false,
        keepAliveMs: this.timers.keepAliveMs,
        connectTimeoutMs: this.timers.connectTimeoutMs,
        ...(suggest !== undefined ? { suggestDifficulty: suggest } : {}),
        ...(tlsOptions ? { tls: tlsOptions } : {}),
        ...(this.options.maxLineBytes ? { maxLineBytes: this.options.maxLineBytes } : {}),
      },
      listener,
    );
  }

  private connectActive(): void {
    if (this.stopping) return;
    this.reconnectTimer = null;
    const poolIndex = this.activeIndex;
    const id = this.nextSessionId++;
    const holder: { active: ActiveSession | null } = { active: null };
    const session = this.sessionFor(poolIndex, this.activeListener(() => holder.active!));
    const active: ActiveSession = { id, poolIndex, session, gotWork: false, inflight: new Map(), expectedClose: false, forceCleanNext: false, workTimer: null };
    holder.active = active;
    active.workTimer = setTimeout(() => {
      active.workTimer = null;
      if (!active.gotWork && active.session.isOpen && !this.stopping) {
        this.log('warn', `${this.pools[poolIndex]!.config.url}: no work within ${this.timers.connectTimeoutMs} ms of connecting`);
        active.session.close('no work from the pool');
      }
    }, this.timers.connectTimeoutMs);
    // Keep the previous (closed) session as `current` until this one delivers work, so that its
    // templates stay live and shares found meanwhile are queued (see isTemplateLive).
    if (!this.current || this.current.poolIndex !== poolIndex) this.current = active;
    this.pendingActive = active;
    this.setPoolState(poolIndex, 'connecting', (this.pools[poolIndex]!.redirect ?? this.pools[poolIndex]!.address).url);
    session.connect().then(
      () => {
        if (this.pendingActive === active && !this.stopping) this.setPoolState(poolIndex, 'subscribing', null);
      },
      (err: Error) => {
        if (this.pendingActive !== active || this.stopping) return;
        this.log('warn', `cannot connect to ${this.pools[poolIndex]!.config.url}: ${err.message}`);
        this.onActiveFailure(active, err.message);
      },
    );
  }

  private activeListener(get: () => ActiveSession): SessionListener {
    return {
      log: (level, text) => this.log(level, `${this.pools[get().poolIndex]!.config.url}: ${text}`),
      onData: () => this.onActiveData(get()),
      onSubscribed: () => {
        const a = get();
        const p = this.pools[a.poolIndex]!;
        p.extranonce1 = a.session.extranonce1!.toString('hex');
        p.extranonce2Size = a.session.extranonce2Size;
      },
      onAuthorized: (ok, reason) => {
        const a = get();
        if (ok) return;
        this.log('error', `pool ${this.pools[a.poolIndex]!.config.url} refused worker "${this.pools[a.poolIndex]!.config.user}": ${reason}`);
        a.session.close('authorization failed');
      },
      onVersionMask: (mask) => {
        this.pools[get().poolIndex]!.versionMask = mask;
      },
      onDifficulty: (d) => {
        this.pools[get().poolIndex]!.difficulty = d;
      },
      onNotify: (n) => this.onNotify(get(), n),
      onExtranonce: (en1, size) => {
        const a = get();
        const p = this.pools[a.poolIndex]!;
        p.extranonce1 = en1.toString('hex');
        p.extranonce2Size = size;
        if (this.current === a) {
          a.forceCleanNext = true;
          this.invalidateAll('pool set a new extranonce');
        }
      },
      onReconnectRequest: (req) => this.onReconnectRequest(get(), req),
      onShowMessage: (text) => {
        const p = this.pools[get().poolIndex]!;
        p.message = text;
        this.log('info', `message from ${p.config.url}: ${text}`);
      },
      onSubmitResult: (id, reject, latencyMs) => this.onSubmitResult(get(), id, reject, latencyMs),
      onClose: (reason) => this.onActiveClose(get(), reason),
    };
  }

  private onActiveData(a: ActiveSession): void {
    this.policy.recordData(a.poolIndex, Date.now());
    if (this.current !== a) return;
    if (this.silenceTimer) this.silenceTimer.refresh();
    else {
      this.silenceTimer = setTimeout(() => {
        this.silenceTimer = null;
        const cur = this.current;
        if (cur && cur.session.isOpen && !this.stopping) {
          this.log('warn', `${this.pools[cur.poolIndex]!.config.url}: no data for ${Math.round(this.timers.deadPoolMs / 1000)} s, dropping the connection`);
          cur.session.close('pool silent');
        }
      }, this.timers.deadPoolMs);
    }
  }

  private onNotify(a: ActiveSession, n: NotifyParams): void {
    if (this.stopping) return;
    const p = this.pools[a.poolIndex]!;
    p.lastNotifyAtMs = Date.now();
    let forceClean = false;
    if (!a.gotWork) {
      // First work from this session: it becomes the current one.
      a.gotWork = true;
      if (a.workTimer) clearTimeout(a.workTimer);
      a.workTimer = null;
      const previous = this.current;
      this.current = a;
      if (this.pendingActive === a) this.pendingActive = null;
      this.policy.recordSuccess(a.poolIndex, Date.now());
      p.redirect = null;
      this.setPoolState(a.poolIndex, 'active', `extranonce1 ${p.extranonce1}, extranonce2 ${p.extranonce2Size} bytes`);
      if (this.resubmitTimer) clearTimeout(this.resubmitTimer);
      this.resubmitTimer = null;
      this.onActiveData(a);
      this.flushQueue(a, n);
      if ((previous !== null && previous !== a) || this.templates.size > 0) this.invalidateAll(`new session on ${p.config.url}`);
      forceClean = true;
      this.scheduleProbe();
    }
    if (this.current !== a) return;
    if (a.forceCleanNext) {
      a.forceCleanNext = false;
      forceClean = true;
    }
    if (n.cleanJobs && !forceClean) this.invalidateAll('clean_jobs');
    const en1 = a.session.extranonce1;
    const en2Size = a.session.extranonce2Size;
    if (!en1 || en2Size === null) return;
    let template: WorkTemplate;
    try {
      template = notifyToTemplate(n, {
        sourceId: p.config.url,
        sessionId: a.id,
        sequence: this.templateSeq++,
        extranonce1: en1,
        extranonce2Size: en2Size,
        versionMask: a.session.versionMask,
        difficulty: a.session.difficulty ?? 1,
        forceClean,
        nowMs: Date.now(),
      });
    } catch (err) {
      this.log('warn', `${p.config.url}: dropped job ${n.jobId}: ${(err as Error).message}`);
      return;
    }
    if (forceClean) {
      // New session or extranonce: templates of earlier sessions are gone.
      for (const [k, r] of this.templates) if (r.sessionId !== a.id) this.templates.delete(k);
    }
    this.templates.set(template.key, { sessionId: a.id, poolIndex: a.poolIndex, jobId: n.jobId });
    while (this.templates.size > MAX_LIVE_TEMPLATES) this.templates.delete(this.templates.keys().next().value!);
    this.handlers?.onTemplate(template);
    // After the job bytes are on their way (the transport writes in a microtask): decoding the
    // coinbase costs ~1 ms (bench/stratum.bench.ts) and must not delay new work reaching the chips.
    setImmediate(() => this.checkPayout(p, template));
  }

  private onActiveClose(a: ActiveSession, reason: string): void {
    if (a.workTimer) clearTimeout(a.workTimer);
    a.workTimer = null;
    if (this.silenceTimer && this.current === a) {
      clearTimeout(this.silenceTimer);
      this.silenceTimer = null;
    }
    // Shares without a reply may never have reached the pool: keep them for the next session.
    for (const f of a.inflight.values()) this.enqueue({ share: f.share, queuedAtMs: Date.now(), poolIndex: a.poolIndex });
    a.inflight.clear();
    if (this.stopping || a.expectedClose) return;
    if (this.current !== a && this.pendingActive !== a) return;
    this.log('warn', `${this.pools[a.poolIndex]!.config.url}: disconnected (${reason})`);
    this.onActiveFailure(a, reason);
  }

  private onActiveFailure(a: ActiveSession, reason: string): void {
    if (this.stopping) return;
    if (this.pendingActive === a) this.pendingActive = null;
    const decision = this.policy.recordFailure(a.poolIndex, Date.now());
    const p = this.pools[a.poolIndex]!;
    p.redirect = null;
    if (decision.action === 'switch') {
      this.setPoolState(a.poolIndex, 'dead', reason);
      this.log('warn', `failing over from ${p.config.url} to ${this.pools[decision.index]!.config.url}`);
      this.switchTo(decision.index, `failover to ${this.pools[decision.index]!.config.url}`);
      this.scheduleReconnect(decision.delayMs);
    } else {
      this.setPoolState(a.poolIndex, 'backoff', `${reason}; retry in ${Math.round(decision.delayMs)} ms`);
      this.armResubmitWindow();
      this.scheduleReconnect(decision.delayMs);
    }
  }

  /** Leave the current pool: its work and queued shares are void. */
  private switchTo(index: number, reason: string): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    this.activeIndex = index;
    this.current = null;
    this.invalidateAll(reason);
    for (const q of this.queue.splice(0)) this.finishShare(q.poolIndex, q.share, 'stale', 'pool switched before the share could be sent', null);
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
      for (const q of this.queue.splice(0)) this.finishShare(q.poolIndex, q.share, 'stale', 'pool unreachable', null);
    }, this.timers.resubmitWindowMs);
  }

  private onReconnectRequest(a: ActiveSession, req: { host: string | null; port: number | null; waitS: number }): void {
    if (this.current !== a) return;
    const p = this.pools[a.poolIndex]!;
    const base = p.redirect ?? p.address;
    let target = base;
    if (req.host !== null && req.host !== base.host) {
      if (sameDomain(req.host, base.host)) target = { ...base, host: req.host };
      else this.log('warn', `${p.config.url}: ignoring reconnect to another domain (${req.host})`);
    }
    if (req.port !== null) target = { ...target, port: req.port };
    target = { ...target, url: `${base.tls ? 'stratum+ssl' : 'stratum+tcp'}://${target.host}:${target.port}` };
    p.redirect = target === p.address ? null : target;
    const waitMs = Math.min(req.waitS, 600) * 1000;
    this.log('info', `${p.config.url}: pool asked to reconnect${p.redirect ? ` to ${target.host}:${target.port}` : ''}${waitMs ? ` in ${req.waitS} s` : ''}`);
    this.invalidateAll('pool asked to reconnect');
    a.expectedClose = true;
    a.session.close('reconnect requested');
    this.setPoolState(a.poolIndex, 'connecting', 'reconnect requested');
    this.scheduleReconnect(waitMs);
  }

  // ---- primary probing ------------------------------------------------------------------------

  private scheduleProbe(): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    if (this.activeIndex === 0 || this.stopping) return;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = null;
      this.runProbe(0);
    }, this.timers.primaryProbeMs);
  }

  /** Probe pool `index`; on failure try the next higher-priority one, then wait for the next round. */
  private runProbe(index: number): void {
    if (this.stopping || index >= this.activeIndex) {
      this.scheduleProbe();
      return;
    }
    const p = this.pools[index]!;
    p.state = 'probing';
    let passed = false;
    const fail = (why: string) => {
      if (passed || !this.probe || this.probe.poolIndex !== index) return;
      this.log('debug', `probe of ${p.config.url} failed: ${why}`);
      this.endProbe(why);
      p.state = 'dead';
      this.runProbe(index + 1);
    };
    const session = this.sessionFor(index, {
      log: (level, text) => this.log(level === 'error' ? 'warn' : 'debug', `probe ${p.config.url}: ${text}`),
      onAuthorized: (ok, reason) => {
        if (!ok) fail(`authorization refused: ${reason}`);
      },
      onNotify: () => {
        if (passed) return;
        passed = true;
        this.promoteProbe(index);
      },
      onClose: (reason) => fail(reason),
    });
    const timer = setTimeout(() => fail('no work within the probe time'), this.timers.probeTimeoutMs);
    this.probe = { session, poolIndex: index, timer };
    session.connect().catch((err: Error) => fail(err.message));
  }

  private endProbe(reason: string): void {
    if (!this.probe) return;
    clearTimeout(this.probe.timer);
    const s = this.probe.session;
    this.probe = null;
    s.setListener({ log: () => {} });
    s.close(reason);
  }

  /** The probed pool answered and sent work: make its session the active one. */
  private promoteProbe(index: number): void {
    const probe = this.probe;
    if (!probe || probe.poolIndex !== index) return;
    clearTimeout(probe.timer);
    this.probe = null;
    const old = this.current;
    if (old) {
      old.expectedClose = true;
      for (const f of old.inflight.values()) this.finishShare(old.poolIndex, f.share, 'stale', 'pool switched before a reply', null);
      old.inflight.clear();
      old.session.close('switching back to a higher-priority pool');
      this.setPoolState(old.poolIndex, 'idle', 'standby');
    }
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.pendingActive = null;
    this.log('info', `switching back to ${this.pools[index]!.config.url}`);
    this.switchTo(index, `switching back to ${this.pools[index]!.config.url}`);
    this.policy.begin(index, Date.now());
    const holder: { active: ActiveSession | null } = { active: null };
    const active: ActiveSession = {
      id: this.nextSessionId++,
      poolIndex: index,
      session: probe.session,
      gotWork: false,
      inflight: new Map(),
      expectedClose: false,
      forceCleanNext: false,
      workTimer: null,
    };
    holder.active = active;
    const listener = this.activeListener(() => holder.active!);
    probe.session.setListener(listener);
    const s = probe.session;
    const p = this.pools[index]!;
    p.extranonce1 = s.extranonce1?.toString('hex') ?? null;
    p.extranonce2Size = s.extranonce2Size;
    p.versionMask = s.versionMask;
    p.difficulty = s.difficulty;
    if (s.lastNotify) this.onNotify(active, s.lastNotify);
  }

  // ---- shares ---------------------------------------------------------------------------------

  private send(a: ActiveSession, share: Share, resubmitted: boolean): void {
    const p = this.pools[a.poolIndex]!;
    const built = submitParams(p.config.user, share, a.session.versionRollingGranted);
    if (!built.ok) {
      this.log('warn', `share not submitted: ${built.error}`);
      this.finishShare(a.poolIndex, share, 'rejected', `local: ${built.error}`, null);
      return;
    }
    const now = Date.now();
    // A pool that never answers must not grow memory: give up on replies after SUBMIT_REPLY_MS.
    for (const [oldId, f] of a.inflight) {
      if (now - f.sentAtMs < SUBMIT_REPLY_MS) break;
      a.inflight.delete(oldId);
      this.finishShare(a.poolIndex, f.share, 'rejected', 'no reply from pool', null);
    }
    const id = a.session.submit(built.params);
    a.inflight.set(id, { share, sentAtMs: now, resubmitted });
  }

  private onSubmitResult(a: ActiveSession, id: number, reject: RejectReason | null, latencyMs: number): void {
    const f = a.inflight.get(id);
    if (!f) return;
    a.inflight.delete(id);
    const p = this.pools[a.poolIndex]!;
    p.responseTimeMs = Math.round(latencyMs * 10) / 10;
    if (reject === null) {
      this.finishShare(a.poolIndex, f.share, 'accepted', null, latencyMs);
    } else if (isStaleReject(reject.code, reject.reason) || (f.resubmitted && /duplicate/i.test(reject.reason))) {
      this.finishShare(a.poolIndex, f.share, 'stale', reject.reason, latencyMs);
    } else {
      this.finishShare(a.poolIndex, f.share, 'rejected', reject.reason, latencyMs);
    }
  }

  private finishShare(poolIndex: number, share: Share, result: 'accepted' | 'rejected' | 'stale', reason: string | null, responseMs: number | null): void {
    const p = this.pools[poolIndex];
    if (p) {
      if (result === 'accepted') {
        p.sharesAccepted++;
        p.acceptedDifficulty += share.job.template.shareDifficulty;
      } else if (result === 'stale') p.sharesStale++;
      else {
        p.sharesRejected++;
        const r = reason ?? 'unknown';
        p.rejectReasons[r] = (p.rejectReasons[r] ?? 0) + 1;
      }
    }
    this.emitShare(poolIndex, share, result, reason, responseMs);
    if (this.isBlockCandidate(share)) {
      const accepted = result === 'accepted';
      this.log('error', `BLOCK CANDIDATE ${hashToDisplayHex(share.hash)} ${accepted ? 'ACCEPTED by the pool' : `NOT accepted: ${result} (${reason ?? ''})`}`);
      const ev: EngineEvent = {
        type: 'block',
        atMs: Date.now(),
        boardId: share.boardId,
        height: share.job.template.height ?? null,
        hash: hashToDisplayHex(share.hash),
        result: accepted ? 'accepted' : `${result}: ${reason ?? ''}`,
        accepted,
        source: share.job.template.sourceId,
      };
      this.options.bus.emit(ev);
    }
  }

  private emitShare(poolIndex: number, share: Share, result: 'accepted' | 'rejected' | 'stale' | 'pending', reason: string | null, responseMs: number | null): void {
    this.options.bus.emit({
      type: 'share',
      atMs: Date.now(),
      boardId: share.boardId,
      pool: this.pools[poolIndex]?.config.url ?? share.job.template.sourceId,
      difficulty: share.difficulty,
      targetDifficulty: share.job.template.shareDifficulty,
      result,
      reason,
      responseMs: responseMs === null ? null : Math.round(responseMs * 10) / 10,
    });
  }

  private isBlockCandidate(share: Share): boolean {
    // Exact integer comparison, never a float difficulty (§1.7).
    return share.isBlockCandidate || hashMeetsTarget(share.hash, share.job.template.networkTarget);
  }

  private enqueue(q: QueuedShare): void {
    this.queue.push(q);
    while (this.queue.length > MAX_QUEUED_SHARES) {
      const old = this.queue.shift()!;
      this.finishShare(old.poolIndex, old.share, 'stale', 'resubmit queue full', null);
    }
    this.armResubmitWindow();
  }

  /** First work on a new session: resubmit queued shares it can still take (same extranonce1, same block). */
  private flushQueue(a: ActiveSession, first: NotifyParams): void {
    const now = Date.now();
    const en1 = a.session.extranonce1;
    for (const q of this.queue.splice(0)) {
      const t = q.share.job.template;
      const sameSession = en1 !== null && t.extranonce1.equals(en1);
      const sameBlock = headerPrevHashToStratum(t.prevHash) === first.prevHashHex;
      if (q.poolIndex === a.poolIndex && sameSession && sameBlock && now - q.queuedAtMs <= this.timers.resubmitWindowMs) {
        this.log('info', `resubmitting a share found while reconnecting (job ${t.sourceJobId})`);
        this.send(a, q.share, true);
      } else {
        const why = !sameSession ? 'new session has a different extranonce1' : !sameBlock ? 'the block changed while reconnecting' : 'too old to resubmit';
        this.finishShare(q.poolIndex, q.share, 'stale', why, null);
      }
    }
  }

  private invalidateAll(reason: string): void {
    // Templates stay recorded only if they belong to a session that still delivers work.
    this.templates.clear();
    this.sentKeys.clear();
    this.handlers?.onInvalidateAll(reason);
  }

  private rememberKey(key: string): void {
    this.sentKeys.add(key);
    if (this.sentKeys.size > MAX_DEDUP_KEYS) this.sentKeys.delete(this.sentKeys.values().next().value!);
  }

  // ---- payout check ---------------------------------------------------------------------------

  private checkPayout(p: PoolRuntime, t: WorkTemplate): void {
    const sig = t.coinb1.toString('hex') + '|' + t.coinb2.toString('hex') + '|' + t.extranonce2Size;
    if (sig === p.lastCoinbaseChecked) return;
    p.lastCoinbaseChecked = sig;
    let share: number | null;
    try {
      share = checkPayout(t, p.config.user).payoutShare;
    } catch (err) {
      this.log('warn', `${p.config.url}: cannot check the payout: ${(err as Error).message}`);
      return;
    }
    p.payoutShare = share;
    if (share === null) return;
    const level: PoolRuntime['payoutWarnLevel'] = share < 0.5 ? 'warn' : share < 1 ? 'info' : 'none';
    if (level === p.payoutWarnLevel) return;
    p.payoutWarnLevel = level;
    if (level === 'none') return;
    const pct = (share * 100).toFixed(share < 0.01 ? 2 : 1);
    const text =
      level === 'warn'
        ? `Pool ${p.config.url} pays only ${pct} % of the block reward to your address ${p.config.user.split('.')[0]} — check the pool and your username`
        : `Pool ${p.config.url} pays ${pct} % of the block reward to your address (the rest goes elsewhere, e.g. a pool fee)`;
    this.log(level === 'warn' ? 'warn' : 'info', text);
    this.options.bus.emit({ type: 'warning', atMs: Date.now(), warning: { id: `payout:${p.config.url}`, level, text, atMs: Date.now(), boardId: null } });
  }

  // ---- helpers --------------------------------------------------------------------------------

  private setPoolState(index: number, state: PoolState, detail: string | null): void {
    const p = this.pools[index]!;
    if (p.state === state && state !== 'backoff') return;
    p.state = state;
    this.options.bus.emit({ type: 'pool', atMs: Date.now(), url: p.config.url, state, detail });
  }

  private poolIndexOf(url: string): number {
    const i = this.pools.findIndex((p) => p.config.url === url);
    return i === -1 ? this.activeIndex : i;
  }
}
