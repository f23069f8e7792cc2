/**
 * Rendering of bench results: one aligned plain-text table for the terminal and the same rows
 * as a Markdown table for bench/results.md.
 */

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

export interface BenchResult {
  /** Bench name: the file name without `.bench.ts`. */
  bench: string;
  ok: boolean;
  durationMs: number;
  rows: BenchRow[];
  error?: string;
}

/** Figures with up to 4 significant digits after the point, thousands grouped for readability. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 0.001 || abs >= 1e15)) return value.toExponential(3);
  const decimals = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 10 ? 2 : abs >= 1 ? 3 : 4;
  return value.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: decimals });
}

interface Line {
  bench: string;
  name: string;
  value: string;
  unit: string;
  note: string;
}

function lines(results: readonly BenchResult[]): Line[] {
  const out: Line[] = [];
  for (const r of results) {
    if (!r.ok) {
      out.push({ bench: r.bench, name: 'FAILED', value: '', unit: '', note: r.error ?? 'unknown error' });
      continue;
    }
    if (r.rows.length === 0) out.push({ bench: r.bench, name: '(no figures)', value: '', unit: '', note: '' });
    for (const row of r.rows) out.push({ bench: r.bench, name: row.name, value: formatValue(row.value), unit: row.unit, note: row.note ?? '' });
  }
  return out;
}

const HEAD: Line = { bench: 'bench', name: 'figure', value: 'value', unit: 'unit', note: 'note' };

export function renderTable(results: readonly BenchResult[]): string {
  const body = lines(results);
  const all = [HEAD, ...body];
  const width = (key: keyof Line): number => Math.max(...all.map((l) => l[key].length));
  const w = { bench: width('bench'), name: width('name'), value: width('value'), unit: width('unit') };
  const fmt = (l: Line): string => `${l.bench.padEnd(w.bench)}  ${l.name.padEnd(w.name)}  ${l.value.padStart(w.value)}  ${l.unit.padEnd(w.unit)}  ${l.note}`.trimEnd();
  const rule = '-'.repeat(Math.max(...all.map((l) => fmt(l).length)));
  return [fmt(HEAD), rule, ...body.map(fmt)].join('\n');
}

function md(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderMarkdown(results: readonly BenchResult[], header: string): string {
  const rows = lines(results).map((l) => `| ${md(l.bench)} | ${md(l.name)} | ${l.value} | ${md(l.unit)} | ${md(l.note)} |`);
  return [header, '', '| bench | figure | value | unit | note |', '|---|---|---:|---|---|', ...rows, ''].join('\n');
}
