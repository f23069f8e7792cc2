/**
 * Startup time and memory of the `hashdeck` command, side by side for the built CLI (bin/hashdeck.js
 * → out/main/cli.js, one process) and the TypeScript source run by tsx (`npm run dev:cli`, tsx's
 * CLI starts a second Node process with its loader):
 *
 * - `hashdeck --help`: wall time from spawn to exit, median of 9 runs each (Node's own start,
 *   `node -e 0`, is given in the note for scale);
 * - `hashdeck mine --device emulator:1`: resident memory of the whole process tree (the command and
 *   every process under it) 10 s after the start, from /proc, median of 3 runs each; the built CLI
 *   also as the systemd unit runs it (NODE_OPTIONS=--max-semi-space-size=2).
 *
 * Goal for the built CLI (issue 11): ≤ 0.1 s and ≤ 80 MB. `npx tsx bench/startup.bench.ts` runs it alone.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { isEntryPoint, median, round, rssMb, runStandalone } from './helpers.js';
import type { BenchRow } from './table.js';
import { ensureBuilt } from '../test/helpers/cli.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILT = [path.join(ROOT, 'bin/hashdeck.js')];
const FROM_SOURCE = [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'src-main/cli.ts')];
const HELP_RUNS = 9;
const RSS_RUNS = 3;
const RSS_AFTER_MS = 10_000;

function wallSeconds(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return (performance.now() - t0) / 1000;
}

/** The process and all its descendants (Linux /proc). */
function processTree(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parentOf) if (ppid === tree[i] && !tree.includes(pid)) tree.push(pid);
  return tree;
}

async function mineRss(command: string[], env: NodeJS.ProcessEnv = {}): Promise<{ mb: number; processes: number }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hashdeck-startup-bench-'));
  const child = spawn(process.execPath, [...command, 'mine', '--device', 'emulator:1', '--json', '--data-dir', dataDir], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, ...env } });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await new Promise((r) => setTimeout(r, RSS_AFTER_MS));
    if (child.exitCode !== null) throw new Error(`hashdeck mine exited early (${child.exitCode})`);
    const tree = processTree(child.pid!);
    // A process of the tree that exits meanwhile has no reading (NaN) and adds nothing.
    return {
      mb: tree
        .map(rssMb)
        .filter(Number.isFinite)
        .reduce((sum, mb) => sum + mb, 0),
      processes: tree.length,
    };
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchRow[]> {
  ensureBuilt();
  const rows: BenchRow[] = [];
  const nodeAlone = median(Array.from({ length: HELP_RUNS }, () => wallSeconds(['-e', '0'])));
  for (const [tag, command] of [
    ['built CLI', BUILT],
    ['tsx from source', FROM_SOURCE],
  ] as const) {
    wallSeconds([...command, '--help']); // warm the file cache
    const help = median(Array.from({ length: HELP_RUNS }, () => wallSeconds([...command, '--help'])));
    rows.push({ name: `hashdeck --help, ${tag}`, value: round(help), unit: 's', note: `median of ${HELP_RUNS}; node -e 0 takes ${round(nodeAlone)} s here` });
  }
  for (const [tag, command, env] of [
    ['built CLI', BUILT, {}],
    // As the systemd unit runs it: a small young generation.
    ['built CLI, NODE_OPTIONS=--max-semi-space-size=2', BUILT, { NODE_OPTIONS: '--max-semi-space-size=2' }],
    ['tsx from source', FROM_SOURCE, {}],
  ] as const) {
    const runs: Array<{ mb: number; processes: number }> = [];
    for (let i = 0; i < RSS_RUNS; i++) runs.push(await mineRss([...command], env));
    rows.push({
      name: `mine emulator:1 RSS after 10 s, ${tag}`,
      value: round(median(runs.map((r) => r.mb))),
      unit: 'MB',
      note: `median of ${RSS_RUNS}; ${runs[0]!.processes} process(es), RSS summed over the tree`,
    });
  }
  return rows;
}

if (isEntryPoint(import.meta.url)) runStandalone(run);
