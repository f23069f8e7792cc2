/**
 * What the benches share: the sample statistics their figures are made of, the Linux /proc
 * readings of a child process, stopping a child, and running one bench on its own
 * (`npx tsx bench/<name>.bench.ts`). Not a bench itself: bench/run.ts only loads *.bench.ts.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './table.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Three significant digits: more would be noise on a shared two-core machine. */
export const round = (v: number, digits = 3): number => Number(v.toPrecision(digits));

/** Nearest-rank quantile (no interpolation); NaN for no samples, which the table shows as such. */
export function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

/** The middle sample, or the mean of the two middle ones for an even count; NaN for none. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Linux USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
export const CLK_TCK = 100;

/** User + system CPU ticks the process has used so far. */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the ")" of comm (which may hold spaces): state is field 3, utime 14, stime 15 (1-based).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Resident memory in MB; NaN when the process is gone or a zombie (no VmRSS line), never a throw. */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** SIGTERM, then SIGKILL after 10 s, so a hung child cannot hold a bench run forever. */
export async function stopChild(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** True when the module of `metaUrl` was started directly rather than imported by bench/run.ts. */
export function isEntryPoint(metaUrl: string): boolean {
  return process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(metaUrl);
}

/** Runs one bench on its own and prints its figures, one a line; exits so open handles cannot keep it alive. */
export function runStandalone(run: () => Promise<BenchRow[]>): void {
  run().then(
    (rows) => {
      for (const r of rows) console.log(`${r.name}: ${r.value} ${r.unit}${r.note ? ` (${r.note})` : ''}`);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
