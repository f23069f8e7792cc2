/**
 * The on-disk ledger: `<dataDir>/ledger.sqlite` (better-sqlite3, WAL).
 *
 * - shares: every share is added to a per-minute aggregate (share_minutes); individual rows are
 *   kept only for shares that were not accepted or reach `keepShareAboveDifficulty`.
 * - best_shares: the top N valid nonces of all time, difficulty as a 64-bit REAL (never a
 *   32-bit integer, docs/design.md §7) plus the hash hex for an exact record.
 * - blocks: written at once, synchronously (never lose a block); a stats reset keeps them.
 * - samples: each sample is added to 5 s, 1 min and 1 h buckets at write time (sums and counts,
 *   so averages stay exact and null sensors stay unknown); `downsample()` drops 5 s buckets after
 *   24 h and 1 min buckets after 30 d. 1 h buckets are kept forever. A paused board's samples are
 *   counted as paused and carry no hashrate, so a paused hour reads as paused, never as zero.
 *
 * High-rate writes (shares, samples, pool events) are queued and written in one transaction per
 * flush (batch size or timer); reads flush first.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './ledger-migrations.js';
import { toCsv, type CsvCell } from './csv.js';

export const LEDGER_FILE_NAME = 'ledger.sqlite';
/** board_id of the all-boards rows in samples. */
export const TOTAL_BOARD_ID = '*';

const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
export const SAMPLE_5S_KEEP_MS = DAY_MS;
export const SAMPLE_1M_KEEP_MS = 30 * DAY_MS;

export type ShareResult = 'accepted' | 'rejected' | 'stale';

export interface ShareRecord {
  atMs: number;
  boardId: string;
  pool: string;
  /** Re-hashed difficulty of the share. */
  difficulty: number;
  /** Pool difficulty it was submitted against (what the pool credits). */
  targetDifficulty: number;
  result: ShareResult;
  reason: string | null;
}

export interface BestShareRecord {
  atMs: number;
  boardId: string;
  pool: string;
  difficulty: number;
  /** Block-hash display hex of the share, when known. */
  hash: string | null;
  chipIndex: number | null;
}

export interface BlockRecord {
  atMs: number;
  height: number | null;
  hash: string;
  result: string;
  accepted: boolean;
  boardId: string;
  source: string;
}

/** A row of the blocks table as SQLite gives it. */
export interface BlockRow {
  at_ms: number;
  height: number | null;
  hash: string;
  result: string;
  accepted: number;
  board_id: string;
  source: string;
}

export function blockRecordFromRow(r: BlockRow): BlockRecord {
  return { atMs: r.at_ms, height: r.height, hash: r.hash, result: r.result, accepted: r.accepted === 1, boardId: r.board_id, source: r.source };
}

export interface PoolEventRecord {
  atMs: number;
  url: string;
  state: string;
  detail: string | null;
}

export interface SampleRecord {
  atMs: number;
  /** A board id, or TOTAL_BOARD_ID for all boards. */
  boardId: string;
  hashrateHs: number | null;
  powerW: number | null;
  asicTempC: number | null;
  vrTempC: number | null;
  fanRpm: number | null;
  /** The board (or, for the total, every board) was paused: no hashrate is recorded for it. */
  paused?: boolean;
}

export type HistoryRange = '1h' | '24h' | '30d';

export interface HistoryPoint {
  atMs: number;
  hashrateHs: number | null;
  powerW: number | null;
  asicTempC: number | null;
  vrTempC: number | null;
  fanRpm: number | null;
  /** J/TH from this point's own power and hashrate. */
  efficiencyJth: number | null;
  /** Every sample in the bucket was paused: hashrateHs is null because nothing was meant to hash. */
  paused: boolean;
  /** Share of the bucket's samples that were paused (0..1). */
  pausedFraction: number;
}

export interface HistorySeries {
  range: HistoryRange;
  boardId: string;
  stepMs: number;
  fromMs: number;
  toMs: number;
  points: HistoryPoint[];
}

export type CsvKind = 'shares' | 'share-minutes' | 'best-shares' | 'blocks' | 'pool-events' | 'samples';
export const CSV_KINDS: readonly CsvKind[] = ['shares', 'share-minutes', 'best-shares', 'blocks', 'pool-events', 'samples'];

export interface LedgerOptions {
  nowMs?: () => number;
  /** How many best shares are kept (default 20). */
  bestSharesKept?: number;
  /** Accepted shares at or above this difficulty keep an individual row (default 1e6). */
  keepShareAboveDifficulty?: number;
  /** Queued writes are flushed at this many rows (default 500)… */
  batchSize?: number;
  /** …or after this long (default 1000 ms; 0 = no timer, flush on reads/close only). */
  flushIntervalMs?: number;
  /** Called when a timed flush fails (disk full, locked); default: one process warning. */
  onError?: (err: Error) => void;
}

interface SampleTable {
  name: 'samples_5s' | 'samples_1m' | 'samples_1h';
  bucketMs: number;
}
const SAMPLE_TABLES: readonly SampleTable[] = [
  { name: 'samples_5s', bucketMs: 5 * SECOND_MS },
  { name: 'samples_1m', bucketMs: MINUTE_MS },
  { name: 'samples_1h', bucketMs: HOUR_MS },
];
const HISTORY: Readonly<Record<HistoryRange, { table: SampleTable; spanMs: number }>> = {
  '1h': { table: SAMPLE_TABLES[0]!, spanMs: HOUR_MS },
  '24h': { table: SAMPLE_TABLES[1]!, spanMs: DAY_MS },
  '30d': { table: SAMPLE_TABLES[2]!, spanMs: 30 * DAY_MS },
};

type Queued = { kind: 'share'; record: ShareRecord } | { kind: 'sample'; record: SampleRecord } | { kind: 'pool'; record: PoolEventRecord };

interface SampleRow {
  bucket_ms: number;
  board_id: string;
  hashrate_sum: number;
  hashrate_n: number;
  power_sum: number;
  power_n: number;
  asic_temp_sum: number;
  asic_temp_n: number;
  vr_temp_sum: number;
  vr_temp_n: number;
  fan_sum: number;
  fan_n: number;
  paused_n: number;
  sample_n: number;
}

export class Ledger {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly nowMs: () => number;
  private readonly bestSharesKept: number;
  private readonly keepShareAboveDifficulty: number;
  private readonly batchSize: number;
  private readonly timer: NodeJS.Timeout | null;
  private queue: Queued[] = [];
  private closed = false;
  private readonly stmt: ReturnType<Ledger['prepare']>;

  /** Opens (creating if needed) `<dataDir>/ledger.sqlite` and brings its schema up to date. */
  static open(dataDir: string, options: LedgerOptions = {}): Ledger {
    fs.mkdirSync(dataDir, { recursive: true });
    return new Ledger(path.join(dataDir, LEDGER_FILE_NAME), options);
  }

  constructor(file: string, options: LedgerOptions = {}) {
    this.path = file;
    this.nowMs = options.nowMs ?? Date.now;
    this.bestSharesKept = options.bestSharesKept ?? 20;
    this.keepShareAboveDifficulty = options.keepShareAboveDifficulty ?? 1e6;
    this.batchSize = options.batchSize ?? 500;
    try {
      this.db = new Database(file);
    } catch (err) {
      throw new Error(`cannot open the ledger at ${file}: ${(err as Error).message}`);
    }
    try {
      this.db.pragma('journal_mode = WAL');
      // NORMAL is durable across application crashes in WAL mode; blocks get a full sync below.
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 2000');
      migrate(this.db, undefined, this.nowMs());
      this.stmt = this.prepare();
    } catch (err) {
      this.db.close();
      throw new Error(`cannot open the ledger at ${file}: ${(err as Error).message}`);
    }
    const flushIntervalMs = options.flushIntervalMs ?? 1000;
    let warned = false;
    const onError =
      options.onError ??
      ((err: Error) => {
        if (!warned) process.emitWarning(`ledger flush failed: ${err.message}`);
        warned = true;
      });
    // A failing timed flush must never become an uncaught exception in the engine.
    const timedFlush = () => {
      try {
        this.flush();
      } catch (err) {
        onError(err as Error);
      }
    };
    this.timer = flushIntervalMs > 0 ? setInterval(timedFlush, flushIntervalMs) : null;
    this.timer?.unref();
  }

  private prepare() {
    const sampleUpserts = SAMPLE_TABLES.map((t) => ({
      table: t,
      stmt: this.db.prepare(`INSERT INTO ${t.name} (bucket_ms, board_id, hashrate_sum, hashrate_n, power_sum, power_n,
          asic_temp_sum, asic_temp_n, vr_temp_sum, vr_temp_n, fan_sum, fan_n, paused_n, sample_n)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
        ON CONFLICT (bucket_ms, board_id) DO UPDATE SET
          hashrate_sum = hashrate_sum + excluded.hashrate_sum, hashrate_n = hashrate_n + excluded.hashrate_n,
          power_sum = power_sum + excluded.power_sum, power_n = power_n + excluded.power_n,
          asic_temp_sum = asic_temp_sum + excluded.asic_temp_sum, asic_temp_n = asic_temp_n + excluded.asic_temp_n,
          vr_temp_sum = vr_temp_sum + excluded.vr_temp_sum, vr_temp_n = vr_temp_n + excluded.vr_temp_n,
          fan_sum = fan_sum + excluded.fan_sum, fan_n = fan_n + excluded.fan_n,
          paused_n = paused_n + excluded.paused_n, sample_n = sample_n + 1`),
    }));
    return {
      insertShare: this.db.prepare('INSERT INTO shares (at_ms, board_id, pool, difficulty, target_difficulty, result, reason) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      upsertShareMinute: this.db.prepare(`INSERT INTO share_minutes
          (minute_ms, board_id, pool, result, count, difficulty_sum, target_difficulty_sum, best_difficulty)
        VALUES (?, ?, ?, ?, 1, ?, ?, ?)
        ON CONFLICT (minute_ms, board_id, pool, result) DO UPDATE SET
          count = count + 1,
          difficulty_sum = difficulty_sum + excluded.difficulty_sum,
          target_difficulty_sum = target_difficulty_sum + excluded.target_difficulty_sum,
          best_difficulty = MAX(best_difficulty, excluded.best_difficulty)`),
      insertPoolEvent: this.db.prepare('INSERT INTO pool_events (at_ms, url, state, detail) VALUES (?, ?, ?, ?)'),
      insertBlock: this.db.prepare('INSERT INTO blocks (at_ms, height, hash, result, accepted, board_id, source) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      insertBest: this.db.prepare('INSERT INTO best_shares (at_ms, board_id, pool, difficulty, hash, chip_index) VALUES (?, ?, ?, ?, ?, ?)'),
      pruneBest: this.db.prepare('DELETE FROM best_shares WHERE id NOT IN (SELECT id FROM best_shares ORDER BY difficulty DESC, at_ms ASC, id ASC LIMIT ?)'),
      bestCutoff: this.db.prepare('SELECT COUNT(*) AS n, MIN(difficulty) AS lowest FROM (SELECT difficulty FROM best_shares ORDER BY difficulty DESC LIMIT ?)'),
      bestMax: this.db.prepare('SELECT MAX(difficulty) AS best FROM best_shares'),
      sampleUpserts,
    };
  }

  // ---- writes ----

  /** Queues a share with a final pool verdict. */
  recordShare(record: ShareRecord): void {
    this.enqueue({ kind: 'share', record });
  }

  recordSample(record: SampleRecord): void {
    this.enqueue({ kind: 'sample', record });
  }

  recordPoolEvent(record: PoolEventRecord): void {
    this.enqueue({ kind: 'pool', record });
  }

  /** Written at once with a full sync: a found block must survive a crash right after. */
  recordBlock(record: BlockRecord): void {
    this.assertOpen();
    this.stmt.insertBlock.run(record.atMs, record.height, record.hash, record.result, record.accepted ? 1 : 0, record.boardId, record.source);
    this.db.pragma('wal_checkpoint(FULL)');
  }

  /** Adds a share to the all-time top N if it belongs there. Returns whether it was kept. */
  recordBestShare(record: BestShareRecord): boolean {
    this.assertOpen();
    if (!(record.difficulty > 0) || !Number.isFinite(record.difficulty)) return false;
    const cutoff = this.stmt.bestCutoff.get(this.bestSharesKept) as { n: number; lowest: number | null };
    if (cutoff.n >= this.bestSharesKept && cutoff.lowest !== null && record.difficulty <= cutoff.lowest) return false;
    this.db.transaction(() => {
      this.stmt.insertBest.run(record.atMs, record.boardId, record.pool, record.difficulty, record.hash, record.chipIndex);
      this.stmt.pruneBest.run(this.bestSharesKept);
    })();
    return true;
  }

  /** Writes every queued row in one transaction. */
  flush(): void {
    if (this.closed || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.db.transaction(() => {
      for (const item of batch) {
        if (item.kind === 'share') this.writeShare(item.record);
        else if (item.kind === 'sample') this.writeSample(item.record);
        else this.stmt.insertPoolEvent.run(item.record.atMs, item.record.url, item.record.state, item.record.detail);
      }
    })();
  }

  /** Drops 5 s buckets older than 24 h and 1 min buckets older than 30 d (1 h kept forever). */
  downsample(nowMs = this.nowMs()): { deleted5s: number; deleted1m: number } {
    this.flush();
    const deleted5s = this.db.prepare('DELETE FROM samples_5s WHERE bucket_ms < ?').run(nowMs - SAMPLE_5S_KEEP_MS).changes;
    const deleted1m = this.db.prepare('DELETE FROM samples_1m WHERE bucket_ms < ?').run(nowMs - SAMPLE_1M_KEEP_MS).changes;
    return { deleted5s, deleted1m };
  }

  /** Clears best difficulty, the scoreboard and share records. Blocks, pool events and samples stay. */
  resetAllTime(): void {
    this.flush();
    this.db.transaction(() => {
      this.db.exec('DELETE FROM best_shares; DELETE FROM shares; DELETE FROM share_minutes;');
    })();
  }

  close(): void {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    this.flush();
    this.closed = true;
    this.db.close();
  }

  // ---- reads ----

  /** SQLite's quick consistency check: null when the file is sound, else what is wrong. */
  quickCheck(): string | null {
    this.assertOpen();
    try {
      const rows = this.db.pragma('quick_check') as Array<{ quick_check: string }>;
      const problems = rows.map((r) => r.quick_check).filter((t) => t !== 'ok');
      return problems.length ? problems.slice(0, 3).join('; ') : null;
    } catch (err) {
      return (err as Error).message;
    }
  }

  bestDifficultyAllTime(): number {
    this.assertOpen();
    return (this.stmt.bestMax.get() as { best: number | null }).best ?? 0;
  }

  /** Highest accepted share difficulty of one board or network miner (`net:<worker>`) in the ledger; 0 when none. */
  bestShareDifficulty(boardId: string): number {
    this.assertOpen();
    this.flush();
    const row = this.db.prepare("SELECT MAX(best_difficulty) AS best FROM share_minutes WHERE board_id = ? AND result = 'accepted'").get(boardId) as { best: number | null };
    return row.best ?? 0;
  }

  bestShares(limit = this.bestSharesKept): BestShareRecord[] {
    this.assertOpen();
    const rows = this.db.prepare('SELECT at_ms, board_id, pool, difficulty, hash, chip_index FROM best_shares ORDER BY difficulty DESC, at_ms ASC LIMIT ?').all(limit) as Array<{
      at_ms: number;
      board_id: string;
      pool: string;
      difficulty: number;
      hash: string | null;
      chip_index: number | null;
    }>;
    return rows.map((r) => ({ atMs: r.at_ms, boardId: r.board_id, pool: r.pool, difficulty: r.difficulty, hash: r.hash, chipIndex: r.chip_index }));
  }

  blocks(): BlockRecord[] {
    this.assertOpen();
    return (this.db.prepare('SELECT * FROM blocks ORDER BY at_ms, id').all() as BlockRow[]).map(blockRecordFromRow);
  }

  /** Share counts and difficulty sums per pool and result, from the per-minute aggregates. */
  shareTotals(fromMs = 0, toMs = Number.MAX_SAFE_INTEGER): Array<{ pool: string; result: ShareResult; count: number; targetDifficultySum: number; bestDifficulty: number }> {
    this.flush();
    const rows = this.db
      .prepare(
        `SELECT pool, result, SUM(count) AS count, SUM(target_difficulty_sum) AS tsum, MAX(best_difficulty) AS best
        FROM share_minutes WHERE minute_ms >= ? AND minute_ms < ? GROUP BY pool, result ORDER BY pool, result`,
      )
      .all(Math.floor(fromMs / MINUTE_MS) * MINUTE_MS, toMs) as Array<{ pool: string; result: ShareResult; count: number; tsum: number; best: number }>;
    return rows.map((r) => ({ pool: r.pool, result: r.result, count: r.count, targetDifficultySum: r.tsum, bestDifficulty: r.best }));
  }

  /** Chart series: 5 s points for 1 h, 1 min points for 24 h, 1 h points for 30 d. */
  history(range: HistoryRange, boardId: string = TOTAL_BOARD_ID): HistorySeries {
    const spec = HISTORY[range];
    if (!spec) throw new Error(`unknown history range "${String(range)}" (use 1h, 24h or 30d)`);
    this.flush();
    const toMs = this.nowMs();
    const fromMs = toMs - spec.spanMs;
    // The bucket holding "now" is included (it is partial).
    const rows = this.sampleRows(spec.table, fromMs, toMs + 1, boardId);
    return { range, boardId, stepMs: spec.table.bucketMs, fromMs, toMs, points: rows.map(toPoint) };
  }

  /** CSV of one record kind in [fromMs, toMs). Samples come from the finest rollup still kept for fromMs. */
  exportCsv(kind: CsvKind, fromMs: number, toMs: number, boardId?: string): string {
    if (!CSV_KINDS.includes(kind)) throw new Error(`unknown export kind "${String(kind)}" (use ${CSV_KINDS.join(', ')})`);
    if (!(Number.isFinite(fromMs) && Number.isFinite(toMs) && fromMs <= toMs)) throw new Error('export range needs finite fromMs ≤ toMs');
    this.flush();
    const iso = (ms: number) => new Date(ms).toISOString();
    const board = boardId === undefined ? '' : ' AND board_id = ?';
    const args = boardId === undefined ? [fromMs, toMs] : [fromMs, toMs, boardId];
    const all = <T>(sql: string) => this.db.prepare(sql).all(...args) as T[];
    switch (kind) {
      case 'shares': {
        const rows = all<{ at_ms: number; board_id: string; pool: string; difficulty: number; target_difficulty: number; result: string; reason: string | null }>(
          `SELECT * FROM shares WHERE at_ms >= ? AND at_ms < ?${board} ORDER BY at_ms, id`,
        );
        return toCsv(
          ['time', 'time_ms', 'board_id', 'pool', 'difficulty', 'target_difficulty', 'result', 'reason'],
          rows.map((r) => [iso(r.at_ms), r.at_ms, r.board_id, r.pool, r.difficulty, r.target_difficulty, r.result, r.reason]),
        );
      }
      case 'share-minutes': {
        const rows = all<{ minute_ms: number; board_id: string; pool: string; result: string; count: number; difficulty_sum: number; target_difficulty_sum: number; best_difficulty: number }>(
          `SELECT * FROM share_minutes WHERE minute_ms >= ? AND minute_ms < ?${board} ORDER BY minute_ms, board_id, pool, result`,
        );
        return toCsv(
          ['minute', 'minute_ms', 'board_id', 'pool', 'result', 'count', 'difficulty_sum', 'target_difficulty_sum', 'best_difficulty'],
          rows.map((r) => [iso(r.minute_ms), r.minute_ms, r.board_id, r.pool, r.result, r.count, r.difficulty_sum, r.target_difficulty_sum, r.best_difficulty]),
        );
      }
      case 'best-shares': {
        const rows = all<{ at_ms: number; board_id: string; pool: string; difficulty: number; hash: string | null; chip_index: number | null }>(
          `SELECT * FROM best_shares WHERE at_ms >= ? AND at_ms < ?${board} ORDER BY difficulty DESC, at_ms`,
        );
        return toCsv(
          ['time', 'time_ms', 'board_id', 'chip_index', 'pool', 'difficulty', 'hash'],
          rows.map((r) => [iso(r.at_ms), r.at_ms, r.board_id, r.chip_index, r.pool, r.difficulty, r.hash]),
        );
      }
      case 'blocks': {
        const rows = all<{ at_ms: number; height: number | null; hash: string; result: string; accepted: number; board_id: string; source: string }>(
          `SELECT * FROM blocks WHERE at_ms >= ? AND at_ms < ?${board} ORDER BY at_ms, id`,
        );
        return toCsv(
          ['time', 'time_ms', 'height', 'hash', 'result', 'accepted', 'board_id', 'source'],
          rows.map((r) => [iso(r.at_ms), r.at_ms, r.height, r.hash, r.result, r.accepted === 1, r.board_id, r.source]),
        );
      }
      case 'pool-events': {
        // Pool events have no board; the board filter does not apply.
        const rows = this.db.prepare('SELECT * FROM pool_events WHERE at_ms >= ? AND at_ms < ? ORDER BY at_ms, id').all(fromMs, toMs) as Array<{
          at_ms: number;
          url: string;
          state: string;
          detail: string | null;
        }>;
        return toCsv(
          ['time', 'time_ms', 'url', 'state', 'detail'],
          rows.map((r) => [iso(r.at_ms), r.at_ms, r.url, r.state, r.detail]),
        );
      }
      case 'samples': {
        const now = this.nowMs();
        const table = fromMs >= now - SAMPLE_5S_KEEP_MS ? SAMPLE_TABLES[0]! : fromMs >= now - SAMPLE_1M_KEEP_MS ? SAMPLE_TABLES[1]! : SAMPLE_TABLES[2]!;
        const rows = this.sampleRows(table, fromMs, toMs, boardId);
        const header = ['time', 'time_ms', 'board_id', 'step_s', 'hashrate_hs', 'power_w', 'asic_temp_c', 'vr_temp_c', 'fan_rpm', 'efficiency_j_per_th', 'paused_fraction'];
        const cells = rows.map((r): CsvCell[] => {
          const p = toPoint(r);
          return [iso(p.atMs), p.atMs, r.board_id, table.bucketMs / 1000, p.hashrateHs, p.powerW, p.asicTempC, p.vrTempC, p.fanRpm, p.efficiencyJth, p.pausedFraction];
        });
        return toCsv(header, cells);
      }
    }
  }

  // ---- internals ----

  private enqueue(item: Queued): void {
    this.assertOpen();
    this.queue.push(item);
    if (this.queue.length >= this.batchSize) this.flush();
  }

  private writeShare(s: ShareRecord): void {
    const minuteMs = Math.floor(s.atMs / MINUTE_MS) * MINUTE_MS;
    this.stmt.upsertShareMinute.run(minuteMs, s.boardId, s.pool, s.result, s.difficulty, s.targetDifficulty, s.difficulty);
    if (s.result !== 'accepted' || s.difficulty >= this.keepShareAboveDifficulty) {
      this.stmt.insertShare.run(s.atMs, s.boardId, s.pool, s.difficulty, s.targetDifficulty, s.result, s.reason);
    }
  }

  private writeSample(s: SampleRecord): void {
    const part = (v: number | null): [number, number] => (v === null || !Number.isFinite(v) ? [0, 0] : [v, 1]);
    const paused = s.paused === true;
    const values = [...part(paused ? null : s.hashrateHs), ...part(s.powerW), ...part(s.asicTempC), ...part(s.vrTempC), ...part(s.fanRpm), paused ? 1 : 0];
    for (const { table, stmt } of this.stmt.sampleUpserts) {
      stmt.run(Math.floor(s.atMs / table.bucketMs) * table.bucketMs, s.boardId, ...values);
    }
  }

  private sampleRows(table: SampleTable, fromMs: number, toMs: number, boardId: string | undefined): SampleRow[] {
    const from = Math.floor(fromMs / table.bucketMs) * table.bucketMs;
    if (boardId === undefined) {
      return this.db.prepare(`SELECT * FROM ${table.name} WHERE bucket_ms >= ? AND bucket_ms < ? ORDER BY bucket_ms, board_id`).all(from, toMs) as SampleRow[];
    }
    return this.db.prepare(`SELECT * FROM ${table.name} WHERE bucket_ms >= ? AND bucket_ms < ? AND board_id = ? ORDER BY bucket_ms`).all(from, toMs, boardId) as SampleRow[];
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the ledger is closed');
  }
}

function toPoint(r: SampleRow): HistoryPoint {
  const avg = (sum: number, n: number) => (n > 0 ? sum / n : null);
  const hashrateHs = avg(r.hashrate_sum, r.hashrate_n);
  const powerW = avg(r.power_sum, r.power_n);
  return {
    atMs: r.bucket_ms,
    hashrateHs,
    powerW,
    asicTempC: avg(r.asic_temp_sum, r.asic_temp_n),
    vrTempC: avg(r.vr_temp_sum, r.vr_temp_n),
    fanRpm: avg(r.fan_sum, r.fan_n),
    efficiencyJth: hashrateHs !== null && hashrateHs > 0 && powerW !== null ? powerW / (hashrateHs / 1e12) : null,
    // Rows from before schema v3 have no sample count: never paused.
    paused: r.paused_n > 0 && r.hashrate_n === 0,
    pausedFraction: r.sample_n > 0 ? Math.min(1, r.paused_n / r.sample_n) : 0,
  };
}
