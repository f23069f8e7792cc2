/**
 * One Stratum v1 connection (docs/stratum-and-gbt.md §1.2–§1.4). On connect it sends
 * mining.configure, mining.subscribe and mining.authorize back to back (ids 1, 2, 3; ids restart per
 * connection); after authorize succeeds, mining.suggest_difficulty (as given) and
 * mining.extranonce.subscribe when enabled. It never waits for replies pools may not send:
 * work is delivered as soon as the subscribe result (extranonce1) is known, even before the
 * authorize reply (ckpool), and suggest_difficulty may be answered by a set_difficulty notification
 * (public-pool). Pings and get_version are answered. Malformed lines are logged and dropped.
 */
import type { LogLevel } from '@shared/log-level.js';
import type net from 'node:net';
import { LineReader, DEFAULT_MAX_LINE_BYTES } from './line-reader.js';
import { configureResultSchema, parsePoolMessage, parseRejectReason, subscribeResultSchema, type NotifyParams, type PoolMessage, type RejectReason, type StratumResponse } from './messages.js';
import type { PoolAddress } from './pool-url.js';
import { openSocket, type StratumTlsOptions } from './transport.js';

export type SessionLogLevel = LogLevel;

export interface SessionListener {
  /** Any line arrived (dead-pool watchdog). */
  onData?(): void;
  /** extranonce1 known (subscribe result); work can flow from now on. */
  onSubscribed?(): void;
  onAuthorized?(ok: boolean, reason: string | null): void;
  /** The reply to authorizing another worker name on this connection. */
  onWorkerAuthorized?(worker: string, ok: boolean, reason: string | null): void;
  onVersionMask?(mask: number): void;
  onDifficulty?(difficulty: number): void;
  onNotify?(notify: NotifyParams): void;
  onExtranonce?(extranonce1: Buffer, extranonce2Size: number): void;
  onReconnectRequest?(request: { host: string | null; port: number | null; waitS: number }): void;
  onShowMessage?(text: string): void;
  onSubmitResult?(id: number, reject: RejectReason | null, latencyMs: number): void;
  /** The connection ended (once). */
  onClose?(reason: string): void;
  log(level: SessionLogLevel, text: string): void;
}

export interface SessionOptions {
  address: PoolAddress;
  user: string;
  password: string;
  /** Sent in mining.subscribe, e.g. "hashdeck/0.1.0". */
  userAgent: string;
  suggestDifficulty?: number;
  extranonceSubscribe?: boolean;
  tls?: StratumTlsOptions;
  keepAliveMs: number;
  connectTimeoutMs: number;
  maxLineBytes?: number;
}

export type SessionState = 'connecting' | 'subscribing' | 'subscribed' | 'closed';

interface PendingRequest {
  method: string;
  sentAtMs: number;
  /** mining.authorize of a further worker name (not the session's user). */
  worker?: string;
}

/** A malformed line is logged with at most this many characters. */
const LOG_LINE_CHARS = 160;

export class StratumSession {
  state: SessionState = 'connecting';
  extranonce1: Buffer | null = null;
  extranonce2Size: number | null = null;
  /** BIP310 mask granted by the pool; 0 = refused or not answered. */
  versionMask = 0;
  versionRollingGranted = false;
  /** Difficulty in force (null until the pool sets one; templates then use 1). */
  difficulty: number | null = null;
  authorized: boolean | null = null;
  lastNotify: NotifyParams | null = null;
  readonly connectedAtMs: number | null = null;

  private socket: net.Socket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, PendingRequest>();
  private configureAnswered = false;
  private readonly bufferedNotifies: NotifyParams[] = [];
  /** Users sent in mining.authorize on this connection. */
  private readonly authorizedUsers = new Set<string>();
  private closedReason: string | null = null;
  private readonly reader: LineReader;

  constructor(
    private readonly options: SessionOptions,
    private listener: SessionListener,
  ) {
    this.reader = new LineReader({
      maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
      onLine: (line) => this.onLine(line),
      onOversize: (bytes) => this.listener.log('error', `dropped an oversized line from the pool (${bytes} bytes)`),
    });
  }

  get url(): string {
    return this.options.address.url;
  }

  get isOpen(): boolean {
    return this.state !== 'closed';
  }

  /** Replace the listener (a probe session promoted to the active one). */
  setListener(listener: SessionListener): void {
    this.listener = listener;
  }

  /** Connect and send the opening requests. Rejects when the connection cannot be made. */
  async connect(): Promise<void> {
    let socket: net.Socket;
    try {
      socket = await openSocket(this.options.address, {
        keepAliveMs: this.options.keepAliveMs,
        connectTimeoutMs: this.options.connectTimeoutMs,
        ...(this.options.tls ? { tls: this.options.tls } : {}),
      });
    } catch (err) {
      this.state = 'closed';
      this.closedReason = (err as Error).message;
      throw err;
    }
    if (this.state === 'closed') {
      // close() was called while connecting.
      socket.destroy();
      throw new Error(this.closedReason ?? 'closed');
    }
    this.socket = socket;
    (this as { connectedAtMs: number | null }).connectedAtMs = Date.now();
    this.state = 'subscribing';
    socket.on('data', (chunk: Buffer) => {
      try {
        this.reader.push(chunk);
      } catch (err) {
        this.listener.log('error', `stratum input error: ${(err as Error).message}`);
      }
    });
    socket.on('error', (err) => this.finish(`socket error: ${err.message}`));
    socket.on('close', () => this.finish('connection closed by pool'));
    socket.on('end', () => socket.end());
    this.request('mining.configure', [['version-rolling'], { 'version-rolling.mask': 'ffffffff' }]);
    this.request('mining.subscribe', [this.options.userAgent]);
    this.request('mining.authorize', [this.options.user, this.options.password]);
    this.authorizedUsers.add(this.options.user);
  }

  /** Authorize a further worker name (with the session's password) unless this connection already did. */
  authorizeWorker(user: string): void {
    if (this.authorizedUsers.has(user) || !this.socket || this.state === 'closed') return;
    this.authorizedUsers.add(user);
    this.request('mining.authorize', [user, this.options.password], user);
  }

  /** Send mining.submit; returns the request id. */
  submit(params: string[]): number {
    if (!this.socket || this.state === 'closed') throw new Error('not connected');
    return this.request('mining.submit', params);
  }

  close(reason: string): void {
    if (this.state === 'closed' && !this.socket) {
      this.closedReason ??= reason;
      return;
    }
    this.finish(reason);
  }

  /** Ids of submits still waiting for a reply. */
  pendingSubmitIds(): number[] {
    return [...this.pending].filter(([, p]) => p.method === 'mining.submit').map(([id]) => id);
  }

  private finish(reason: string): void {
    const wasOpen = this.state !== 'closed';
    this.state = 'closed';
    if (this.closedReason === null) this.closedReason = reason;
    if (this.socket) {
      this.socket.removeAllListeners('data');
      this.socket.destroy();
      this.socket.on('error', () => {});
    }
    this.reader.reset();
    if (wasOpen || this.socket) {
      this.socket = null;
      this.listener.onClose?.(this.closedReason);
    }
  }

  private request(method: string, params: unknown[], worker?: string): number {
    const id = this.nextId++;
    this.pending.set(id, { method, sentAtMs: performance.now(), ...(worker !== undefined ? { worker } : {}) });
    this.send({ id, method, params });
    return id;
  }

  private send(message: object): void {
    if (!this.socket || this.socket.destroyed) return;
    this.socket.write(JSON.stringify(message) + '\n');
  }

  private onLine(line: string): void {
    this.listener.onData?.();
    const parsed = parsePoolMessage(line);
    if (!parsed.ok) {
      this.listener.log('warn', `dropped a malformed pool message (${parsed.error}): ${line.slice(0, LOG_LINE_CHARS)}`);
      return;
    }
    this.handle(parsed.value);
  }

  private handle(m: PoolMessage): void {
    switch (m.kind) {
      case 'response':
        return this.onResponse(m.response);
      case 'notify':
        this.lastNotify = m.params;
        if (this.state === 'subscribed') this.listener.onNotify?.(m.params);
        else this.bufferNotify(m.params);
        return;
      case 'set_difficulty':
        this.difficulty = m.difficulty;
        this.listener.onDifficulty?.(m.difficulty);
        return;
      case 'set_extranonce':
        this.extranonce1 = Buffer.from(m.extranonce1Hex, 'hex');
        this.extranonce2Size = m.extranonce2Size;
        this.listener.onExtranonce?.(this.extranonce1, m.extranonce2Size);
        return;
      case 'set_version_mask':
        // BIP310: applies at once, but only within what was negotiated (never roll if refused).
        if (this.versionRollingGranted) {
          this.versionMask = m.mask;
          this.listener.onVersionMask?.(m.mask);
        } else {
          this.listener.log('debug', 'ignored set_version_mask: version rolling was not negotiated');
        }
        return;
      case 'reconnect':
        this.listener.onReconnectRequest?.(m);
        return;
      case 'show_message':
        this.listener.onShowMessage?.(m.text.slice(0, 256));
        return;
      case 'get_version':
        this.send({ id: m.id, result: this.options.userAgent, error: null });
        return;
      case 'ping':
        // cgminer's JSON-RPC shape (§1.3).
        this.send({ id: m.id, result: 'pong', error: null });
        return;
    }
  }

  private bufferNotify(n: NotifyParams): void {
    // Before extranonce1 is known only the newest job matters; keep a clean flag seen on the way.
    const cleanSeen = n.cleanJobs || this.bufferedNotifies.some((b) => b.cleanJobs);
    this.bufferedNotifies.length = 0;
    this.bufferedNotifies.push({ ...n, cleanJobs: cleanSeen });
  }

  private onResponse(r: StratumResponse): void {
    const id = typeof r.id === 'number' ? r.id : Number(r.id);
    const req = Number.isInteger(id) ? this.pending.get(id) : undefined;
    if (!req) {
      this.listener.log('debug', `reply to unknown request id ${String(r.id).slice(0, 20)}`);
      return;
    }
    this.pending.delete(id);
    const latencyMs = performance.now() - req.sentAtMs;
    const reject = parseRejectReason(r);
    switch (req.method) {
      case 'mining.configure':
        return this.onConfigure(r, reject);
      case 'mining.subscribe':
        return this.onSubscribe(r, reject);
      case 'mining.authorize': {
        const ok = reject === null && r.result === true;
        if (req.worker !== undefined) {
          this.listener.onWorkerAuthorized?.(req.worker, ok, ok ? null : (reject?.reason ?? 'authorization refused'));
          return;
        }
        this.authorized = ok;
        this.listener.onAuthorized?.(ok, ok ? null : (reject?.reason ?? 'authorization refused'));
        if (ok) this.afterAuthorize();
        return;
      }
      case 'mining.suggest_difficulty':
        if (reject) this.listener.log('info', `pool did not take the suggested difficulty: ${reject.reason}`);
        return;
      case 'mining.extranonce.subscribe':
        if (reject) this.listener.log('info', `pool does not support extranonce.subscribe: ${reject.reason}`);
        return;
      case 'mining.submit':
        this.listener.onSubmitResult?.(id, reject, latencyMs);
        return;
    }
  }

  private onConfigure(r: StratumResponse, reject: RejectReason | null): void {
    this.configureAnswered = true;
    const parsed = reject === null ? configureResultSchema.safeParse(r.result) : null;
    const mask = parsed?.success ? parsed.data.versionMask : 0;
    this.versionRollingGranted = mask !== 0;
    this.versionMask = mask;
    if (!parsed?.success) this.listener.log('info', `pool refused version rolling${reject ? `: ${reject.reason}` : ''}`);
    this.listener.onVersionMask?.(mask);
  }

  private onSubscribe(r: StratumResponse, reject: RejectReason | null): void {
    const parsed = reject === null ? subscribeResultSchema.safeParse(r.result) : null;
    if (!parsed?.success) {
      this.listener.log('error', `subscribe failed: ${reject?.reason ?? 'malformed subscribe result'}`);
      this.finish('subscribe failed');
      return;
    }
    this.extranonce1 = Buffer.from(parsed.data.extranonce1Hex, 'hex');
    this.extranonce2Size = parsed.data.extranonce2Size;
    if (!this.configureAnswered) {
      // A pool that answers in order but skipped configure does not support it (§1.3).
      this.configureAnswered = true;
      this.listener.log('info', 'pool did not answer mining.configure; mining without version rolling');
    }
    this.state = 'subscribed';
    this.listener.onSubscribed?.();
    const buffered = this.bufferedNotifies.splice(0);
    for (const n of buffered) this.listener.onNotify?.(n);
  }

  private afterAuthorize(): void {
    if (this.options.suggestDifficulty !== undefined) this.request('mining.suggest_difficulty', [this.options.suggestDifficulty]);
    if (this.options.extranonceSubscribe) this.request('mining.extranonce.subscribe', []);
  }
}
