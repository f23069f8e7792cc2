import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger, LEDGER_FILE_NAME, TOTAL_BOARD_ID } from '../../../src-main/stats/ledger.js';
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion } from '../../../src-main/stats/ledger-migrations.js';

const T0 = Date.UTC(2025, 10, 1, 12, 0, 0);
const dirs: string[] = [];
const open: Ledger[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hashdeck-ledger-'));
  dirs.push(dir);
  return dir;
}

function openLedger(dir: string, clock: { now: number }, extra: Partial<ConstructorParameters<typeof Ledger>[1]> = {}): Ledger {
  const l = Ledger.open(dir, { nowMs: () => clock.now, flushIntervalMs: 0, ...extra });
  open.push(l);
  return l;
}

afterEach(() => {
  for (const l of open.splice(0)) l.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('Ledger', () => {
  it('creates <dataDir>/ledger.sqlite in WAL mode at the latest schema', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const clock = { now: T0 };
    const l = openLedger(dir, clock);
    expect(fs.existsSync(path.join(dir, LEDGER_FILE_NAME))).toBe(true);
    l.close();
    const db = new Database(path.join(dir, LEDGER_FILE_NAME), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('upgrades a v1 database in order and keeps its data', () => {
    const dir = tempDir();
    const file = path.join(dir, LEDGER_FILE_NAME);
    const db = new Database(file);
    expect(migrate(db, 1, T0)).toEqual([1]);
    db.prepare('INSERT INTO best_shares (at_ms, board_id, pool, difficulty) VALUES (?, ?, ?, ?)').run(T0, 'b1', 'pool-a', 6_000_000_000);
    db.prepare("INSERT INTO blocks (at_ms, height, hash, result, accepted, board_id, source) VALUES (?, 900000, 'ab', 'accepted', 1, 'b1', 'node')").run(T0);
    db.close();

    const clock = { now: T0 + 1000 };
    const l = openLedger(dir, clock);
    expect(l.bestDifficultyAllTime()).toBe(6_000_000_000);
    expect(l.bestShares()[0]).toMatchObject({ boardId: 'b1', pool: 'pool-a', hash: null, chipIndex: null });
    expect(l.blocks()).toHaveLength(1);
    l.recordSample({ atMs: T0, boardId: 'b1', hashrateHs: 1e12, powerW: 15, asicTempC: 55, vrTempC: 60, fanRpm: 4000 });
    expect(l.history('1h', 'b1').points).toHaveLength(1);
    l.close();
    const check = new Database(file, { readonly: true });
    const versions = check.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>;
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
    check.close();
  });

  it('refuses a database from a newer schema with a clear message', () => {
    const dir = tempDir();
    const db = new Database(path.join(dir, LEDGER_FILE_NAME));
    migrate(db);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(LATEST_SCHEMA_VERSION + 1, 'future', T0);
    db.close();
    expect(() => Ledger.open(dir, { flushIntervalMs: 0 })).toThrow(/newer HashDeck/);
  });

  it('survives close and reopen: best shares beyond 32 bits, blocks, shares, samples', () => {
    const dir = tempDir();
    const clock = { now: T0 };
    let l = openLedger(dir, clock);
    const big = 123_456_789_012.5; // > 2^32: the 32-bit-truncation bug would lose it
    expect(l.recordBestShare({ atMs: T0, boardId: 'b1', pool: 'stratum+tcp://p:3333', difficulty: big, hash: '00'.repeat(32), chipIndex: 2 })).toBe(true);
    l.recordBlock({ atMs: T0, height: 925_001, hash: 'ff'.repeat(32), result: 'accepted', accepted: true, boardId: 'b1', source: 'http://127.0.0.1:8332' });
    l.recordShare({ atMs: T0 + 10, boardId: 'b1', pool: 'p', difficulty: 2000, targetDifficulty: 1000, result: 'accepted', reason: null });
    l.recordShare({ atMs: T0 + 20, boardId: 'b1', pool: 'p', difficulty: 1500, targetDifficulty: 1000, result: 'rejected', reason: 'Duplicate share' });
    l.recordPoolEvent({ atMs: T0, url: 'p', state: 'active', detail: null });
    l.recordSample({ atMs: T0, boardId: 'b1', hashrateHs: 1e12, powerW: null, asicTempC: 50, vrTempC: null, fanRpm: null });
    l.close(); // flushes the queue

    clock.now = T0 + 60_000;
    l = openLedger(dir, clock);
    expect(l.bestDifficultyAllTime()).toBe(big);
    expect(l.bestShares()[0]).toMatchObject({ difficulty: big, chipIndex: 2, hash: '00'.repeat(32) });
    expect(l.blocks()[0]).toMatchObject({ height: 925_001, accepted: true, source: 'http://127.0.0.1:8332' });
    expect(l.shareTotals()).toEqual([
      { pool: 'p', result: 'accepted', count: 1, targetDifficultySum: 1000, bestDifficulty: 2000 },
      { pool: 'p', result: 'rejected', count: 1, targetDifficultySum: 1000, bestDifficulty: 1500 },
    ]);
    const point = l.history('1h', 'b1').points[0]!;
    expect(point).toMatchObject({ hashrateHs: 1e12, powerW: null, asicTempC: 50, efficiencyJth: null });
    expect(l.exportCsv('pool-events', T0, T0 + 1)).toContain(',p,active,');
  });

  it('flushes queued rows on its own timer (visible to another connection)', async () => {
    const dir = tempDir();
    const l = Ledger.open(dir, { flushIntervalMs: 20 });
    open.push(l);
    l.recordPoolEvent({ atMs: T0, url: 'p', state: 'dead', detail: 'connection refused' });
    const reader = new Database(path.join(dir, LEDGER_FILE_NAME), { readonly: true });
    const count = () => (reader.prepare('SELECT COUNT(*) AS n FROM pool_events').get() as { n: number }).n;
    for (let i = 0; i < 100 && count() === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(count()).toBe(1);
    reader.close();
  });

  it('keeps only the top N best shares', () => {
    const clock = { now: T0 };
    const l = openLedger(tempDir(), clock, { bestSharesKept: 3 });
    const kept = [5, 1, 9, 3, 7, 2].map((d, i) => l.recordBestShare({ atMs: T0 + i, boardId: 'b', pool: 'p', difficulty: d, hash: null, chipIndex: 0 }));
    expect(kept).toEqual([true, true, true, true, true, false]);
    expect(l.bestShares().map((s) => s.difficulty)).toEqual([9, 7, 5]);
    l.resetAllTime();
    expect(l.bestDifficultyAllTime()).toBe(0);
    expect(l.bestShares()).toEqual([]);
  });

  it('aggregates every share per minute but keeps rows only for notable ones', () => {
    const clock = { now: T0 + 3_600_000 };
    const l = openLedger(tempDir(), clock, { keepShareAboveDifficulty: 1e6, batchSize: 100 });
    for (let i = 0; i < 250; i++) {
      l.recordShare({ atMs: T0 + i * 1000, boardId: 'b1', pool: 'p', difficulty: i === 17 ? 5e6 : 1000 + i, targetDifficulty: 1000, result: 'accepted', reason: null });
    }
    l.recordShare({ atMs: T0 + 5, boardId: 'b1', pool: 'p', difficulty: 900, targetDifficulty: 1000, result: 'stale', reason: 'Job not found' });
    const rows = l
      .exportCsv('shares', T0, T0 + 3_600_000)
      .trim()
      .split('\r\n');
    expect(rows).toHaveLength(3); // header + the 5e6 share + the stale one
    expect(rows[0]).toBe('time,time_ms,board_id,pool,difficulty,target_difficulty,result,reason');
    const minutes = l
      .exportCsv('share-minutes', T0, T0 + 3_600_000)
      .trim()
      .split('\r\n')
      .slice(1);
    // 250 s of accepted shares span minutes 0..4 (60+60+60+60+10), plus one stale row in minute 0.
    expect(minutes).toHaveLength(6);
    const totals = l.shareTotals();
    expect(totals.find((t) => t.result === 'accepted')).toMatchObject({ count: 250, targetDifficultySum: 250_000, bestDifficulty: 5e6 });
    expect(totals.find((t) => t.result === 'stale')!.count).toBe(1);
  });

  it('rolls samples into 5 s, 1 min and 1 h buckets and downsample() applies retention', () => {
    const clock = { now: T0 };
    const l = openLedger(tempDir(), clock);
    // 26 h of samples every 30 s (kept light) for one board and the total: hashrate alternates
    // 1 and 3 TH/s, so every minute averages 2.
    const span = 26 * 3_600_000;
    for (let t = 0; t < span; t += 30_000) {
      const odd = (t / 30_000) % 2 === 1;
      l.recordSample({ atMs: T0 + t, boardId: 'b1', hashrateHs: odd ? 3e12 : 1e12, powerW: 20, asicTempC: null, vrTempC: 60, fanRpm: 3000 });
      l.recordSample({ atMs: T0 + t, boardId: TOTAL_BOARD_ID, hashrateHs: odd ? 3e12 : 1e12, powerW: 20, asicTempC: null, vrTempC: null, fanRpm: null });
    }
    clock.now = T0 + span;
    const deleted = l.downsample();
    expect(deleted.deleted5s).toBe(2 * 2 * 120); // the first 2 h of 5 s rows, two series
    expect(deleted.deleted1m).toBe(0);

    const h1 = l.history('1h', 'b1');
    expect(h1.stepMs).toBe(5000);
    expect(h1.points).toHaveLength(120);
    expect(h1.points[1]!.atMs - h1.points[0]!.atMs).toBe(30_000);
    const h24 = l.history('24h');
    expect(h24.stepMs).toBe(60_000);
    expect(h24.points).toHaveLength(1440);
    expect(h24.points[0]!.hashrateHs).toBeCloseTo(2e12, 0);
    expect(h24.points[0]!.efficiencyJth).toBeCloseTo(10, 9); // 20 W / 2 TH/s
    expect(h24.points[0]!.asicTempC).toBeNull();
    const d30 = l.history('30d', 'b1');
    expect(d30.stepMs).toBe(3_600_000);
    expect(d30.points).toHaveLength(26);
    expect(d30.points[3]).toMatchObject({ hashrateHs: 2e12, powerW: 20, vrTempC: 60, fanRpm: 3000 });

    // 31 days later the minute rows go too; hourly rows stay forever.
    clock.now = T0 + span + 31 * 86_400_000;
    expect(l.downsample().deleted1m).toBe(2 * 26 * 60);
    expect(l.history('30d', 'b1').points).toHaveLength(0); // outside the 30-day view…
    const csv = l
      .exportCsv('samples', T0, T0 + span, 'b1')
      .trim()
      .split('\r\n');
    expect(csv).toHaveLength(1 + 26); // …but exported from the 1 h rollup
    expect(csv[1]!.split(',')[3]).toBe('3600');
  });

  it('writes safe CSV for outside text and rejects bad export arguments', () => {
    const clock = { now: T0 };
    const l = openLedger(tempDir(), clock);
    l.recordShare({ atMs: T0, boardId: 'b1', pool: 'p', difficulty: 10, targetDifficulty: 100, result: 'rejected', reason: '=HYPERLINK("x"), "low diff"' });
    const csv = l.exportCsv('shares', T0, T0 + 1);
    expect(csv.split('\r\n')[1]).toBe(`${new Date(T0).toISOString()},${T0},b1,p,10,100,rejected,"'=HYPERLINK(""x""), ""low diff"""`);
    expect(() => l.exportCsv('nope' as never, 0, 1)).toThrow(/unknown export kind/);
    expect(() => l.exportCsv('shares', 5, 1)).toThrow(/fromMs/);
    expect(() => l.history('2h' as never)).toThrow(/unknown history range/);
  });
});
