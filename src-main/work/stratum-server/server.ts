/**
 * HashDeck as the home's own pool: a Stratum v1 server for the household's network miners
 * (docs/stratum-and-gbt.md §8). It listens (127.0.0.1 unless told otherwise; beyond loopback only
 * private ranges and `--stratum-allow` blocks may connect), hands every connection its own
 * extranonce slot of the work source's templates, sends new work to every miner at once (clean
 * on a new block), and turns each accepted share into a `Share` for the same work source as the
 * boards': a block found by any miner is assembled, written and submitted by the node source's
 * never-lose path, and in proxy mode shares that meet the pool's difficulty are sent upstream.
 * One event loop serves every connection; each connection's limits keep one miner from
 * disturbing the others (connection.ts).
 */
import net from 'node:net';
import type { LogLevel } from '@shared/log-level.js';
import { networkMinerId } from '@shared/contract';
import type { StratumServerSnapshot } from '@shared/contract';
import { hashToDisplayHex } from '../../bitcoin/sha256d.js';
import { AddressError, checkAddressNetwork } from '../address.js';
import type { Share, WorkTemplate } from '../job.js';
import { withPayoutScript } from '../node/payout-variant.js';
import { isLoopbackHost, StratumAllowList } from './allow-list.js';
import { DEFAULT_CONNECTION_LIMITS, MinerConnection, type AcceptedShare, type ConnectionHost, type ConnectionLimits, type PayoutGrant, type SubscribeGrant } from './connection.js';
import { extranonceLayout, minerExtranonce1, sameLayout, SlotAllocator, slotPrefix, type ExtranonceLayout } from './extranonce.js';
import { JobIds, type ServerJob } from './jobs.js';
import { MinerListing } from './listing.js';
import type { NetworkMinerSink } from './miner-sink.js';
import { STRATUM_ERROR, type StratumRejection } from './replies.js';

/** BIP320's general-purpose version bits: the most a miner is granted. */
export const SERVER_VERSION_MASK = 0x1fffe000;
/** Default floor of the vardiff: a 50 kH/s miner still finds a share every ~9 s. */
export const DEFAULT_MIN_DIFFICULTY = 0.0001;
/** Difficulty before a miner's rate is known (a miner that suggests one starts there). */
export const DEFAULT_START_DIFFICULTY = 512;

/** What the server needs from the work source it serves. */
export interface ServerBackend {
  readonly kind: 'node' | 'stratum';
  isTemplateLive(template: WorkTemplate): boolean;
  /** A validated share that meets the source's target (a block, or a pool share): the same path as a board's. */
  submit(share: Share): void;
  /** The node's chain once known (for `--stratum-pay-username`), else null. */
  chain(): string | null;
}

export interface StratumServerOptions {
  host: string;
  /** 0 picks a free port (tests); the bound one is in snapshot(). */
  port: number;
  /** `--stratum-allow` blocks, beyond the private ranges. */
  allow?: readonly string[];
  minDifficulty?: number;
  startDifficulty?: number;
  /** `--stratum-pay-username`: each miner's blocks pay the address its user name starts with. */
  payToUsername?: boolean;
  backend: ServerBackend;
  miners: NetworkMinerSink;
  log(level: LogLevel, text: string): void;
  limits?: Partial<ConnectionLimits>;
  maxConnections?: number;
  maxConnectionsPerAddress?: number;
  /** Period of the vardiff and time-out checks (default 2 s). */
  tickMs?: number;
  now?: () => number;
}

const REFUSAL_LOG_INTERVAL_MS = 60_000;

export class StratumServer implements ConnectionHost {
  readonly limits: ConnectionLimits;
  private readonly server: net.Server;
  private readonly allow: StratumAllowList;
  private readonly connections = new Set<MinerConnection>();
  private readonly perAddress = new Map<string, number>();
  private readonly slots = new SlotAllocator();
  private readonly ids = new JobIds();
  private readonly minDifficulty: number;
  private readonly startDifficulty: number;
  private readonly clock: () => number;
  private readonly refusalsLogged = new Map<string, number>();
  private readonly listing: MinerListing;
  private layout: ExtranonceLayout | null = null;
  private layoutError: string | null = null;
  private template: WorkTemplate | null = null;
  /** The current template's job per payout key ('default', or an address). */
  private readonly currentJobs = new Map<string, ServerJob>();
  private readonly payoutScripts = new Map<string, Buffer>();
  private nextConnectionId = 1;
  private nextShareJobId = -1;
  private bound: { host: string; port: number } | null = null;
  private ticker: NodeJS.Timeout | null = null;

  constructor(private readonly options: StratumServerOptions) {
    this.limits = { ...DEFAULT_CONNECTION_LIMITS, ...options.limits };
    this.allow = new StratumAllowList(options.allow ?? []);
    this.minDifficulty = options.minDifficulty ?? DEFAULT_MIN_DIFFICULTY;
    this.startDifficulty = options.startDifficulty ?? DEFAULT_START_DIFFICULTY;
    if (!(this.minDifficulty > 0)) throw new Error('the minimum difficulty must be a positive number');
    if (options.payToUsername && options.backend.kind !== 'node') throw new Error('paying the address in each username needs a node (solo mining): with a pool, the pool pays');
    this.clock = options.now ?? Date.now;
    this.listing = new MinerListing(options.miners);
    this.server = net.createServer((socket) => this.accept(socket));
    this.server.maxConnections = options.maxConnections ?? 1024;
  }

  /** Listen; resolves with the address actually bound. */
  async start(): Promise<{ host: string; port: number }> {
    const { host, port } = this.options;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => reject(new Error(`the Stratum server cannot listen on ${host}:${port}: ${err.code ?? err.message}`));
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.server.on('error', (err) => this.options.log('error', `Stratum server: ${err.message}`));
    const addr = this.server.address() as net.AddressInfo;
    this.bound = { host, port: addr.port };
    this.ticker = setInterval(() => this.tick(), this.options.tickMs ?? 2_000);
    this.ticker.unref();
    const reach = isLoopbackHost(host) ? 'this machine only' : `private networks${this.allow.extra.length ? ` and ${this.allow.extra.map((c) => c.text).join(', ')}` : ''}`;
    this.options.log('info', `Stratum server listening on ${host}:${addr.port} for network miners (${reach})`);
    return this.bound;
  }

  async stop(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const c of [...this.connections]) c.close('HashDeck is stopping');
    if (this.bound) await closed;
  }

  snapshot(): StratumServerSnapshot | null {
    if (!this.bound) return null;
    return { host: this.bound.host, port: this.bound.port, connections: this.connections.size, problem: this.layoutError ?? (this.template ? null : 'waiting for work from the work source') };
  }

  /**
   * The extranonce2 bytes the engine's own boards start with for `t` (slot 0: zeros), so that their
   * coinbases never meet a network miner's; empty when the space cannot be shared.
   */
  boardExtranonce2Prefix(t: WorkTemplate): Buffer {
    const layout = extranonceLayout(t.extranonce1, t.extranonce2Size);
    return 'error' in layout ? Buffer.alloc(0) : Buffer.alloc(layout.prefixBytes);
  }

  // ---- work from the source ----

  setTemplate(t: WorkTemplate): void {
    const layout = extranonceLayout(t.extranonce1, t.extranonce2Size);
    if ('error' in layout) {
      if (this.layoutError !== layout.error) this.options.log('error', `Stratum server: ${layout.error}; network miners get no work until it has more`);
      this.layoutError = layout.error;
      this.layout = null;
      this.template = null;
      this.currentJobs.clear();
      for (const c of [...this.connections]) c.close('no extranonce space to share');
      return;
    }
    const relayout = this.layout !== null && !sameLayout(this.layout, layout);
    this.layout = layout;
    this.layoutError = null;
    this.template = t;
    this.currentJobs.clear();
    if (relayout) this.relayout(layout);
    const clean = t.cleanJobs || relayout;
    const maskLimit = this.versionMaskLimit();
    for (const c of this.connections) {
      if (!c.isWorking) continue;
      c.applyVersionMaskLimit(maskLimit);
      c.applyCap(t.shareDifficulty);
      const job = this.currentJob(c);
      if (job) c.sendJob(job, clean);
    }
  }

  /** Every job is void (the source reconnected, failed over, or changed its extranonce). */
  invalidateAll(): void {
    this.template = null;
    this.currentJobs.clear();
    for (const c of this.connections) c.forgetJobs();
  }

  // ---- ConnectionHost ----

  now(): number {
    return this.clock();
  }

  log(level: LogLevel, text: string): void {
    this.options.log(level, text);
  }

  subscribe(conn: MinerConnection): SubscribeGrant | StratumRejection {
    const layout = this.layout;
    if (!layout) return { code: STRATUM_ERROR.other, message: this.layoutError ?? 'HashDeck has no work yet; try again in a moment' };
    const slot = this.slots.take(layout.maxSlot);
    if (slot === null) {
      this.options.log('warn', `Stratum server: every extranonce slot (${layout.maxSlot}) is in use; refused ${conn.remoteAddress}`);
      return { code: STRATUM_ERROR.other, message: 'Server full' };
    }
    return this.grantFor(layout, slot);
  }

  authorize(conn: MinerConnection, user: string): PayoutGrant | StratumRejection {
    if (!this.options.payToUsername) return { key: 'default', address: null };
    const address = user.split('.')[0]!.trim();
    const chain = this.options.backend.chain();
    if (chain === null) return { code: STRATUM_ERROR.unauthorized, message: 'HashDeck has not reached its node yet; try again in a moment' };
    try {
      const parsed = checkAddressNetwork(address, chain);
      this.payoutScripts.set(parsed.address, parsed.script);
      return { key: parsed.address, address: parsed.address };
    } catch (err) {
      const why = err instanceof AddressError ? err.message : 'it is not a Bitcoin address';
      this.options.log('warn', `Stratum server: refused worker "${user}" from ${conn.remoteAddress}: its blocks would pay the address its name starts with, and ${why}`);
      return { code: STRATUM_ERROR.unauthorized, message: `This server pays the address in your username (address.worker): ${why}` };
    }
  }

  versionMaskLimit(): number {
    return ((this.template?.versionMask ?? SERVER_VERSION_MASK) & SERVER_VERSION_MASK) >>> 0;
  }

  currentJob(conn: MinerConnection): ServerJob | null {
    const t = this.template;
    if (!t) return null;
    const key = conn.payout?.key ?? 'default';
    let job = this.currentJobs.get(key);
    if (!job) {
      const script = key === 'default' ? null : this.payoutScripts.get(key);
      if (key !== 'default' && !script) return null;
      job = this.ids.issue(script ? withPayoutScript(t, script) : t);
      this.currentJobs.set(key, job);
    }
    return job;
  }

  reissue(job: ServerJob): ServerJob {
    const fresh = this.ids.issue(job.template);
    for (const [key, j] of this.currentJobs) if (j === job) this.currentJobs.set(key, fresh);
    return fresh;
  }

  isLive(job: ServerJob): boolean {
    return this.options.backend.isTemplateLive(job.template);
  }

  difficultyCap(): number | null {
    return this.template?.shareDifficulty ?? null;
  }

  ready(conn: MinerConnection): void {
    const worker = conn.worker!;
    this.options.log('info', `network miner "${worker}" connected from ${conn.remoteAddress}${conn.userAgent ? ` (${conn.userAgent})` : ''}`);
    this.listing.connected({
      worker,
      connectionId: conn.id,
      address: conn.remoteAddress,
      userAgent: conn.userAgent,
      payoutAddress: conn.payout?.address ?? null,
      difficulty: conn.difficulty,
      atMs: this.clock(),
    });
  }

  accepted(conn: MinerConnection, a: AcceptedShare): void {
    const { check } = a;
    const t = a.job.template;
    const minerId = networkMinerId(a.worker);
    if (check.isBlock || check.meetsSourceTarget) {
      const share: Share = {
        job: { id: this.nextShareJobId--, template: t, extranonce2: check.sourceExtranonce2, merkleRoot: check.merkleRoot, boardId: minerId, sentAtMs: a.atMs, ntime: a.ntime },
        nonce: a.nonce,
        version: check.version,
        ntime: a.ntime,
        hash: check.hash,
        difficulty: check.difficulty,
        isBlockCandidate: check.isBlock,
        boardId: minerId,
        chipIndex: 0,
        foundAtMs: a.atMs,
      };
      if (check.isBlock) this.options.log('error', `BLOCK CANDIDATE from network miner "${a.worker}" (${conn.remoteAddress}): ${hashToDisplayHex(check.hash)}`);
      try {
        this.options.backend.submit(share);
      } catch (err) {
        this.options.log('error', `could not hand a share of "${a.worker}" to the work source: ${(err as Error).message}`);
      }
    }
    this.listing.accepted(conn.id, a.worker, { creditedDifficulty: a.creditedDifficulty, difficulty: check.difficulty, hash: hashToDisplayHex(check.hash), isBlock: check.isBlock, atMs: a.atMs });
  }

  rejected(conn: MinerConnection, worker: string | null, rejection: StratumRejection, difficulty: number | null): void {
    if (!conn.isWorking) return;
    this.listing.rejected(conn.id, worker, { reason: rejection.message, stale: rejection.code === STRATUM_ERROR.jobNotFound, difficulty, targetDifficulty: conn.difficulty, atMs: this.clock() });
  }

  difficultyChanged(conn: MinerConnection): void {
    if (conn.isWorking) this.listing.difficulty(conn.id, conn.difficulty);
  }

  closed(conn: MinerConnection, reason: string): void {
    if (!this.connections.delete(conn)) return;
    const address = conn.remoteAddress;
    const left = (this.perAddress.get(address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(address, left);
    else this.perAddress.delete(address);
    if (conn.grant) this.slots.release(conn.grant.slot);
    if (conn.isWorking && conn.worker) {
      this.options.log('info', `network miner "${conn.worker}" (${address}) left: ${reason}`);
      this.listing.disconnected(conn.id, this.clock());
    } else {
      this.options.log('debug', `Stratum connection from ${address} closed: ${reason}`);
    }
  }

  // ---- internals ----

  private accept(socket: net.Socket): void {
    const address = socket.remoteAddress ?? 'unknown';
    if (!this.allow.allows(socket.remoteAddress)) {
      this.refuse(socket, address, 'not a private address (add it with --stratum-allow)');
      return;
    }
    const fromThere = this.perAddress.get(address) ?? 0;
    if (fromThere >= (this.options.maxConnectionsPerAddress ?? 256)) {
      this.refuse(socket, address, `already ${fromThere} connections from there`);
      return;
    }
    this.perAddress.set(address, fromThere + 1);
    const conn = new MinerConnection(this.nextConnectionId++, socket, this, { floor: this.minDifficulty, start: Math.max(this.minDifficulty, this.startDifficulty) });
    this.connections.add(conn);
  }

  private refuse(socket: net.Socket, address: string, why: string): void {
    socket.destroy();
    const now = this.clock();
    const last = this.refusalsLogged.get(address);
    if (last !== undefined && now - last < REFUSAL_LOG_INTERVAL_MS) return;
    if (this.refusalsLogged.size > 1000) this.refusalsLogged.clear();
    this.refusalsLogged.set(address, now);
    this.options.log('warn', `Stratum server refused a connection from ${address}: ${why}`);
  }

  private grantFor(layout: ExtranonceLayout, slot: number): SubscribeGrant {
    return { slot, slotPrefix: slotPrefix(layout, slot), extranonce1: minerExtranonce1(layout, slot), extranonce2Size: layout.minerExtranonce2Size };
  }

  /** The source's extranonce changed (a new pool session): miners that can follow are told; the rest must reconnect. */
  private relayout(layout: ExtranonceLayout): void {
    for (const c of [...this.connections]) {
      if (!c.grant) continue;
      if (c.grant.slot > layout.maxSlot || !c.extranonceSubscribed) {
        c.close('the pool session behind HashDeck changed: reconnect for a new extranonce');
        continue;
      }
      c.setExtranonce(this.grantFor(layout, c.grant.slot));
    }
  }

  private tick(): void {
    const now = this.clock();
    for (const c of [...this.connections]) c.tick(now);
  }
}
