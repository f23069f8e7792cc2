/**
 * Restart with the same data directory: what is all-time survives. Two real CLI runs
 * (`hashdeck mine --device emulator:1 --pool <test pool> --data-dir <dir>`), stopped with SIGTERM
 * once they have found what the test needs. The test pool's network target is easy (difficulty
 * 0.001 against shares at 0.0002), so some accepted shares are blocks. Afterwards the ledger is
 * opened on the directory and must hold both runs: the all-time best, the best-shares board, the
 * found blocks and the 5 s history samples.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { difficultyToTarget, targetToNbits } from '../../src-main/bitcoin/target.js';
import { mineSummarySchema, type EngineSnapshot, type MineSummary } from '@shared/contract/index';
import { Ledger } from '../../src-main/stats/ledger.js';
import { StratumTestServer } from '../fixtures/stratum-server.js';
import { jsonLines, spawnCli, tempDir } from '../helpers/cli.js';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { hashToDisplayHex, sha256d } from '../../src-main/bitcoin/sha256d.js';

const USER = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4.w1';
const SHARE_DIFFICULTY = 0.0002;
const NETWORK_DIFFICULTY = 0.001;

interface Run {
  startedAtMs: number;
  endedAtMs: number;
  summary: MineSummary;
  lines: any[];
  /** GET /api/snapshot taken as soon as the dashboard answered (before the board hashes). */
  firstSnapshot: EngineSnapshot | null;
}

let pool: StratumTestServer;
let dataDir: string;
const children: ChildProcess[] = [];

async function until(pred: () => boolean, timeoutMs: number, what: string, out: () => string): Promise<void> {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}\n${out().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One mining run; it ends (SIGTERM) when `enough` holds for its event lines. */
async function mineUntil(enough: (lines: any[]) => boolean, what: string): Promise<Run> {
  const startedAtMs = Date.now();
  const child = spawnCli(['mine', '--device', 'emulator:1', '--pool', pool.url, '--user', USER, '--http', '127.0.0.1:0', '--duration', '45', '--json', '--data-dir', dataDir]);
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  const dashboard = (): string | null => {
    for (const l of jsonLines(out)) if (l.type === 'log' && l.scope === 'http') return /dashboard at (\S+)/.exec(l.text)?.[1] ?? null;
    return null;
  };
  await until(
    () => dashboard() !== null,
    20_000,
    'the dashboard address',
    () => out + err,
  );
  const firstSnapshot = (await (await fetch(new URL('/api/snapshot', dashboard()!))).json()) as EngineSnapshot;
  await until(
    () => enough(jsonLines(out)),
    40_000,
    what,
    () => out + err,
  );
  child.kill('SIGTERM');
  expect(await exited, err).toBe(0);
  const lines = jsonLines(out);
  return { startedAtMs, endedAtMs: Date.now(), summary: mineSummarySchema.parse(lines.at(-1)), lines, firstSnapshot };
}

const acceptedBlocks = (lines: any[]): string[] => lines.filter((l) => l.type === 'block' && l.accepted).map((l) => l.hash as string);
const acceptedShares = (lines: any[]): number => lines.filter((l) => l.type === 'share' && l.result === 'accepted').length;

describe('restart with the same data directory', () => {
  let first: Run;
  let second: Run;

  beforeAll(async () => {
    dataDir = tempDir('hashdeck-restart-');
    pool = new StratumTestServer({ host: '127.0.0.1', difficulty: SHARE_DIFFICULTY, nbits: targetToNbits(difficultyToTarget(NETWORK_DIFFICULTY)), payoutAddress: USER.split('.')[0] });
    await pool.start();
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await pool?.stop();
  });

  it('first run: shares, at least one accepted block, and two history samples (5 s apart) go to the ledger', async () => {
    // Samples are taken every 5 s from engine start; ≥ 11 s of run gives two of them.
    first = await mineUntil((lines) => acceptedBlocks(lines).length >= 1 && acceptedShares(lines) >= 3 && Date.now() - (lines[0]?.atMs ?? Date.now()) > 11_000, 'an accepted block and two samples');
    expect(first.summary.sharesAccepted).toBeGreaterThanOrEqual(3);
    expect(first.summary.blocksFound).toBe(acceptedBlocks(first.lines).length);
    expect(first.summary.bestDifficulty).toBeGreaterThanOrEqual(NETWORK_DIFFICULTY);
    // A fresh directory: all-time is this run.
    expect(first.firstSnapshot?.totals.bestDifficultyAllTime).toBe(0);
    expect(first.summary.bestDifficultyAllTime).toBe(first.summary.bestDifficulty);
    // Every block candidate was written to the data directory before it went to the pool, and
    // the saved header hashes to the block hash.
    const saved = readdirSync(path.join(dataDir, 'blocks')).filter((f) => f.startsWith('pool-'));
    const savedHashes = saved.map((f) => {
      const b = JSON.parse(readFileSync(path.join(dataDir, 'blocks', f), 'utf8'));
      expect(hashToDisplayHex(sha256d(Buffer.from(b.headerHex, 'hex')))).toBe(b.hash);
      return b.hash as string;
    });
    for (const h of acceptedBlocks(first.lines)) expect(savedHashes).toContain(h);
    // The ledger on disk, with the engine gone.
    const ledger = Ledger.open(dataDir);
    try {
      expect(ledger.bestDifficultyAllTime()).toBe(first.summary.bestDifficulty);
      expect(
        ledger
          .blocks()
          .map((b) => b.hash)
          .sort(),
      ).toEqual(acceptedBlocks(first.lines).sort());
      expect(ledger.history('1h').points.length).toBeGreaterThanOrEqual(2);
    } finally {
      ledger.close();
    }
  }, 60_000);

  it('second run: the all-time best is there from the start and the summary carries it', async () => {
    second = await mineUntil((lines) => acceptedShares(lines) >= 2 && Date.now() - (lines[0]?.atMs ?? Date.now()) > 6_000, 'accepted shares and a sample');
    const s1 = first.summary;
    const s2 = second.summary;
    // Before this run's board hashed anything, the engine already knew the first run's best.
    const early = second.firstSnapshot!;
    expect(early.totals.bestDifficultyAllTime).toBe(Math.max(s1.bestDifficultyAllTime, early.totals.bestDifficulty));
    expect(early.totals.bestDifficultyAllTime).toBeGreaterThanOrEqual(s1.bestDifficulty);
    // Session figures start again; all-time is the larger of both runs' bests, exactly.
    expect(s2.bestDifficultyAllTime).toBeGreaterThanOrEqual(s1.bestDifficulty);
    expect(s2.bestDifficultyAllTime).toBe(Math.max(s1.bestDifficulty, s2.bestDifficulty));
    expect(s2.blocksFound).toBe(acceptedBlocks(second.lines).length);
    expect(s2.sharesAccepted).toBe(acceptedShares(second.lines));
  }, 60_000);

  it('the ledger holds both runs: all-time best, best shares, every block, history samples', async () => {
    const ledger = Ledger.open(dataDir);
    try {
      const s1 = first.summary;
      const s2 = second.summary;
      expect(ledger.bestDifficultyAllTime()).toBe(s2.bestDifficultyAllTime);
      // The best-shares board keeps the first run's best share, with its time in the first run.
      const best = ledger.bestShares();
      const fromFirst = best.filter((b) => b.atMs >= first.startedAtMs && b.atMs <= first.endedAtMs);
      expect(fromFirst.map((b) => b.difficulty)).toContain(s1.bestDifficulty);
      expect(best.map((b) => b.difficulty)).toContain(s2.bestDifficulty);
      expect(best.every((b) => b.pool === pool.url)).toBe(true);
      // Every accepted block of both runs, once, in order of finding.
      const blocks = ledger.blocks();
      expect(blocks.map((b) => b.hash)).toEqual([...acceptedBlocks(first.lines), ...acceptedBlocks(second.lines)]);
      expect(blocks.every((b) => b.accepted)).toBe(true);
      // The pool saw the same blocks (it judges block candidates against its own nbits).
      expect(pool.shares.filter((s) => s.isBlock && s.result === 'accepted').length).toBe(blocks.length);
      // History: 5 s samples with a hashrate from both runs (a sample taken before the board's
      // first nonce may carry none).
      const points = ledger.history('1h').points.filter((p) => p.hashrateHs !== null && p.hashrateHs > 0);
      expect(points.some((p) => p.atMs >= first.startedAtMs && p.atMs <= first.endedAtMs)).toBe(true);
      expect(points.some((p) => p.atMs >= second.startedAtMs && p.atMs <= second.endedAtMs)).toBe(true);
      // Accepted shares of both runs are in the per-minute share totals.
      const accepted = ledger
        .shareTotals()
        .filter((t) => t.result === 'accepted')
        .reduce((n, t) => n + t.count, 0);
      expect(accepted).toBe(s1.sharesAccepted + s2.sharesAccepted);
    } finally {
      ledger.close();
    }
  });
});
