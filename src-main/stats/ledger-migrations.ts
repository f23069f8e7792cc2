/**
 * Versioned schema of the ledger. Migrations are applied in order, each in its own transaction,
 * and recorded in schema_migrations; a database newer than this code is refused rather than
 * guessed at. Never edit a released migration: add the next one.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  description: string;
  up(db: Database.Database): void;
}

/** The rollup tables for samples: same columns, different bucket lengths. */
const SAMPLE_COLUMNS = `
  bucket_ms INTEGER NOT NULL,
  board_id TEXT NOT NULL,
  hashrate_sum REAL NOT NULL DEFAULT 0, hashrate_n INTEGER NOT NULL DEFAULT 0,
  power_sum REAL NOT NULL DEFAULT 0, power_n INTEGER NOT NULL DEFAULT 0,
  asic_temp_sum REAL NOT NULL DEFAULT 0, asic_temp_n INTEGER NOT NULL DEFAULT 0,
  vr_temp_sum REAL NOT NULL DEFAULT 0, vr_temp_n INTEGER NOT NULL DEFAULT 0,
  fan_sum REAL NOT NULL DEFAULT 0, fan_n INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (bucket_ms, board_id)`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'shares, best shares, blocks, pool events',
    up(db) {
      db.exec(`
        CREATE TABLE shares (
          id INTEGER PRIMARY KEY,
          at_ms INTEGER NOT NULL,
          board_id TEXT NOT NULL,
          pool TEXT NOT NULL,
          difficulty REAL NOT NULL,
          target_difficulty REAL NOT NULL,
          result TEXT NOT NULL,
          reason TEXT
        );
        CREATE INDEX shares_at ON shares(at_ms);
        CREATE TABLE best_shares (
          id INTEGER PRIMARY KEY,
          at_ms INTEGER NOT NULL,
          board_id TEXT NOT NULL,
          pool TEXT NOT NULL,
          difficulty REAL NOT NULL
        );
        CREATE INDEX best_shares_difficulty ON best_shares(difficulty DESC);
        CREATE TABLE blocks (
          id INTEGER PRIMARY KEY,
          at_ms INTEGER NOT NULL,
          height INTEGER,
          hash TEXT NOT NULL,
          result TEXT NOT NULL,
          accepted INTEGER NOT NULL,
          board_id TEXT NOT NULL,
          source TEXT NOT NULL
        );
        CREATE TABLE pool_events (
          id INTEGER PRIMARY KEY,
          at_ms INTEGER NOT NULL,
          url TEXT NOT NULL,
          state TEXT NOT NULL,
          detail TEXT
        );
        CREATE INDEX pool_events_at ON pool_events(at_ms);
      `);
    },
  },
  {
    version: 2,
    description: 'per-minute share aggregates; best-share hash and chip; sample rollups 5 s / 1 min / 1 h',
    up(db) {
      db.exec(`
        CREATE TABLE share_minutes (
          minute_ms INTEGER NOT NULL,
          board_id TEXT NOT NULL,
          pool TEXT NOT NULL,
          result TEXT NOT NULL,
          count INTEGER NOT NULL,
          difficulty_sum REAL NOT NULL,
          target_difficulty_sum REAL NOT NULL,
          best_difficulty REAL NOT NULL,
          PRIMARY KEY (minute_ms, board_id, pool, result)
        );
        ALTER TABLE best_shares ADD COLUMN hash TEXT;
        ALTER TABLE best_shares ADD COLUMN chip_index INTEGER;
        CREATE TABLE samples_5s (${SAMPLE_COLUMNS});
        CREATE TABLE samples_1m (${SAMPLE_COLUMNS});
        CREATE TABLE samples_1h (${SAMPLE_COLUMNS});
      `);
    },
  },
  {
    version: 3,
    description: 'samples count paused samples (a paused board is not a zero-hashrate board) and all samples',
    up(db) {
      for (const table of ['samples_5s', 'samples_1m', 'samples_1h']) {
        db.exec(`ALTER TABLE ${table} ADD COLUMN paused_n INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE ${table} ADD COLUMN sample_n INTEGER NOT NULL DEFAULT 0;`);
      }
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Current schema version of a database (0 for a new one). */
export function schemaVersion(db: Database.Database): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at_ms INTEGER NOT NULL
  )`);
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/** Applies every pending migration up to `targetVersion` (default: latest). Returns the versions applied. */
export function migrate(db: Database.Database, targetVersion = LATEST_SCHEMA_VERSION, nowMs = Date.now()): number[] {
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) {
    throw new Error(`the ledger was written by a newer HashDeck (schema v${current}, this version knows up to v${LATEST_SCHEMA_VERSION}); update HashDeck or use another data directory`);
  }
  const applied: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, description, applied_at_ms) VALUES (?, ?, ?)');
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > targetVersion) continue;
    db.transaction(() => {
      m.up(db);
      record.run(m.version, m.description, nowMs);
    })();
    applied.push(m.version);
  }
  return applied;
}
