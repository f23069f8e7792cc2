/**
 * Statistics of the network miners that mine through the Stratum server: one tally per worker
 * name (all its connections together), with the same difficulty-weighted estimator and 95 %
 * intervals as a board's (each accepted share weighs the difficulty it was judged at), best
 * difficulty this session and all time (from the ledger), shares accepted and rejected by reason,
 * shares forwarded to a pool and the pool's verdicts, blocks, and who and where it is. The ledger
 * keeps its shares and 5 s samples under `net:<worker>`, so its history is charted like a board's.
 */
import type { EventBus } from '@shared/bus.js';
import type { EngineEvent, NetworkMinerSnapshot } from '@shared/contract';
import { isNetworkMinerId, NETWORK_MINER_ID_PREFIX, networkMinerId } from '@shared/contract';
import type { CreditedShare, MinerArrival, NetworkMinerSink, RefusedShare } from '../work/stratum-server/miner-sink.js';
import { HashrateEstimator } from './hashrate-estimator.js';
import type { Ledger } from './ledger.js';

/** The `pool` column of network miners' share rows in the ledger. */
export const NETWORK_SHARES_POOL = 'stratum-server';
/** Workers remembered; beyond it the one seen longest ago that has no connection is forgotten. */
const MAX_MINERS = 256;
/** Distinct reject reasons kept per miner before the rest are lumped as "other". */
const MAX_REASONS = 16;

interface Tally {
  worker: string;
  id: string;
  connections: Map<number, { address: string; atMs: number }>;
  address: string;
  userAgent: string | null;
  payoutAddress: string | null;
  firstSeenAtMs: number;
  lastSeenAtMs: number;
  lastShareAtMs: number | null;
  difficulty: number;
  estimator: HashrateEstimator;
  sharesAccepted: number;
  sharesRejected: number;
  rejectReasons: Record<string, number>;
  forwarded: { accepted: number; rejected: number; stale: number };
  bestDifficulty: number;
  bestDifficultyAllTime: number;
  blocksFound: number;
}

export interface NetworkMinerStatsOptions {
  bus: EventBus;
  ledger?: Ledger | null;
  nowMs?: () => number;
}

export class NetworkMinerStats implements NetworkMinerSink {
  private readonly miners = new Map<string, Tally>();
  private readonly nowMs: () => number;
  private readonly unsubscribe: Array<() => void>;
  private ledgerFailureReported = false;

  constructor(private readonly options: NetworkMinerStatsOptions) {
    this.nowMs = options.nowMs ?? Date.now;
    this.unsubscribe = [options.bus.on('block', (e) => this.onBlock(e)), options.bus.on('share', (e) => this.onForwarded(e))];
  }

  connected(a: MinerArrival): void {
    const m = this.tally(a.worker, a.atMs);
    m.connections.set(a.connectionId, { address: a.address, atMs: a.atMs });
    m.address = a.address;
    m.userAgent = a.userAgent ?? m.userAgent;
    m.payoutAddress = a.payoutAddress;
    m.difficulty = a.difficulty;
    m.lastSeenAtMs = a.atMs;
    m.estimator.start(a.atMs, a.difficulty);
  }

  disconnected(worker: string, connectionId: number, atMs: number): void {
    const m = this.miners.get(worker);
    if (!m) return;
    m.connections.delete(connectionId);
    m.lastSeenAtMs = atMs;
  }

  /** A name that was only ever this connection's provisional listing is forgotten; one with shares or other connections stays. */
  withdrawn(worker: string, connectionId: number): void {
    const m = this.miners.get(worker);
    if (!m) return;
    m.connections.delete(connectionId);
    if (m.connections.size === 0 && m.lastShareAtMs === null && m.sharesRejected === 0) this.miners.delete(worker);
  }

  difficulty(worker: string, difficulty: number): void {
    const m = this.miners.get(worker);
    if (m) m.difficulty = difficulty;
  }

  accepted(worker: string, s: CreditedShare): void {
    const m = this.tally(worker, s.atMs);
    m.sharesAccepted++;
    m.lastShareAtMs = m.lastSeenAtMs = s.atMs;
    if (s.creditedDifficulty > 0 && Number.isFinite(s.creditedDifficulty)) m.estimator.record(s.atMs, s.creditedDifficulty);
    if (s.difficulty > m.bestDifficulty) m.bestDifficulty = s.difficulty;
    if (s.difficulty > m.bestDifficultyAllTime) m.bestDifficultyAllTime = s.difficulty;
    this.withLedger((l) =>
      l.recordShare({ atMs: s.atMs, boardId: m.id, pool: NETWORK_SHARES_POOL, difficulty: s.difficulty, targetDifficulty: s.creditedDifficulty, result: 'accepted', reason: null }),
    );
  }

  rejected(worker: string, s: RefusedShare): void {
    const m = this.tally(worker, s.atMs);
    m.sharesRejected++;
    m.lastSeenAtMs = s.atMs;
    let reason = s.reason;
    if (!(reason in m.rejectReasons) && Object.keys(m.rejectReasons).length >= MAX_REASONS) reason = 'other';
    m.rejectReasons[reason] = (m.rejectReasons[reason] ?? 0) + 1;
    this.withLedger((l) =>
      l.recordShare({
        atMs: s.atMs,
        boardId: m.id,
        pool: NETWORK_SHARES_POOL,
        difficulty: s.difficulty ?? 0,
        targetDifficulty: s.targetDifficulty,
        result: s.stale ? 'stale' : 'rejected',
        reason: s.reason,
      }),
    );
  }

  snapshots(nowMs = this.nowMs()): NetworkMinerSnapshot[] {
    return [...this.miners.values()]
      .sort((a, b) => a.worker.localeCompare(b.worker))
      .map((m) => ({
        id: m.id,
        worker: m.worker,
        connections: m.connections.size,
        address: m.address,
        userAgent: m.userAgent,
        payoutAddress: m.payoutAddress,
        firstSeenAtMs: m.firstSeenAtMs,
        lastSeenAtMs: m.lastSeenAtMs,
        lastShareAtMs: m.lastShareAtMs,
        difficulty: m.difficulty,
        hashrateHs: m.estimator.sinceStartHs(nowMs),
        hashrate: m.estimator.windows(nowMs),
        sharesAccepted: m.sharesAccepted,
        sharesRejected: m.sharesRejected,
        rejectReasons: { ...m.rejectReasons },
        forwarded: { ...m.forwarded },
        bestDifficulty: m.bestDifficulty,
        bestDifficultyAllTime: m.bestDifficultyAllTime,
        blocksFound: m.blocksFound,
      }));
  }

  /** One 5 s history point per connected miner (its 1 min estimate), as boards get. */
  sampleToLedger(atMs = this.nowMs()): void {
    for (const m of this.miners.values()) {
      if (m.connections.size === 0) continue;
      const hashrateHs = m.estimator.estimate('1m', atMs)?.valueHs ?? null;
      this.withLedger((l) => l.recordSample({ atMs, boardId: m.id, hashrateHs, powerW: null, asicTempC: null, vrTempC: null, fanRpm: null }));
    }
  }

  /** Session figures start again (the all-time best stays); connected miners restart their clock now. */
  resetSession(): void {
    const now = this.nowMs();
    for (const m of this.miners.values()) {
      m.estimator.reset();
      if (m.connections.size > 0) m.estimator.start(now, m.difficulty);
      m.sharesAccepted = m.sharesRejected = m.blocksFound = 0;
      m.rejectReasons = {};
      m.forwarded = { accepted: 0, rejected: 0, stale: 0 };
      m.bestDifficulty = 0;
    }
  }

  dispose(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  private tally(worker: string, atMs: number): Tally {
    let m = this.miners.get(worker);
    if (m) return m;
    const id = networkMinerId(worker);
    let allTime = 0;
    this.withLedger((l) => (allTime = l.bestShareDifficulty(id)));
    m = {
      worker,
      id,
      connections: new Map(),
      address: 'unknown',
      userAgent: null,
      payoutAddress: null,
      firstSeenAtMs: atMs,
      lastSeenAtMs: atMs,
      lastShareAtMs: null,
      difficulty: 0,
      estimator: new HashrateEstimator(),
      sharesAccepted: 0,
      sharesRejected: 0,
      rejectReasons: {},
      forwarded: { accepted: 0, rejected: 0, stale: 0 },
      bestDifficulty: 0,
      bestDifficultyAllTime: allTime,
      blocksFound: 0,
    };
    this.miners.set(worker, m);
    if (this.miners.size > MAX_MINERS) this.forgetOne();
    return m;
  }

  private forgetOne(): void {
    let oldest: Tally | null = null;
    for (const m of this.miners.values()) if (m.connections.size === 0 && (!oldest || m.lastSeenAtMs < oldest.lastSeenAtMs)) oldest = m;
    if (oldest) this.miners.delete(oldest.worker);
  }

  private byId(id: string): Tally | undefined {
    if (!isNetworkMinerId(id)) return undefined;
    return this.miners.get(id.slice(NETWORK_MINER_ID_PREFIX.length));
  }

  private onBlock(e: Extract<EngineEvent, { type: 'block' }>): void {
    const m = this.byId(e.boardId);
    if (m && e.accepted) m.blocksFound++;
  }

  /** Proxy mode: the pool's verdict on a share this miner found (sent on by the server). */
  private onForwarded(e: Extract<EngineEvent, { type: 'share' }>): void {
    const m = this.byId(e.boardId);
    if (!m || e.result === 'pending') return;
    m.forwarded[e.result]++;
  }

  /** Ledger trouble must not stop serving: report once, carry on. */
  private withLedger(write: (ledger: Ledger) => unknown): void {
    const ledger = this.options.ledger;
    if (!ledger) return;
    try {
      write(ledger);
    } catch (err) {
      if (!this.ledgerFailureReported) {
        this.ledgerFailureReported = true;
        this.options.bus.log('error', 'stats', `ledger write failed for network miners (statistics continue in memory): ${(err as Error).message}`);
      }
    }
  }
}
