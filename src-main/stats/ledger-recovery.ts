/**
 * Opening the ledger when it may be damaged (a disk that filled up, a truncated copy, a bad
 * sector). A damaged ledger never stops mining and is never lost in silence: it is moved aside
 * under a name that says so, what can still be read from it (the best shares, hence the all-time
 * best, and the blocks) is carried into a new ledger, and the caller gets one sentence to show.
 * Found blocks also live as files in `<dataDir>/blocks/` (work/block-store), which this never touches.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { blockRecordFromRow, Ledger, LEDGER_FILE_NAME, type BestShareRecord, type BlockRecord, type BlockRow, type LedgerOptions } from './ledger.js';

export interface LedgerRecovery {
  /** What the user is told (one sentence or two, with the file names). */
  message: string;
  /** Where the damaged file went (null when there was nothing to move, e.g. an empty file). */
  movedTo: string | null;
  bestShares: number;
  blocks: number;
  bestDifficulty: number;
}

export interface OpenedLedger {
  ledger: Ledger;
  /** Null when the ledger opened cleanly. */
  recovery: LedgerRecovery | null;
}

/** Open `<dataDir>/ledger.sqlite`, recovering from damage as described above. */
export function openLedger(dataDir: string, options: LedgerOptions = {}, nowMs: () => number = Date.now): OpenedLedger {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LEDGER_FILE_NAME);
  const sizeBefore = fileSize(file);
  let problem: string | null = null;
  try {
    const ledger = Ledger.open(dataDir, options);
    problem = ledger.quickCheck();
    if (problem === null) {
      const recovery =
        sizeBefore === 0
          ? {
              message: `The ledger ${file} was an empty file (0 bytes): a new ledger was started in its place, and the history it held before is not in it.`,
              movedTo: null,
              bestShares: 0,
              blocks: 0,
              bestDifficulty: 0,
            }
          : null;
      return { ledger, recovery };
    }
    ledger.close();
  } catch (err) {
    problem = (err as Error).message.replace(/^cannot open the ledger at .*?: /, '');
  }
  const movedTo = moveAside(file, nowMs());
  const salvaged = salvage(movedTo);
  const ledger = Ledger.open(dataDir, options);
  for (const s of salvaged.bestShares) ledger.recordBestShare(s);
  for (const b of salvaged.blocks) ledger.recordBlock(b);
  const bestDifficulty = salvaged.bestShares.reduce((m, s) => Math.max(m, s.difficulty), 0);
  const kept = salvaged.readable
    ? `Recovered from it: ${salvaged.bestShares.length} best share(s) (all-time best ${bestDifficulty}) and ${salvaged.blocks.length} block record(s).`
    : 'Nothing could be read from it; the block files in the blocks folder are untouched.';
  return {
    ledger,
    recovery: {
      message: `The ledger ${file} is damaged (${problem}): it was moved to ${movedTo} and a new ledger was started. ${kept}`,
      movedTo,
      bestShares: salvaged.bestShares.length,
      blocks: salvaged.blocks.length,
      bestDifficulty,
    },
  };
}

function fileSize(file: string): number | null {
  try {
    return fs.statSync(file).size;
  } catch {
    return null;
  }
}

/** `ledger.sqlite` (and its WAL and shared-memory files) → `ledger.damaged-<time>.sqlite…`. */
function moveAside(file: string, atMs: number): string {
  const stamp = new Date(atMs).toISOString().replace(/[:.]/g, '-');
  const target = path.join(path.dirname(file), `ledger.damaged-${stamp}.sqlite`);
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      fs.renameSync(file + suffix, target + suffix);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return target;
}

/**
 * Whatever can still be read, table by table; a table that cannot be read is skipped. A file cut
 * short is read from a copy padded back to the size its header declares: SQLite refuses a schema
 * whose tables start beyond the end of the file, but the early pages (best shares, blocks: small
 * tables created first) are intact.
 */
function salvage(file: string): { readable: boolean; bestShares: BestShareRecord[]; blocks: BlockRecord[] } {
  const copy = `${file}.salvage`;
  let db: Database.Database;
  try {
    fs.copyFileSync(file, copy);
    if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
    padToDeclaredSize(copy);
    db = new Database(copy, { fileMustExist: true });
  } catch {
    removeCopy(copy);
    return { readable: false, bestShares: [], blocks: [] };
  }
  const bestShares: BestShareRecord[] = [];
  const blocks: BlockRecord[] = [];
  let readable = false;
  try {
    const rows = db.prepare('SELECT at_ms, board_id, pool, difficulty, hash, chip_index FROM best_shares').all() as Array<{
      at_ms: number;
      board_id: string;
      pool: string;
      difficulty: number;
      hash: string | null;
      chip_index: number | null;
    }>;
    for (const r of rows) if (r.difficulty > 0) bestShares.push({ atMs: r.at_ms, boardId: r.board_id, pool: r.pool, difficulty: r.difficulty, hash: r.hash, chipIndex: r.chip_index });
    readable = true;
  } catch {
    /* unreadable table */
  }
  try {
    const rows = db.prepare('SELECT at_ms, height, hash, result, accepted, board_id, source FROM blocks').all() as BlockRow[];
    blocks.push(...rows.map(blockRecordFromRow));
    readable = true;
  } catch {
    /* unreadable table */
  }
  db.close();
  removeCopy(copy);
  return { readable, bestShares, blocks };
}

/** SQLite header: page size at byte 16 (big-endian, 1 = 65536), page count at byte 28. */
function padToDeclaredSize(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    const header = Buffer.alloc(32);
    if (fs.readSync(fd, header, 0, 32, 0) < 32) return;
    const rawPageSize = header.readUInt16BE(16);
    const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
    const declared = pageSize * header.readUInt32BE(28);
    const size = fs.fstatSync(fd).size;
    if (pageSize >= 512 && declared > size && declared < 2 ** 40) fs.ftruncateSync(fd, declared);
  } finally {
    fs.closeSync(fd);
  }
}

function removeCopy(copy: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(copy + suffix, { force: true });
}
