/**
 * Is the engine's memory flat? (issue 13, item 2). Eight one-chip BM1366 emulators behind PTYs in
 * a second process (bench/engine.bench.ts --emulator-host) return nonces at a high rate: K = 24 and
 * ticket 1 (what `--ticket-difficulty auto` picks for a one-chip BM1366 at 485 MHz; given as a
 * number so that older builds run the same bench), 25.6 kH/s each, so about 100 nonces a second a
 * board, what `auto` gives a real one. The BUILT CLI (`node bin/hashdeck.js mine`, benchmark mode)
 * drives them for MEMORY_BENCH_S seconds (default 600). Its resident memory is read from /proc every
 * 5 s; after a warm-up (the first fifth, at least 60 s) the least-squares slope of RSS against time
 * is reported in MB per hour, with the RSS at the start and the end of that stretch and the
 * engine's CPU over it (per 1000 nonces a second: the host's cost of a nonce).
 *
 * `tsx bench/memory.bench.ts` runs it alone; MEMORY_BENCH_S=120 for a short look.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cpuTicks, CLK_TCK, isEntryPoint, median, round, rssMb, runStandalone, sleep, stopChild } from './helpers.js';
import type { BenchRow } from './table.js';
import { ensureBuilt } from '../test/helpers/cli.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BOARDS = 8;
const HASH_RATE_HS = 25_600;
const SCALE_BITS = 24;
const SAMPLE_MS = 5000;
const DURATION_S = Number(process.env['MEMORY_BENCH_S'] ?? 600);
/** The runner's per-bench limit must cover the run (bench/run.ts). */
export const timeoutMs = (DURATION_S + 240) * 1000;

/** Least-squares slope of y against x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return num / den;
}

export async function run(): Promise<BenchRow[]> {
  ensureBuilt();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hashdeck-memory-bench-'));
  let emu: ChildProcess | null = null;
  let engine: ChildProcess | null = null;
  try {
    emu = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/engine.bench.ts'), '--emulator-host', String(BOARDS), String(HASH_RATE_HS), String(SCALE_BITS)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const paths = await new Promise<string[]>((resolve, reject) => {
      createInterface({ input: emu!.stdout! }).on('line', (l) => {
        if (l.startsWith('{')) resolve((JSON.parse(l) as { paths: string[] }).paths);
      });
      emu!.once('exit', (code) => reject(new Error(`emulator host exited (${code})`)));
    });
    const args = [path.join(ROOT, 'bin/hashdeck.js'), 'mine', '--ticket-difficulty', '1'];
    for (const p of paths) args.push('--device', p, '--chip', 'bm1366', '--scale-bits', String(SCALE_BITS));
    args.push('--json', '--data-dir', dataDir, '--duration', String(DURATION_S + 60));
    engine = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const hashing = new Set<string>();
    let summary: { nonces: number; durationS: number } | null = null;
    createInterface({ input: engine.stdout! }).on('line', (l) => {
      if (!l.startsWith('{')) return;
      const e = JSON.parse(l) as { type?: string; boardId?: string; state?: string; nonces?: number; durationS?: number };
      if (e.type === 'board' && e.state === 'hashing' && e.boardId) hashing.add(e.boardId);
      if (e.type === 'summary') summary = e as { nonces: number; durationS: number };
    });
    const until = Date.now() + 120_000;
    while (hashing.size < BOARDS && engine.exitCode === null && Date.now() < until) await sleep(100);
    if (hashing.size < BOARDS) throw new Error(`only ${hashing.size} of ${BOARDS} boards started`);
    const pid = engine.pid!;
    const t0 = performance.now();
    const samples: Array<{ s: number; mb: number; ticks: number }> = [];
    while (performance.now() - t0 < DURATION_S * 1000) {
      await sleep(SAMPLE_MS);
      samples.push({ s: (performance.now() - t0) / 1000, mb: rssMb(pid), ticks: cpuTicks(pid) });
    }
    await stopChild(engine);
    const warmS = Math.max(60, DURATION_S / 5);
    const steady = samples.filter((x) => x.s >= warmS);
    if (steady.length < 4) throw new Error('too few samples after the warm-up');
    const mbPerHour =
      slope(
        steady.map((x) => x.s),
        steady.map((x) => x.mb),
      ) * 3600;
    const minute = 60_000 / SAMPLE_MS;
    const first = median(steady.slice(0, minute).map((x) => x.mb));
    const last = median(steady.slice(-minute).map((x) => x.mb));
    const s = summary as { nonces: number; durationS: number } | null;
    const noncesPerS = s ? s.nonces / s.durationS : NaN;
    const a = steady[0]!;
    const b = steady[steady.length - 1]!;
    const cpuPct = ((b.ticks - a.ticks) / CLK_TCK / (b.s - a.s)) * 100;
    const note = `built CLI, ${BOARDS} PTY boards (BM1366, K = ${SCALE_BITS}, ticket 1 = auto's), ${round(noncesPerS)} nonces/s in all, ${DURATION_S} s, warm-up ${warmS} s left out`;
    return [
      { name: `memory: engine RSS slope after warm-up, ${BOARDS} boards at a high nonce rate`, value: round(mbPerHour, 2), unit: 'MB/h', note },
      { name: `memory: engine RSS, first minute after warm-up`, value: round(first), unit: 'MB', note: 'median of the minute' },
      { name: `memory: engine RSS, last minute`, value: round(last), unit: 'MB', note: 'median of the minute' },
      {
        name: `memory: engine CPU at ${round(noncesPerS)} nonces/s`,
        value: round(cpuPct),
        unit: '% of a core',
        note: `${round((cpuPct / noncesPerS) * 1000)} % of a core per 1000 nonces/s (read, parse, re-hash, stats, ledger)`,
      },
    ];
  } finally {
    await stopChild(engine);
    await stopChild(emu);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (isEntryPoint(import.meta.url)) runStandalone(run);
