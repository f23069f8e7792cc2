/**
 * The ordered pool list of a Stratum source (priority = position, 0 = primary) and what is known
 * of each pool: its state, the session parameters it gave (difficulty, extranonce, version mask),
 * a temporary client.reconnect target, the last message. Opens sessions to a pool with its
 * settings, and builds its PoolSnapshot (share counters and payout share are kept by their owners).
 */
import type { EventBus } from '@shared/bus.js';
import type { PoolSnapshot } from '@shared/contract';
import { ConnectLog } from './connect-log.js';
import type { StratumTimers } from './failover.js';
import { parsePoolUrl, sameDomain, type PoolAddress } from './pool-url.js';
import type { PoolShareCounters } from './share-book.js';
import { StratumSession, type SessionListener, type SessionLogLevel } from './session.js';
import { hex8 } from './submit-params.js';
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

/** Source-wide session settings; a pool's own config overrides them. */
export interface PoolSessionDefaults {
  /** e.g. "hashdeck/0.1.0" (sent in mining.subscribe and client.get_version replies). */
  userAgent: string;
  /** Sent as given after authorize (fractional allowed). */
  suggestDifficulty?: number;
  extranonceSubscribe?: boolean;
  tls?: StratumTlsOptions;
  maxLineBytes?: number;
}

export type PoolState = PoolSnapshot['state'];

export interface PoolEntry {
  priority: number;
  config: StratumPoolConfig;
  address: PoolAddress;
  /** Temporary target from client.reconnect (same domain only), until the next failure or work. */
  redirect: PoolAddress | null;
  state: PoolState;
  difficulty: number | null;
  extranonce1: string | null;
  extranonce2Size: number | null;
  versionMask: number | null;
  lastNotifyAtMs: number | null;
  message: string | null;
  /** Connection attempts (the reconnect rate). */
  connects: ConnectLog;
}

export class PoolList {
  readonly entries: readonly PoolEntry[];

  constructor(
    configs: readonly StratumPoolConfig[],
    private readonly defaults: PoolSessionDefaults,
    private readonly timers: Pick<StratumTimers, 'keepAliveMs' | 'connectTimeoutMs'>,
    private readonly bus: EventBus,
  ) {
    if (configs.length === 0) throw new Error('at least one pool is needed');
    if (defaults.suggestDifficulty !== undefined && !(defaults.suggestDifficulty > 0 && Number.isFinite(defaults.suggestDifficulty))) {
      throw new Error('the suggested difficulty must be a positive number');
    }
    this.entries = configs.map((config, priority) => {
      if (!config.user) throw new Error(`pool ${config.url} needs a user`);
      const address = parsePoolUrl(config.url);
      return {
        priority,
        config,
        address,
        redirect: null,
        state: 'idle',
        difficulty: null,
        extranonce1: null,
        extranonce2Size: null,
        versionMask: null,
        lastNotifyAtMs: null,
        message: null,
        connects: new ConnectLog(),
      };
    });
  }

  at(index: number): PoolEntry {
    const p = this.entries[index];
    if (!p) throw new Error(`no pool ${index}`);
    return p;
  }

  /** Index of the pool with this URL, or `fallback`. */
  indexOf(url: string, fallback: number): number {
    const i = this.entries.findIndex((p) => p.config.url === url);
    return i === -1 ? fallback : i;
  }

  /** Change a pool's state and report it ('backoff' is reported every time: its detail says when the retry is). */
  setState(index: number, state: PoolState, detail: string | null): void {
    const p = this.at(index);
    if (p.state === state && state !== 'backoff') return;
    p.state = state;
    this.bus.emit({ type: 'pool', atMs: Date.now(), url: p.config.url, state, detail });
  }

  /** The active session dials the pool (counted for the reconnect rate). */
  connecting(index: number): void {
    const p = this.at(index);
    p.connects.record(Date.now());
    this.setState(index, 'connecting', (p.redirect ?? p.address).url);
  }

  /** A failed session: the pool waits `delayMs` before the next attempt; the detail says when, and how often it was dialled. */
  backoff(index: number, reason: string, delayMs: number): void {
    const dialled = this.at(index).connects.lastHour(Date.now());
    this.setState(index, 'backoff', `${reason}; retry in ${(delayMs / 1000).toFixed(1)} s (${dialled} connection${dialled === 1 ? '' : 's'} in the last hour)`);
  }

  /** A new session to the pool (its redirect target if it has one), not yet connected. */
  openSession(index: number, listener: SessionListener): StratumSession {
    const { defaults, timers } = this;
    const p = this.at(index);
    const suggest = p.config.suggestDifficulty ?? defaults.suggestDifficulty;
    const tls = p.config.tls ?? defaults.tls;
    const options = {
      address: p.redirect ?? p.address,
      user: p.config.user,
      password: p.config.password ?? 'x',
      userAgent: defaults.userAgent,
      extranonceSubscribe: p.config.extranonceSubscribe ?? defaults.extranonceSubscribe ?? false,
      keepAliveMs: timers.keepAliveMs,
      connectTimeoutMs: timers.connectTimeoutMs,
      ...(suggest !== undefined ? { suggestDifficulty: suggest } : {}),
      ...(tls ? { tls } : {}),
      ...(defaults.maxLineBytes ? { maxLineBytes: defaults.maxLineBytes } : {}),
    };
    return new StratumSession(options, listener);
  }

  /**
   * client.reconnect (§1.4): another host only within the domain of the pool the user configured
   * (never a host the user did not choose); a new port on an accepted host. A refused host is
   * refused whole: the pool is dialled again where it was.
   */
  redirect(index: number, request: { host: string | null; port: number | null; waitS: number }, log: (level: SessionLogLevel, text: string) => void): void {
    const p = this.at(index);
    const base = p.redirect ?? p.address;
    if (request.host !== null && request.host !== base.host && !sameDomain(request.host, p.address.host)) {
      log('warn', `${p.config.url}: refused a reconnect to ${request.host}${request.port !== null ? `:${request.port}` : ''}, outside the pool's domain; reconnecting to ${base.host}:${base.port}`);
      return;
    }
    const host = request.host ?? base.host;
    const port = request.port ?? base.port;
    p.redirect = { ...base, host, port, url: `${base.tls ? 'stratum+ssl' : 'stratum+tcp'}://${host.includes(':') ? `[${host}]` : host}:${port}` };
    log('info', `${p.config.url}: pool asked to reconnect to ${host}:${port}${request.waitS ? ` in ${request.waitS} s` : ''}`);
  }

  /** Take over what a session already learnt (a promoted probe). */
  learnFrom(index: number, session: StratumSession): void {
    const p = this.at(index);
    p.extranonce1 = session.extranonce1?.toString('hex') ?? null;
    p.extranonce2Size = session.extranonce2Size;
    p.versionMask = session.versionMask;
    p.difficulty = session.difficulty;
  }

  /** Each pool's figures: its share counters from the share book, its payout share from the payout monitor. */
  snapshots(activeIndex: number, book: { poolCounters(index: number): PoolShareCounters }, payout: { payoutShare(index: number): number | null }): PoolSnapshot[] {
    return this.entries.map((p) => ({
      url: p.config.url,
      user: p.config.user,
      priority: p.priority,
      state: p.state,
      active: p.priority === activeIndex && p.state === 'active',
      difficulty: p.difficulty,
      extranonce1: p.extranonce1,
      extranonce2Size: p.extranonce2Size,
      versionMask: p.versionMask === null ? null : hex8(p.versionMask),
      lastNotifyAtMs: p.lastNotifyAtMs,
      ...book.poolCounters(p.priority),
      payoutShare: payout.payoutShare(p.priority),
      message: p.message,
      connectsLastHour: p.connects.lastHour(Date.now()),
    }));
  }
}
