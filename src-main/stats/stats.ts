/**
 * The statistics collector: counters per board and chip, difficulty-weighted hashrate windows,
 * best difficulty (session and all time, with a top-N scoreboard), and share outcomes per board.
 * Per-pool share counters are the work source's (PoolSnapshot); a pool reply counts as stale here
 * by the same stale-reject rule the Stratum source uses.
 *
 * Nonces come in through recordNonce() (the validator calls it for every nonce it judged); pool
 * verdicts and blocks come from the event bus ('share', 'block', 'pool'). Hashrate is measured
 * from the first job sent (recordJobStart). With a ledger, the all-time best and the scoreboard
 * survive restarts, and shares, blocks and pool events are written through.
 */
import type { Counters, EngineEvent, HashrateWindows } from '@shared/contract';
import { isNetworkMinerId } from '@shared/contract';
import type { EventBus } from '@shared/bus.js';
import type { ValidatedNonce } from '../work/job.js';
import { hashToDisplayHex } from '../bitcoin/sha256d.js';
import { HashrateEstimator } from './hashrate-estimator.js';
import { CounterHashrate } from './counter-hashrate.js';
import { Scoreboard, type ScoredShare } from './scoreboard.js';
import { TOTAL_BOARD_ID, type Ledger } from './ledger.js';
import { isStaleReject } from '../work/stratum/stale-reject.js';

export { explainReject, rejectReasonKey, rejectExplanations } from './reject-reasons.js';

export interface StatsOptions {
  bus: EventBus;
  ledger?: Ledger;
  nowMs?: () => number;
  /** Entries on the best-shares scoreboard (default 20). */
  scoreboardSize?: number;
}

export interface ChipCounters {
  nonces: number;
  validNonces: number;
  hwErrors: number;
}

export interface SensorReading {
  boardId: string;
  powerW: number | null;
  asicTempC: number | null;
  vrTempC: number | null;
  fanRpm: number | null;
}

interface ChipState {
  counters: ChipCounters;
  estimator: HashrateEstimator;
  counter: CounterHashrate | null;
}

interface BoardTally {
  counters: Counters;
  estimator: HashrateEstimator;
  chips: Map<number, ChipState>;
  weight: number | undefined;
}

function emptyCounters(): Counters {
  return { nonces: 0, validNonces: 0, hwErrors: 0, sharesAccepted: 0, sharesRejected: 0, sharesStale: 0, blocksFound: 0, bestDifficulty: 0 };
}

export class Stats {
  private readonly bus: EventBus;
  private readonly ledger: Ledger | undefined;
  private readonly nowMs: () => number;
  private readonly boards = new Map<string, BoardTally>();
  private readonly total = new HashrateEstimator();
  private readonly scoreboard: Scoreboard;
  private sessionBest: ScoredShare | null = null;
  /** Blocks found by network miners (stats/network-miners.ts keeps the rest of their figures). */
  private networkBlocksFound = 0;
  private allTimeBest = 0;
  private ledgerFailureReported = false;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(options: StatsOptions) {
    this.bus = options.bus;
    this.ledger = options.ledger;
    this.nowMs = options.nowMs ?? Date.now;
    this.scoreboard = new Scoreboard(options.scoreboardSize ?? 20);
    if (this.ledger) {
      this.allTimeBest = this.ledger.bestDifficultyAllTime();
      for (const s of this.ledger.bestShares(this.scoreboard.size)) this.scoreboard.offer(s);
    }
    this.unsubscribe.push(
      this.bus.on('share', (e) => this.onShare(e)),
      this.bus.on('block', (e) => this.onBlock(e)),
      this.bus.on('pool', (e) => this.withLedger((l) => l.recordPoolEvent({ atMs: e.atMs, url: e.url, state: e.state, detail: e.detail }))),
    );
  }

  /** The first job sent to a board starts its hashrate clock (later calls keep the first). */
  recordJobStart(boardId: string, atMs: number, ticketWeight?: number): void {
    const board = this.board(boardId);
    if (ticketWeight !== undefined) {
      board.weight = ticketWeight;
      board.estimator.setWeight(ticketWeight);
      this.total.setWeight(ticketWeight);
      for (const chip of board.chips.values()) chip.estimator.setWeight(ticketWeight);
    }
    board.estimator.start(atMs);
    this.total.start(atMs);
    for (const chip of board.chips.values()) chip.estimator.start(atMs);
  }

  /** Every nonce the validator judged: counters, hashrate (valid only), best difficulty. */
  recordNonce(v: ValidatedNonce): void {
    const { boardId, chipIndex, receivedAtMs } = v.chipNonce;
    const board = this.board(boardId);
    const chip = this.chip(board, chipIndex);
    board.counters.nonces++;
    chip.counters.nonces++;
    if (v.verdict === 'hw-error') {
      board.counters.hwErrors++;
      chip.counters.hwErrors++;
      return;
    }
    if (v.verdict !== 'valid') return;
    board.counters.validNonces++;
    chip.counters.validNonces++;
    if (v.weight > 0 && Number.isFinite(v.weight)) {
      board.estimator.record(receivedAtMs, v.weight);
      chip.estimator.record(receivedAtMs, v.weight);
      this.total.record(receivedAtMs, v.weight);
    }
    const difficulty = v.difficulty;
    if (!(difficulty > 0)) return;
    if (difficulty > board.counters.bestDifficulty) board.counters.bestDifficulty = difficulty;
    const beatsSession = this.sessionBest === null || difficulty > this.sessionBest.difficulty;
    if (!beatsSession && !(difficulty > this.scoreboard.threshold)) return;
    const share: ScoredShare = {
      atMs: receivedAtMs,
      boardId,
      chipIndex,
      pool: v.job?.template.sourceId ?? 'unknown',
      difficulty,
      hash: v.hash ? hashToDisplayHex(v.hash) : null,
    };
    if (beatsSession) this.sessionBest = share;
    if (difficulty > this.allTimeBest) this.allTimeBest = difficulty;
    if (this.scoreboard.offer(share)) this.withLedger((l) => l.recordBestShare(share));
  }

  /** A total hash-counter read (register 0x8C) for one chip; returns its instant H/s or null. */
  recordCounter(boardId: string, chipIndex: number, count: number, atMs: number, maxPlausibleHs?: number): number | null {
    const chip = this.chip(this.board(boardId), chipIndex);
    chip.counter ??= new CounterHashrate({ maxPlausibleHs });
    return chip.counter.update(count, atMs);
  }

  /** Counter hashrate of one chip, or the sum over a board's chips that have counters (null if none). */
  counterHashrateHs(boardId: string, chipIndex?: number): number | null {
    const board = this.boards.get(boardId);
    if (!board) return null;
    if (chipIndex !== undefined) return board.chips.get(chipIndex)?.counter?.instantHs ?? null;
    let sum: number | null = null;
    for (const chip of board.chips.values()) {
      const hs = chip.counter?.instantHs;
      if (hs !== undefined && hs !== null) sum = (sum ?? 0) + hs;
    }
    return sum;
  }

  /**
   * A board paused (by the user or the schedule) or back at work: its hashrate clocks stop and
   * start again, and so does the total's while every board is paused. Paused time is recorded in
   * the ledger as paused, never as zero hashrate.
   */
  setBoardPaused(boardId: string, paused: boolean, atMs = this.nowMs()): void {
    const board = this.board(boardId);
    if (board.estimator.paused === paused) return;
    for (const e of [board.estimator, ...[...board.chips.values()].map((c) => c.estimator)]) {
      if (paused) e.pause(atMs);
      else e.resume(atMs);
    }
    if (!paused) this.resetCounters(boardId);
    const allPaused = [...this.boards.values()].every((b) => b.estimator.paused);
    if (allPaused) this.total.pause(atMs);
    else this.total.resume(atMs);
  }

  isBoardPaused(boardId: string): boolean {
    return this.boards.get(boardId)?.estimator.paused ?? false;
  }

  /** Forget a board's counter readings (chip stopped or re-initialised) so a resume does not spike. */
  resetCounters(boardId: string): void {
    for (const chip of this.boards.get(boardId)?.chips.values() ?? []) chip.counter?.reset();
  }

  boardIds(): string[] {
    return [...this.boards.keys()];
  }

  boardCounters(boardId: string): Counters {
    const board = this.boards.get(boardId);
    return board ? { ...board.counters } : emptyCounters();
  }

  chipCounters(boardId: string, chipIndex: number): ChipCounters {
    const chip = this.boards.get(boardId)?.chips.get(chipIndex);
    return chip ? { ...chip.counters } : { nonces: 0, validNonces: 0, hwErrors: 0 };
  }

  chipIndexes(boardId: string): number[] {
    return [...(this.boards.get(boardId)?.chips.keys() ?? [])].sort((a, b) => a - b);
  }

  totals(): Counters {
    const t = emptyCounters();
    for (const { counters: c } of this.boards.values()) {
      t.nonces += c.nonces;
      t.validNonces += c.validNonces;
      t.hwErrors += c.hwErrors;
      t.sharesAccepted += c.sharesAccepted;
      t.sharesRejected += c.sharesRejected;
      t.sharesStale += c.sharesStale;
      t.blocksFound += c.blocksFound;
      t.bestDifficulty = Math.max(t.bestDifficulty, c.bestDifficulty);
    }
    t.blocksFound += this.networkBlocksFound;
    return t;
  }

  /** Windows for the total, a board, or one chip of a board. */
  hashrate(boardId?: string, chipIndex?: number): HashrateWindows {
    const now = this.nowMs();
    return this.estimatorFor(boardId, chipIndex)?.windows(now) ?? { '1m': null, '10m': null, '1h': null, '24h': null };
  }

  /** Σ weights · 2^32 / seconds since the first job: the run's summary figure. */
  hashrateSinceStartHs(boardId?: string, chipIndex?: number): number {
    return this.estimatorFor(boardId, chipIndex)?.sinceStartHs(this.nowMs()) ?? 0;
  }

  /** The first job sent to any board (or to `boardId`). */
  firstJobAtMs(boardId?: string): number | null {
    return (boardId === undefined ? this.total : this.boards.get(boardId)?.estimator)?.startedAtMs ?? null;
  }

  /** Best valid nonce of this session, with time, board and pool. */
  bestSession(): ScoredShare | null {
    return this.sessionBest ? { ...this.sessionBest } : null;
  }

  /** Highest difficulty ever seen in this data directory (carried by the ledger across restarts). */
  bestDifficultyAllTime(): number {
    return this.allTimeBest;
  }

  /** The all-time scoreboard (top N), highest first. */
  topShares(): ScoredShare[] {
    return this.scoreboard.top();
  }

  /**
   * Writes one history sample per board plus the all-boards total (call every 5 s). Hashrate is
   * the 1 m nonce estimate; total power sums the boards that report it; total temperatures are
   * the hottest board's.
   */
  sampleToLedger(readings: readonly SensorReading[], atMs = this.nowMs()): void {
    const ledger = this.ledger;
    if (!ledger) return;
    let powerSum: number | null = null;
    let asicMax: number | null = null;
    let vrMax: number | null = null;
    const seen = new Set<string>();
    for (const r of readings) {
      seen.add(r.boardId);
      const paused = this.isBoardPaused(r.boardId);
      const hashrateHs = paused ? null : (this.boards.get(r.boardId)?.estimator.estimate('1m', atMs)?.valueHs ?? null);
      this.withLedger((l) => l.recordSample({ atMs, boardId: r.boardId, hashrateHs, powerW: r.powerW, asicTempC: r.asicTempC, vrTempC: r.vrTempC, fanRpm: r.fanRpm, paused }));
      if (r.powerW !== null) powerSum = (powerSum ?? 0) + r.powerW;
      if (r.asicTempC !== null) asicMax = Math.max(asicMax ?? -Infinity, r.asicTempC);
      if (r.vrTempC !== null) vrMax = Math.max(vrMax ?? -Infinity, r.vrTempC);
    }
    for (const [id, board] of this.boards) {
      if (seen.has(id)) continue;
      const paused = board.estimator.paused;
      const hashrateHs = paused ? null : (board.estimator.estimate('1m', atMs)?.valueHs ?? null);
      this.withLedger((l) => l.recordSample({ atMs, boardId: id, hashrateHs, powerW: null, asicTempC: null, vrTempC: null, fanRpm: null, paused }));
    }
    const totalPaused = this.total.paused;
    const totalHs = totalPaused ? null : (this.total.estimate('1m', atMs)?.valueHs ?? null);
    this.withLedger((l) => l.recordSample({ atMs, boardId: TOTAL_BOARD_ID, hashrateHs: totalHs, powerW: powerSum, asicTempC: asicMax, vrTempC: vrMax, fanRpm: null, paused: totalPaused }));
  }

  /** Clears session counters, hashrate and session best; running boards restart their clock now. */
  resetSession(): void {
    const now = this.nowMs();
    const totalStarted = this.total.startedAtMs !== null;
    this.total.reset();
    if (totalStarted) this.total.start(now);
    for (const board of this.boards.values()) {
      const started = board.estimator.startedAtMs !== null;
      board.counters = emptyCounters();
      board.estimator.reset();
      if (started) board.estimator.start(now);
      for (const chip of board.chips.values()) {
        chip.counters = { nonces: 0, validNonces: 0, hwErrors: 0 };
        chip.estimator.reset();
        chip.counter?.reset();
        if (started) chip.estimator.start(now);
      }
    }
    this.sessionBest = null;
    this.networkBlocksFound = 0;
  }

  /** Clears the all-time best and scoreboard (in the ledger too), and the session. Blocks stay recorded. */
  resetAllTime(): void {
    this.withLedger((l) => l.resetAllTime());
    this.scoreboard.clear();
    this.allTimeBest = 0;
    this.resetSession();
  }

  /** Stops listening to the bus (the ledger is closed by its owner). */
  dispose(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  // ---- internals ----

  private onShare(e: Extract<EngineEvent, { type: 'share' }>): void {
    if (e.result === 'pending') return;
    if (isNetworkMinerId(e.boardId)) {
      // A network miner's share sent on to the pool: in the ledger under its id, not a board's counters.
      this.withLedger((l) =>
        l.recordShare({
          atMs: e.atMs,
          boardId: e.boardId,
          pool: e.pool,
          difficulty: e.difficulty,
          targetDifficulty: e.targetDifficulty,
          result: e.result === 'accepted' ? 'accepted' : e.result === 'stale' ? 'stale' : 'rejected',
          reason: e.reason,
        }),
      );
      return;
    }
    const board = this.board(e.boardId);
    // Share events carry the reason text only: a code-21 reply already arrives as 'stale'.
    const stale = e.result === 'stale' || (e.result === 'rejected' && isStaleReject(null, e.reason));
    if (e.result === 'accepted') board.counters.sharesAccepted++;
    else if (stale) board.counters.sharesStale++;
    else board.counters.sharesRejected++;
    const result = e.result === 'accepted' ? 'accepted' : stale ? 'stale' : 'rejected';
    this.withLedger((l) => l.recordShare({ atMs: e.atMs, boardId: e.boardId, pool: e.pool, difficulty: e.difficulty, targetDifficulty: e.targetDifficulty, result, reason: e.reason }));
  }

  private onBlock(e: Extract<EngineEvent, { type: 'block' }>): void {
    if (e.accepted && isNetworkMinerId(e.boardId)) this.networkBlocksFound++;
    else if (e.accepted) this.board(e.boardId).counters.blocksFound++;
    if (!this.ledger) return;
    try {
      this.ledger.recordBlock({ atMs: e.atMs, height: e.height, hash: e.hash, result: e.result, accepted: e.accepted, boardId: e.boardId, source: e.source });
    } catch (err) {
      // Every failed block record is reported (not just the first ledger failure).
      this.bus.log('error', 'stats', `could not record block ${e.hash} in the ledger: ${(err as Error).message}`);
    }
  }

  private board(boardId: string): BoardTally {
    let board = this.boards.get(boardId);
    if (!board) {
      board = { counters: emptyCounters(), estimator: new HashrateEstimator(), chips: new Map(), weight: undefined };
      this.boards.set(boardId, board);
    }
    return board;
  }

  private chip(board: BoardTally, chipIndex: number): ChipState {
    let chip = board.chips.get(chipIndex);
    if (!chip) {
      chip = { counters: { nonces: 0, validNonces: 0, hwErrors: 0 }, estimator: new HashrateEstimator(), counter: null };
      const start = board.estimator.startedAtMs;
      if (start !== null) chip.estimator.start(start, board.weight);
      board.chips.set(chipIndex, chip);
    }
    return chip;
  }

  private estimatorFor(boardId?: string, chipIndex?: number): HashrateEstimator | undefined {
    if (boardId === undefined) return this.total;
    const board = this.boards.get(boardId);
    if (chipIndex === undefined) return board?.estimator;
    return board?.chips.get(chipIndex)?.estimator;
  }

  /** Ledger trouble (disk full, locked) must not stop mining: report once, carry on. */
  private withLedger(write: (ledger: Ledger) => unknown): void {
    if (!this.ledger) return;
    try {
      write(this.ledger);
    } catch (err) {
      if (!this.ledgerFailureReported) {
        this.ledgerFailureReported = true;
        this.bus.log('error', 'stats', `ledger write failed (statistics continue in memory): ${(err as Error).message}`);
      }
    }
  }
}
