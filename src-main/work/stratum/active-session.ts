/**
 * A session the Stratum source mines on (a probe becomes one when it is promoted): the
 * StratumSession, the flags the source keeps about it, its two watchdogs (no work within
 * connectTimeoutMs of connecting; once working, no data for deadPoolMs, §2: either closes it as a
 * failure), its proof of health (an accepted share, or healthyAfterMs of work), and the listener that keeps the pool's entry up to date (extranonce, version mask,
 * difficulty, messages, a refused worker) and hands the rest to the source. Shares are sent here
 * and recorded in the share book.
 */
import { plainText } from '@shared/plain-text.js';
import { networkDifficulty } from '../../bitcoin/target.js';
import type { Share } from '../job.js';
import type { StratumTimers } from './failover.js';
import type { NotifyParams } from './messages.js';
import type { PoolEntry } from './pool-list.js';
import type { SessionLogLevel, StratumSession } from './session.js';
import type { ShareBook } from './share-book.js';
import { submitParams } from './submit-params.js';
import type { WorkerNames } from './worker-name.js';
import type { TemplateContext } from './template.js';
import type { TemplateOrigin } from './live-templates.js';

/** What the source handles itself. */
export interface ActiveSessionEvents {
  onData(a: ActiveSession): void;
  onNotify(a: ActiveSession, notify: NotifyParams): void;
  /** The pool set a new extranonce (already stored in the pool entry). */
  onExtranonce(a: ActiveSession): void;
  onReconnectRequest(a: ActiveSession, request: { host: string | null; port: number | null; waitS: number }): void;
  onClose(a: ActiveSession, reason: string): void;
  /** The session proved healthy (once): the failure count may be reset. */
  onHealthy(a: ActiveSession): void;
}

export interface ActiveSessionContext {
  pool: PoolEntry;
  book: ShareBook;
  log: (level: SessionLogLevel, text: string) => void;
  events: ActiveSessionEvents;
  timers: Pick<StratumTimers, 'connectTimeoutMs' | 'deadPoolMs' | 'healthyAfterMs'>;
  /** Per-board worker names (absent: every share goes as the pool user). */
  workers?: WorkerNames;
}

export class ActiveSession {
  /** Has delivered work: it is (or was) the source's current session. */
  gotWork = false;
  /** Closed on purpose (reconnect request, switch, stop): no failure is counted. */
  expectedClose = false;
  /** The next template must be marked clean (new extranonce). */
  forceCleanNext = false;
  /** Proved healthy (an accepted share or healthyAfterMs of work). */
  healthy = false;
  private workTimer: NodeJS.Timeout | null = null;
  private silenceTimer: NodeJS.Timeout | null = null;
  private healthTimer: NodeJS.Timeout | null = null;
  /** The last difficulty warned about as absurd (said once per value). */
  private warnedDifficulty: number | null = null;

  /** What a template from this session is made with; null before the subscribe reply. */
  templateContext(nowMs: number, forceClean: boolean): (Omit<TemplateContext, 'sequence'> & TemplateOrigin) | null {
    const { extranonce1, extranonce2Size, versionMask, difficulty } = this.session;
    if (!extranonce1 || extranonce2Size === null) return null;
    return { sourceId: this.ctx.pool.config.url, sessionId: this.id, poolIndex: this.poolIndex, extranonce1, extranonce2Size, versionMask, difficulty: difficulty ?? 1, forceClean, nowMs };
  }

  constructor(
    readonly id: number,
    readonly poolIndex: number,
    readonly session: StratumSession,
    private readonly ctx: ActiveSessionContext,
  ) {
    const { pool: p, book, log, events } = ctx;
    session.setListener({
      log: (level, text) => log(level, `${p.config.url}: ${text}`),
      onData: () => {
        this.silenceTimer?.refresh();
        events.onData(this);
      },
      onSubscribed: () => {
        p.extranonce1 = session.extranonce1!.toString('hex');
        p.extranonce2Size = session.extranonce2Size;
      },
      onAuthorized: (ok, reason) => {
        if (ok) return;
        log('error', `pool ${p.config.url} refused worker "${p.config.user}": ${reason}`);
        session.close('authorization failed');
      },
      onWorkerAuthorized: (worker, ok, reason) => {
        if (ok) log('info', `pool ${p.config.url} authorized worker "${worker}"`);
        else log('error', `pool ${p.config.url} refused worker "${worker}": ${reason}; its shares will be rejected`);
      },
      onVersionMask: (mask) => void (p.versionMask = mask),
      onDifficulty: (d) => {
        p.difficulty = d;
        this.checkDifficulty(session.lastNotify?.nbitsHex ?? null);
      },
      onNotify: (n) => {
        this.checkDifficulty(n.nbitsHex);
        events.onNotify(this, n);
      },
      onExtranonce: (en1, size) => {
        p.extranonce1 = en1.toString('hex');
        p.extranonce2Size = size;
        events.onExtranonce(this);
      },
      onReconnectRequest: (req) => events.onReconnectRequest(this, req),
      onShowMessage: (text) => {
        // Shown on the pool panel and in the cgminer API as well as in the log: plain text only.
        p.message = plainText(text);
        log('info', `message from ${p.config.url}: ${text}`);
      },
      onSubmitResult: (id, reject, latencyMs) => {
        book.reply(this.id, id, reject, latencyMs);
        if (reject === null) this.proveHealthy();
      },
      onClose: (reason) => {
        this.stopWatching();
        events.onClose(this, reason);
      },
    });
  }

  /**
   * A new connection must deliver work within connectTimeoutMs, or it is dropped; a pool that says
   * nothing at all is silent, so a shorter dead-pool timeout applies to it too.
   */
  expectWork(): void {
    const { pool, log, timers } = this.ctx;
    const withinMs = Math.min(timers.connectTimeoutMs, timers.deadPoolMs);
    this.workTimer = setTimeout(() => {
      this.workTimer = null;
      if (this.gotWork || !this.session.isOpen) return;
      log('warn', `${pool.config.url}: no work within ${withinMs} ms of connecting`);
      this.session.close('no work from the pool');
    }, withinMs);
  }

  /** First work: the session is in use, and from now on a silent pool is dropped. */
  markWorking(): void {
    const { pool, log, timers } = this.ctx;
    this.gotWork = true;
    if (this.workTimer) clearTimeout(this.workTimer);
    this.workTimer = null;
    this.silenceTimer ??= setTimeout(() => {
      this.silenceTimer = null;
      if (!this.session.isOpen) return;
      log('warn', `${pool.config.url}: no data for ${Math.round(timers.deadPoolMs / 1000)} s, dropping the connection`);
      this.session.close('pool silent');
    }, timers.deadPoolMs);
    this.healthTimer ??= setTimeout(() => {
      this.healthTimer = null;
      if (this.session.isOpen) this.proveHealthy();
    }, timers.healthyAfterMs);
  }

  /** Close on purpose (reconnect request, switch, stop): no failure is counted. */
  closeOnPurpose(reason: string): void {
    this.expectedClose = true;
    this.stopWatching();
    this.session.close(reason);
  }

  /** Submit a share; one the pool cannot take as built is rejected locally. */
  send(share: Share, resubmitted: boolean): void {
    const { pool, book, log, workers } = this.ctx;
    const user = workers ? workers.userFor(pool.config.user, share.boardId) : pool.config.user;
    const built = submitParams(user, share, this.session.versionRollingGranted);
    if (!built.ok) {
      log('warn', `share not submitted: ${built.error}`);
      book.finish(this.poolIndex, share, 'rejected', `local: ${built.error}`, null);
      return;
    }
    // A worker name is authorized on this connection before its first share (pools process in order).
    this.session.authorizeWorker(user);
    book.sent(this.id, this.session.submit(built.params), this.poolIndex, share, resubmitted);
  }

  /**
   * A share difficulty above the network's (1e308 from a broken or hostile pool) means no share can
   * be sent: kept as the pool asked (its jobs say so), and said once per value.
   */
  private checkDifficulty(nbitsHex: string | null): void {
    const d = this.session.difficulty;
    if (d === null || nbitsHex === null || d === this.warnedDifficulty) return;
    const network = networkDifficulty(parseInt(nbitsHex, 16) >>> 0);
    if (!(d > network)) return;
    this.warnedDifficulty = d;
    this.ctx.log(
      'warn',
      `${this.ctx.pool.config.url}: the pool set share difficulty ${d.toPrecision(4)}, above the network difficulty ${network.toPrecision(4)}: no share can meet it until the pool lowers it`,
    );
  }

  private proveHealthy(): void {
    if (this.healthy || !this.session.isOpen) return;
    this.healthy = true;
    if (this.healthTimer) clearTimeout(this.healthTimer);
    this.healthTimer = null;
    this.ctx.events.onHealthy(this);
  }

  private stopWatching(): void {
    for (const t of [this.workTimer, this.silenceTimer, this.healthTimer]) if (t) clearTimeout(t);
    this.workTimer = this.silenceTimer = this.healthTimer = null;
  }
}
