/**
 * Area 5 of issue 17: crashes at the worst moment. The built CLI mines on one data directory and is
 * killed with SIGKILL, 20 times at random points (start-up, ledger opening, pool handshake, chip
 * init, hashing) and then right after a new best difficulty was shown, right after a share reached
 * the pool and right after a block candidate was announced (the pool's jobs use an easy network
 * target, so every share is one). After every kill: the ledger passes PRAGMA integrity_check, the
 * all-time best never went down and is at least every value the dashboard showed, every block
 * candidate file is whole and every candidate the pool received is on disk, the settings file and
 * the blocks folder are untouched, and the next engine starts at once (the kernel released the
 * lock). Then damaged ledgers at start: moved aside with one clear message, mining starts.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { poolBlockCandidateSchema } from '../../src-main/work/block-store.js';
import { StratumTestServer, type RecordedShare } from '../fixtures/stratum-server.js';
import { tempDir } from '../helpers/cli.js';
import { launchEngine, type EngineRun } from './helpers/engine.js';
import { httpGet } from './helpers/slow-clients.js';

const USER = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080.rel';
const RANDOM_KILLS = 20;
const SEED = Number(process.env.HASHDECK_CRASH_SEED ?? Date.now() % 1_000_000);
const figures: Record<string, unknown> = { seed: SEED };

/** Small seeded generator (mulberry32) so that a failing run can be replayed with HASHDECK_CRASH_SEED. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One data directory crashed again and again, with what must hold after every crash. */
class CrashSequence {
  readonly dataDir = tempDir('hashdeck-crash-');
  /** The highest all-time best any run showed on its dashboard so far. */
  bestShown = 0;
  bestRecorded = 0;
  readonly outcomes: string[] = [];

  constructor(readonly srv: StratumTestServer) {
    writeFileSync(path.join(this.dataDir, 'settings.json'), SETTINGS_TEXT, { mode: 0o600 });
  }

  start(dir = this.dataDir): EngineRun {
    return launchEngine(['--device', 'emulator:1', '--pool', this.srv.url, '--user', USER, '--http', '127.0.0.1:0'], { dataDir: dir });
  }

  async killAndCheck(e: EngineRun, watch: BestWatch, label: string): Promise<void> {
    e.signal('SIGKILL');
    const exit = await e.exited;
    watch.stop();
    expect(exit.signal, label).toBe('SIGKILL');
    this.bestShown = Math.max(this.bestShown, watch.shown());
    this.checkAfterCrash(label);
  }

  /** Everything that must hold after a crash, whatever the moment. */
  private checkAfterCrash(label: string): void {
    const ledgerFile = path.join(this.dataDir, 'ledger.sqlite');
    if (existsSync(ledgerFile)) {
      // Opened as the next engine would (the write-ahead log is replayed), then checked whole.
      const db = new Database(ledgerFile);
      try {
        expect(db.pragma('integrity_check', { simple: true }), label).toBe('ok');
        const hasBest = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'best_shares'").get();
        const best = hasBest ? ((db.prepare('SELECT MAX(difficulty) AS best FROM best_shares').get() as { best: number | null }).best ?? 0) : 0;
        // Never down, and whatever the dashboard showed as the all-time best is in the ledger.
        expect(best, label).toBeGreaterThanOrEqual(this.bestRecorded);
        expect(best, label).toBeGreaterThanOrEqual(this.bestShown);
        this.bestRecorded = best;
      } finally {
        db.close();
      }
    } else {
      expect(this.bestShown, `${label}: a best was shown but there is no ledger`).toBe(0);
    }
    // Every block candidate file is whole, and every candidate the pool received is on disk.
    const blocksDir = path.join(this.dataDir, 'blocks');
    const files = existsSync(blocksDir) ? readdirSync(blocksDir).filter((f) => f.endsWith('.json')) : [];
    const hashes = new Set<string>();
    for (const f of files) {
      const parsed = poolBlockCandidateSchema.safeParse(JSON.parse(readFileSync(path.join(blocksDir, f), 'utf8')));
      expect(parsed.success, `${label}: ${f}`).toBe(true);
      if (parsed.success) hashes.add(parsed.data.hash);
    }
    for (const s of this.srv.shares.filter((x: RecordedShare) => x.isBlock && x.hashHex))
      expect(hashes.has(s.hashHex!), `${label}: candidate ${s.hashHex} sent to the pool but not on disk`).toBe(true);
    // The settings file is untouched.
    expect(readFileSync(path.join(this.dataDir, 'settings.json'), 'utf8')).toBe(SETTINGS_TEXT);
  }
}

interface BestWatch {
  stop(): void;
  shown(): number;
}

/** Polls the dashboard's all-time best while the engine lives (what a user sees as recorded). */
function watchBest(e: EngineRun): BestWatch {
  let shown = 0;
  let port: number | null = null;
  let busy = false;
  void e.httpPort().then(
    (p) => (port = p),
    () => undefined,
  );
  const timer = setInterval(() => {
    if (port === null || busy || !e.alive) return;
    busy = true;
    httpGet(port, '/api/snapshot')
      .then((r) => {
        if (r.status === 200) shown = Math.max(shown, JSON.parse(r.body).totals.bestDifficultyAllTime);
      })
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, 40);
  return { stop: () => clearInterval(timer), shown: () => shown };
}

const SETTINGS_TEXT = JSON.stringify({ note: 'the desktop app settings: never touched by a crash' }, null, 2);
const servers: StratumTestServer[] = [];

async function easyPool(): Promise<StratumTestServer> {
  // Regtest-easy network target: every share is also a block candidate, written before it is sent.
  const srv = new StratumTestServer({ mode: 'public-pool', difficulty: 0.0001, nbits: 0x207fffff });
  await srv.start();
  servers.push(srv);
  return srv;
}

afterAll(async () => {
  for (const s of servers) await s.stop();
  console.log(`[reliability/crash] ${JSON.stringify(figures)}`);
});

// Two data directories crashed side by side: the 20 random kills on one, the kills at chosen
// moments and then the damaged-ledger starts on the other.
describe.concurrent('SIGKILL at the worst moment', () => {
  it(`${RANDOM_KILLS} kills at random points on one data directory`, async () => {
    const seq = new CrashSequence(await easyPool());
    const random = seeded(SEED);
    // Random moments spread over a run's life: after the spawn (lock, ledger opening and migration,
    // pool handshake), after the pool gave work (chip init), and after hashing began.
    const anchors = ['spawn', 'spawn', 'pool', 'spawn', 'pool', 'hashing'] as const;
    for (let i = 0; i < RANDOM_KILLS; i++) {
      const anchor = anchors[i % anchors.length]!;
      const e = seq.start();
      const watch = watchBest(e);
      if (anchor === 'pool') await e.waitFor((l) => l.type === 'pool' && l.state === 'active', 'work from the pool');
      if (anchor === 'hashing') await e.waitFor((l) => l.type === 'board' && l.state === 'hashing', 'hashing');
      const afterMs = Math.round(anchor === 'spawn' ? 30 + random() * 1000 : random() * 600);
      await new Promise((r) => setTimeout(r, afterMs));
      // An engine that could not start (a stale lock, a damaged ledger) would have exited by now.
      expect(e.alive, e.tail()).toBe(true);
      expect(e.logs(/damaged|empty file/)).toEqual([]);
      seq.outcomes.push(`${anchor}+${afterMs}ms`);
      await seq.killAndCheck(e, watch, `random kill ${i + 1}, ${afterMs} ms after ${anchor} (seed ${SEED})`);
    }
    figures.randomKills = { outcomes: seq.outcomes, bestRecorded: seq.bestRecorded };
  }, 180_000);

  it('kills right after a new best, a share and a block candidate; then damaged ledgers at start', async () => {
    const seq = new CrashSequence(await easyPool());

    // Right after the dashboard showed a new all-time best.
    let e = seq.start();
    let watch = watchBest(e);
    await e.until(() => (watch.shown() > 0 ? true : null), 'a best on the dashboard', 60_000);
    await seq.killAndCheck(e, watch, 'kill after a new best');
    expect(seq.bestRecorded).toBeGreaterThan(0);

    // Right after a share (a block candidate: the pool's network target is easy) reached the pool.
    e = seq.start();
    watch = watchBest(e);
    const seen = seq.srv.shares.length;
    await new Promise<void>((resolve) => {
      const onShare = (): void => {
        seq.srv.off('share', onShare);
        e.signal('SIGKILL');
        resolve();
      };
      seq.srv.on('share', onShare);
    });
    await seq.killAndCheck(e, watch, 'kill after a share');
    expect(seq.srv.shares.length).toBeGreaterThan(seen);
    expect(seq.srv.shares.at(-1)!.isBlock).toBe(true);

    // Right after the engine announced a block candidate (before or while it is sent).
    e = seq.start();
    watch = watchBest(e);
    await e.waitForLog(/BLOCK CANDIDATE/, 60_000);
    await seq.killAndCheck(e, watch, 'kill after BLOCK CANDIDATE');
    figures.chosenMoments = { blockFiles: readdirSync(path.join(seq.dataDir, 'blocks')).filter((f) => f.endsWith('.json')).length, bestRecorded: seq.bestRecorded };

    // Damaged ledgers at start, each on a copy of this directory (its history and block files).
    const source = path.join(seq.dataDir, 'ledger.sqlite');
    const db = new Database(source);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const cases: Array<[string, (file: string) => void, RegExp]> = [
      ['truncated to half', (f) => truncateSync(f, Math.floor(statSync(f).size / 2)), /is damaged \(.+\): it was moved to .*ledger\.damaged-.*\.sqlite and a new ledger was started/],
      ['truncated to 4 KB', (f) => truncateSync(f, 4096), /is damaged \(.+\): it was moved to .*ledger\.damaged-/],
      ['overwritten with garbage at the start', (f) => writeFileSync(f, Buffer.alloc(8192, 0x5a), { flag: 'r+' }), /is damaged \(.+\): it was moved to .*ledger\.damaged-/],
      ['truncated to 0 bytes', (f) => truncateSync(f, 0), /was an empty file \(0 bytes\): a new ledger was started in its place/],
    ];
    await Promise.all(
      cases.map(async ([what, damage, message]) => {
        const dir = tempDir('hashdeck-damaged-');
        copyFileSync(source, path.join(dir, 'ledger.sqlite'));
        mkdirSync(path.join(dir, 'blocks'));
        for (const f of readdirSync(path.join(seq.dataDir, 'blocks'))) copyFileSync(path.join(seq.dataDir, 'blocks', f), path.join(dir, 'blocks', f));
        writeFileSync(path.join(dir, 'settings.json'), SETTINGS_TEXT);
        const blocksBefore = readdirSync(path.join(dir, 'blocks')).sort();
        damage(path.join(dir, 'ledger.sqlite'));
        const d = seq.start(dir);
        const said = await d.waitFor((l) => l.type === 'log' && l.level === 'warn' && l.scope === 'ledger', `${what}: the ledger warning`, 30_000);
        expect(String(said.text), what).toMatch(message);
        expect(String(said.text)).toContain(path.join(dir, 'ledger.sqlite'));
        // Mining starts: work from the pool, the board initialising.
        await d.waitFor((l) => l.type === 'pool' && l.state === 'active', `${what}: work from the pool`, 30_000);
        await d.waitFor((l) => l.type === 'board' && l.state === 'initialising', `${what}: the board starting`, 30_000);
        expect(
          d.logs(/ledger/).filter((l) => l.level === 'warn'),
          what,
        ).toHaveLength(1);
        const exit = await d.stop();
        expect(exit.code, d.tail()).toBe(0);
        expect(d.stderr).toBe('');
        expect(readdirSync(path.join(dir, 'blocks')).sort()).toEqual(blocksBefore);
        expect(readFileSync(path.join(dir, 'settings.json'), 'utf8')).toBe(SETTINGS_TEXT);
        if (what !== 'truncated to 0 bytes')
          expect(
            readdirSync(dir).some((f) => /^ledger\.damaged-.*\.sqlite$/.test(f)),
            what,
          ).toBe(true);
        const fresh = new Database(path.join(dir, 'ledger.sqlite'), { readonly: true });
        expect(fresh.pragma('integrity_check', { simple: true }), what).toBe('ok');
        fresh.close();
      }),
    );
  }, 180_000);
});
