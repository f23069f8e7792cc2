/**
 * `npm run bench [-- <filter>…]`: runs every bench/*.bench.ts one after another (never in
 * parallel: two cores are shared), prints one aligned table and writes bench/results.md and
 * bench/results.json. A bench exports `async function run(): Promise<BenchRow[]>`. A bench that
 * throws, times out or returns malformed rows is reported as FAILED and the others still run.
 * With filters, only benches whose name contains one of them run; their results replace the
 * earlier ones in results.json while the others are kept.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { renderMarkdown, renderTable, type BenchResult, type BenchRow } from './table.js';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const SUFFIX = '.bench.ts';
const TIMEOUT_MS = Number(process.env['BENCH_TIMEOUT_MS'] ?? 300_000);

interface ResultsFile {
  generatedAt: string;
  machine: { node: string; platform: string; arch: string; cpus: string; cores: number };
  results: BenchResult[];
}

export function discoverBenches(dir: string, filters: readonly string[]): Array<{ bench: string; file: string }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith(SUFFIX))
    .sort()
    .map((f) => ({ bench: f.slice(0, -SUFFIX.length), file: path.join(dir, f) }))
    .filter((b) => filters.length === 0 || filters.some((flt) => b.bench.includes(flt)));
}

function checkRows(value: unknown): BenchRow[] {
  if (!Array.isArray(value)) throw new Error('run() did not return an array of figures');
  return value.map((row, i) => {
    const r = row as Partial<BenchRow> | null;
    if (!r || typeof r.name !== 'string' || typeof r.value !== 'number' || typeof r.unit !== 'string') {
      throw new Error(`figure ${i} is not {name: string, value: number, unit: string}`);
    }
    const out: BenchRow = { name: r.name, value: r.value, unit: r.unit };
    if (typeof r.note === 'string' && r.note !== '') out.note = r.note;
    return out;
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runBench(bench: string, file: string): Promise<BenchResult> {
  const started = performance.now();
  try {
    const mod = (await import(pathToFileURL(file).href)) as { run?: unknown; timeoutMs?: unknown };
    if (typeof mod.run !== 'function') throw new Error('module does not export async function run()');
    // A bench that runs longer by design (bench/memory.bench.ts) says so with `export const timeoutMs`.
    const timeout = typeof mod.timeoutMs === 'number' && mod.timeoutMs > TIMEOUT_MS ? mod.timeoutMs : TIMEOUT_MS;
    const rows = checkRows(await withTimeout(Promise.resolve((mod.run as () => unknown)()), timeout));
    return { bench, ok: true, durationMs: Math.round(performance.now() - started), rows };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { bench, ok: false, durationMs: Math.round(performance.now() - started), rows: [], error: message.split('\n')[0] ?? message };
  }
}

function readPrevious(file: string): BenchResult[] {
  if (!existsSync(file)) return [];
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<ResultsFile>;
    return Array.isArray(parsed.results) ? parsed.results : [];
  } catch {
    return [];
  }
}

function machine(): ResultsFile['machine'] {
  const cpus = os.cpus();
  return { node: process.version, platform: process.platform, arch: process.arch, cpus: cpus[0]?.model.trim() ?? 'unknown', cores: cpus.length };
}

async function main(): Promise<number> {
  const filters = process.argv.slice(2).filter((a) => a !== '--');
  const benches = discoverBenches(BENCH_DIR, filters);
  if (benches.length === 0) {
    process.stderr.write(filters.length ? `no bench matches ${filters.join(', ')}\n` : 'no bench/*.bench.ts files found\n');
    return 2;
  }
  const results: BenchResult[] = [];
  for (const { bench, file } of benches) {
    process.stderr.write(`bench ${bench} … `);
    const result = await runBench(bench, file);
    process.stderr.write(result.ok ? `${(result.durationMs / 1000).toFixed(1)} s\n` : `FAILED: ${result.error}\n`);
    results.push(result);
  }
  process.stdout.write(`${renderTable(results)}\n`);

  const jsonFile = path.join(BENCH_DIR, 'results.json');
  const ran = new Set(results.map((r) => r.bench));
  const merged = [...readPrevious(jsonFile).filter((r) => !ran.has(r.bench)), ...results].sort((a, b) => a.bench.localeCompare(b.bench));
  const file: ResultsFile = { generatedAt: new Date().toISOString(), machine: machine(), results: merged };
  writeFileSync(jsonFile, `${JSON.stringify(file, null, 2)}\n`);
  const m = file.machine;
  const header = `# HashDeck bench results\n\n${file.generatedAt} · Node ${m.node} · ${m.platform}/${m.arch} · ${m.cpus} × ${m.cores}\n\nFigures from \`npm run bench\`; they describe this machine, not a budget check.`;
  writeFileSync(path.join(BENCH_DIR, 'results.md'), renderMarkdown(merged, header));
  return results.every((r) => r.ok) ? 0 : 1;
}

// Run only as the entry point (tests import discoverBenches/runBench).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`bench runner failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
}
