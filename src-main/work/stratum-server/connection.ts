/**
 * One network miner's connection to the Stratum server: its protocol state (configure, subscribe,
 * authorize, suggest_difficulty, extranonce.subscribe, submit, ping; docs/stratum-and-gbt.md §8.2),
 * its vardiff, the jobs it was sent (with the difficulty in force for each), its duplicate filter,
 * and its limits: a bounded line length, a message rate (reading pauses while the bucket is
 * empty), a cap on malformed lines, and a write buffer a miner must drain. What is shared between
 * connections (work, extranonce slots, payouts, statistics, the work source) is the host's.
 */
import type net from 'node:net';
import type { LogLevel } from '@shared/log-level.js';
import { difficultyToTarget } from '../../bitcoin/target.js';
import { LineReader } from '../stratum/line-reader.js';
import { hex8 } from '../stratum/submit-params.js';
import type { ServerJob } from './jobs.js';
import { TokenBucket } from './rate-limit.js';
import { errorLine, notificationLine, resultLine, STRATUM_ERROR, type RequestId, type StratumRejection } from './replies.js';
import { parseMinerLine, type MinerMessage } from './requests.js';
import { checkShare, type ShareCheck } from './share-check.js';
import { Vardiff } from './vardiff.js';

export interface ConnectionLimits {
  /** Longest line accepted from a miner (a submit is ~200 bytes). */
  maxLineBytes: number;
  /** Messages at once, and per second sustained. */
  burst: number;
  perSecond: number;
  /** Lines waiting while the rate bucket refills; beyond this the miner is flooding and is dropped. */
  maxQueuedLines: number;
  /** Malformed or oversized lines (each valid message takes one back) before the connection is closed. */
  maxBadLines: number;
  /** Jobs a miner may still submit to (cleared on clean_jobs). */
  maxJobs: number;
  /** Share hashes remembered for the duplicate check (cleared on clean_jobs). */
  maxDedup: number;
  /** Bytes we may have queued for a miner that does not read. */
  maxWriteBufferBytes: number;
  /** Until subscribed and authorised (ms). */
  handshakeTimeoutMs: number;
  /** Without any message from the miner (ms). */
  idleTimeoutMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxLineBytes: 8 * 1024,
  burst: 50,
  perSecond: 10,
  maxQueuedLines: 500,
  maxBadLines: 20,
  maxJobs: 32,
  maxDedup: 4096,
  maxWriteBufferBytes: 1024 * 1024,
  handshakeTimeoutMs: 30_000,
  idleTimeoutMs: 10 * 60_000,
};

/** What a subscribe is granted. */
export interface SubscribeGrant {
  slot: number;
  slotPrefix: Buffer;
  extranonce1: Buffer;
  extranonce2Size: number;
}

/** Who a worker's blocks pay: the engine's payout (key 'default') or the address in its name. */
export interface PayoutGrant {
  key: string;
  address: string | null;
}

/** A share the connection accepted: the check's verdict with what the host needs to credit and forward it. */
export interface AcceptedShare {
  worker: string;
  job: ServerJob;
  /** The difficulty it was judged at (what it is credited). */
  creditedDifficulty: number;
  check: Extract<ShareCheck, { ok: true }>;
  ntime: number;
  nonce: number;
  atMs: number;
}

export interface ConnectionHost {
  readonly limits: ConnectionLimits;
  now(): number;
  log(level: LogLevel, text: string): void;
  subscribe(conn: MinerConnection): SubscribeGrant | StratumRejection;
  authorize(conn: MinerConnection, user: string): PayoutGrant | StratumRejection;
  /** The version bits the server may grant now (the source's mask ∧ 1fffe000). */
  versionMaskLimit(): number;
  /** The job this connection should hash now, or null when there is no work. */
  currentJob(conn: MinerConnection): ServerJob | null;
  /** The same template under a new job id (after a difficulty change). */
  reissue(job: ServerJob): ServerJob;
  isLive(job: ServerJob): boolean;
  /** The highest difficulty worth asking now (null: none). */
  difficultyCap(): number | null;
  /** Subscribed and authorised: the miner gets work and counts as a network miner. */
  ready(conn: MinerConnection): void;
  accepted(conn: MinerConnection, share: AcceptedShare): void;
  rejected(conn: MinerConnection, worker: string | null, rejection: StratumRejection, difficulty: number | null): void;
  difficultyChanged(conn: MinerConnection): void;
  closed(conn: MinerConnection, reason: string): void;
}

interface SentJob {
  job: ServerJob;
  difficulty: number;
}

export class MinerConnection {
  readonly connectedAtMs: number;
  lastMessageAtMs: number;
  userAgent: string | null = null;
  grant: SubscribeGrant | null = null;
  payout: PayoutGrant | null = null;
  /** Authorised worker names (the first one names the miner). */
  readonly workers: string[] = [];
  extranonceSubscribed = false;
  /** BIP310: the mask the miner asked for and the one granted (0: not negotiated). */
  requestedMask = 0;
  versionMask = 0;
  closedReason: string | null = null;

  private readonly vardiff: Vardiff;
  private readonly reader: LineReader;
  private readonly bucket: TokenBucket;
  private readonly queue: string[] = [];
  private readonly jobs = new Map<string, SentJob>();
  private readonly seen = new Set<string>();
  private readonly targets = new Map<number, bigint>();
  private badLines = 0;
  private working = false;
  private finished = false;
  private drainTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly id: number,
    private readonly socket: net.Socket,
    private readonly host: ConnectionHost,
    difficulty: { floor: number; start: number },
  ) {
    const now = host.now();
    this.connectedAtMs = now;
    this.lastMessageAtMs = now;
    this.vardiff = new Vardiff({ floor: difficulty.floor, start: difficulty.start, atMs: now });
    this.bucket = new TokenBucket(host.limits.burst, host.limits.perSecond, now);
    this.reader = new LineReader({
      maxLineBytes: host.limits.maxLineBytes,
      onLine: (line) => this.enqueue(line),
      onOversize: (bytes) => {
        this.strike(`a line of ${bytes} bytes (limit ${host.limits.maxLineBytes})`);
        this.write(errorLine(null, { code: STRATUM_ERROR.other, message: 'Line too long' }));
      },
    });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    socket.on('data', (chunk: Buffer) => this.reader.push(chunk));
    // A miner that ends its side still gets its last line judged (a share sent just before leaving).
    socket.on('end', () => {
      this.reader.push(Buffer.from('\n'));
      this.drain();
      socket.end();
    });
    socket.on('error', () => this.finish('socket error'));
    socket.on('close', () => this.finish('disconnected'));
  }

  get remoteAddress(): string {
    return this.socket.remoteAddress ?? 'unknown';
  }

  get worker(): string | null {
    return this.workers[0] ?? null;
  }

  get difficulty(): number {
    return this.vardiff.difficulty;
  }

  get isWorking(): boolean {
    return this.working;
  }

  get isOpen(): boolean {
    return this.closedReason === null;
  }

  /** New work. Clean: every earlier job is void and the duplicate filter starts afresh. */
  sendJob(job: ServerJob, cleanJobs: boolean): void {
    if (!this.working) return;
    if (cleanJobs) {
      this.jobs.clear();
      this.seen.clear();
    }
    this.jobs.set(job.id, { job, difficulty: this.vardiff.difficulty });
    while (this.jobs.size > this.host.limits.maxJobs) this.jobs.delete(this.jobs.keys().next().value!);
    this.write(job.notifyLine(cleanJobs));
  }

  /** Every job is void (the source invalidated its work); nothing to hash until the next template. */
  forgetJobs(): void {
    this.jobs.clear();
    this.seen.clear();
  }

  /** The cap moved (new template): a difficulty above it is lowered, and the miner told. */
  applyCap(cap: number | null): void {
    if (this.vardiff.setCap(cap, this.host.now()) !== null) this.announceDifficulty(false);
  }

  /** The source's version mask changed: narrow (or widen) what this miner may roll. */
  applyVersionMaskLimit(limit: number): void {
    if (this.versionMask === 0) return;
    const next = (this.requestedMask & limit) >>> 0;
    if (next === this.versionMask || next === 0) return;
    this.versionMask = next;
    this.write(notificationLine('mining.set_version_mask', [hex8(next)]));
  }

  /** A new extranonce (the pool session behind us changed): only for miners that subscribed to it. */
  setExtranonce(grant: SubscribeGrant): void {
    this.grant = grant;
    this.forgetJobs();
    this.write(notificationLine('mining.set_extranonce', [grant.extranonce1.toString('hex'), grant.extranonce2Size]));
  }

  /** Periodic check: vardiff on silence, handshake and idle time-outs. */
  tick(nowMs: number): void {
    if (!this.isOpen) return;
    const limits = this.host.limits;
    if (!this.working && nowMs - this.connectedAtMs > limits.handshakeTimeoutMs) return this.close(`not subscribed and authorised within ${Math.round(limits.handshakeTimeoutMs / 1000)} s`);
    if (nowMs - this.lastMessageAtMs > limits.idleTimeoutMs) return this.close(`idle for ${Math.round(limits.idleTimeoutMs / 1000)} s`);
    if (this.working && this.vardiff.tick(nowMs) !== null) this.announceDifficulty(true);
  }

  close(reason: string): void {
    if (!this.isOpen) return;
    this.closedReason = reason;
    this.socket.destroy();
    this.finish(reason);
  }

  // ---- input ----

  private enqueue(line: string): void {
    if (!this.isOpen) return;
    this.queue.push(line);
    if (this.queue.length > this.host.limits.maxQueuedLines) return this.close(`flooding: more than ${this.host.limits.maxQueuedLines} messages waiting`);
    this.drain();
  }

  /** Handle queued lines while the rate allows; otherwise stop reading until it does. */
  private drain(): void {
    while (this.queue.length > 0 && this.isOpen) {
      const now = this.host.now();
      if (!this.bucket.take(now)) {
        this.socket.pause();
        if (!this.drainTimer) {
          this.drainTimer = setTimeout(() => {
            this.drainTimer = null;
            if (!this.isOpen) return;
            this.socket.resume();
            this.drain();
          }, this.bucket.waitMs(now));
        }
        return;
      }
      this.handle(parseMinerLine(this.queue.shift()!));
    }
  }

  private handle(m: MinerMessage): void {
    this.lastMessageAtMs = this.host.now();
    if (m.kind === 'malformed') {
      this.strike(m.error);
      if (m.id !== null) this.fail(m.id, { code: STRATUM_ERROR.other, message: `Malformed request: ${m.error}` });
      return;
    }
    this.badLines = Math.max(0, this.badLines - 1);
    switch (m.kind) {
      case 'configure':
        return this.onConfigure(m);
      case 'subscribe':
        return this.onSubscribe(m.id, m.userAgent);
      case 'authorize':
        return this.onAuthorize(m.id, m.user);
      case 'suggest_difficulty':
        this.reply(m.id, true);
        if (this.vardiff.suggest(m.difficulty, this.host.now()) !== null) this.announceDifficulty(true);
        return;
      case 'extranonce_subscribe':
        this.extranonceSubscribed = true;
        return this.reply(m.id, true);
      case 'submit':
        return this.onSubmit(m);
      case 'ping':
        return this.reply(m.id, 'pong');
      case 'response':
        return;
      case 'unknown':
        if (m.id !== null) this.fail(m.id, { code: STRATUM_ERROR.other, message: `Unknown method ${m.method}` });
        return;
    }
  }

  private onConfigure(m: Extract<MinerMessage, { kind: 'configure' }>): void {
    const result: Record<string, unknown> = {};
    for (const ext of m.extensions) {
      if (ext === 'version-rolling') {
        const asked = m.params['version-rolling.mask'];
        this.requestedMask = typeof asked === 'string' && /^[0-9a-fA-F]{1,8}$/.test(asked) ? parseInt(asked, 16) >>> 0 : 0xffffffff;
        // BIP310: grant what was asked for within what we allow.
        this.versionMask = (this.requestedMask & this.host.versionMaskLimit()) >>> 0;
        result['version-rolling'] = this.versionMask !== 0;
        if (this.versionMask !== 0) result['version-rolling.mask'] = hex8(this.versionMask);
      } else if (ext === 'minimum-difficulty') {
        const value = Number(m.params['minimum-difficulty.value']);
        const ok = value > 0 && Number.isFinite(value);
        result['minimum-difficulty'] = ok;
        if (ok && this.vardiff.suggest(value, this.host.now()) !== null) this.announceDifficulty(true);
      } else if (ext === 'subscribe-extranonce') {
        this.extranonceSubscribed = true;
        result['subscribe-extranonce'] = true;
      } else if (ext === 'info') {
        result['info'] = true;
      } else {
        result[ext.slice(0, 64)] = false;
      }
    }
    this.reply(m.id, result);
  }

  private onSubscribe(id: RequestId, userAgent: string | null): void {
    if (!this.grant) {
      const grant = this.host.subscribe(this);
      if ('code' in grant) {
        this.fail(id, grant);
        return this.close(`subscribe refused: ${grant.message}`);
      }
      this.grant = grant;
      this.userAgent = userAgent;
    }
    const sub = this.grant.extranonce1.toString('hex');
    this.reply(id, [
      [
        ['mining.set_difficulty', sub],
        ['mining.notify', sub],
      ],
      sub,
      this.grant.extranonce2Size,
    ]);
    this.startWorkIfReady();
  }

  private onAuthorize(id: RequestId, user: string): void {
    if (this.workers.includes(user)) return this.reply(id, true);
    const payout = this.host.authorize(this, user);
    if ('code' in payout) return this.fail(id, payout);
    // The blocks of one connection pay one address: its work carries one coinbase.
    if (this.payout && this.payout.key !== payout.key)
      return this.fail(id, { code: STRATUM_ERROR.unauthorized, message: 'One payout address per connection: open another connection for this worker' });
    this.payout = payout;
    this.workers.push(user);
    this.reply(id, true);
    this.startWorkIfReady();
  }

  private startWorkIfReady(): void {
    if (this.working || !this.grant || this.workers.length === 0) return;
    this.working = true;
    this.host.ready(this);
    this.vardiff.setCap(this.host.difficultyCap(), this.host.now());
    this.write(notificationLine('mining.set_difficulty', [this.vardiff.difficulty]));
    const job = this.host.currentJob(this);
    if (job) this.sendJob(job, true);
  }

  private onSubmit(m: Extract<MinerMessage, { kind: 'submit' }>): void {
    const now = this.host.now();
    const worker = this.workers.includes(m.worker) ? m.worker : null;
    const refuse = (rejection: StratumRejection, difficulty: number | null = null): void => {
      this.host.rejected(this, worker, rejection, difficulty);
      this.fail(m.id, rejection);
    };
    if (!this.grant) return refuse({ code: STRATUM_ERROR.notSubscribed, message: 'Not subscribed' });
    if (worker === null) return refuse({ code: STRATUM_ERROR.unauthorized, message: 'Unauthorized worker' });
    const sent = this.jobs.get(m.jobId);
    if (!sent) return refuse({ code: STRATUM_ERROR.jobNotFound, message: 'Job not found' });
    if (!this.host.isLive(sent.job)) return refuse({ code: STRATUM_ERROR.jobNotFound, message: 'Job not found (stale)' });
    // Judged at the lower of the difficulty the job was sent with and the current one (§8.4).
    const difficulty = Math.min(sent.difficulty, this.vardiff.difficulty);
    const check = checkShare(
      { template: sent.job.template, slotPrefix: this.grant.slotPrefix, minerExtranonce2Size: this.grant.extranonce2Size },
      { extranonce2: Buffer.from(m.extranonce2Hex, 'hex'), ntime: m.ntime, nonce: m.nonce, versionBits: m.versionBits },
      { versionMask: this.versionMask, shareTarget: this.targetFor(difficulty) },
    );
    if (!check.ok) return refuse(check.rejection);
    // A duplicate is the same header: the hash says it exactly, whatever job id it came under.
    const key = check.hash.toString('hex');
    if (this.seen.has(key)) return refuse({ code: STRATUM_ERROR.duplicate, message: 'Duplicate share' }, check.difficulty);
    // A block is a block even below the share target (possible on regtest, where the floor is above the network's difficulty).
    if (!check.meetsShareTarget && !check.isBlock) return refuse({ code: STRATUM_ERROR.lowDifficulty, message: 'Difficulty too low' }, check.difficulty);
    this.seen.add(key);
    if (this.seen.size > this.host.limits.maxDedup) this.seen.delete(this.seen.values().next().value!);
    // Credited and forwarded before the reply: a miner that leaves right after loses nothing.
    this.host.accepted(this, { worker, job: sent.job, creditedDifficulty: difficulty, check, ntime: m.ntime, nonce: m.nonce, atMs: now });
    this.reply(m.id, true);
    if (this.vardiff.recordShare(difficulty, now) !== null) this.announceDifficulty(true);
  }

  /** Tell the miner its new difficulty; with `renotify`, resend the current job under a new id so that pools-style miners apply it now. */
  private announceDifficulty(renotify: boolean): void {
    this.host.difficultyChanged(this);
    if (!this.working) return;
    this.write(notificationLine('mining.set_difficulty', [this.vardiff.difficulty]));
    if (!renotify) return;
    const current = this.host.currentJob(this);
    if (current) this.sendJob(this.host.reissue(current), false);
  }

  private targetFor(difficulty: number): bigint {
    let t = this.targets.get(difficulty);
    if (t === undefined) {
      if (this.targets.size > 16) this.targets.clear();
      t = difficultyToTarget(difficulty);
      this.targets.set(difficulty, t);
    }
    return t;
  }

  // ---- output ----

  private reply(id: RequestId, result: unknown): void {
    this.write(resultLine(id, result));
  }

  private fail(id: RequestId, rejection: StratumRejection): void {
    this.write(errorLine(id, rejection));
  }

  private write(line: string): void {
    if (!this.isOpen || this.socket.destroyed) return;
    this.socket.write(line);
    if (this.socket.writableLength > this.host.limits.maxWriteBufferBytes) this.close('not reading its socket');
  }

  private strike(what: string): void {
    this.badLines += 2;
    if (this.badLines > this.host.limits.maxBadLines * 2) this.close(`too many malformed lines (last: ${what})`);
  }

  private finish(reason: string): void {
    if (this.finished) return;
    this.finished = true;
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.drainTimer = null;
    const leftByMiner = this.closedReason === null;
    this.closedReason ??= reason;
    // The miner left: lines already read are still judged, without waiting for the rate bucket
    // (a share sent just before leaving is credited and, if it is a block, submitted).
    const queued = this.queue.splice(0);
    if (leftByMiner) for (const line of queued) this.handle(parseMinerLine(line));
    this.reader.reset();
    this.host.closed(this, this.closedReason);
  }
}
