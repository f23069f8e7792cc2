/** The bench runner: discovery with filters, isolation of failing benches, table rendering. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverBenches, runBench } from '../../../bench/run.js';
import { formatValue, renderMarkdown, renderTable, type BenchResult } from '../../../bench/table.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hashdeck-bench-'));
writeFileSync(path.join(dir, 'good.bench.ts'), "export async function run() { return [{ name: 'speed', value: 1234.5678, unit: 'op/s', note: 'n=3' }]; }\n");
writeFileSync(path.join(dir, 'throws.bench.ts'), "export async function run() { throw new Error('board on fire'); }\n");
writeFileSync(path.join(dir, 'malformed.bench.ts'), "export async function run() { return [{ name: 'x', value: 'fast' }]; }\n");
writeFileSync(path.join(dir, 'norun.bench.ts'), 'export const nothing = 1;\n');
writeFileSync(path.join(dir, 'helper.ts'), 'export {};\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench runner', () => {
  it('discovers *.bench.ts in name order and filters by substring', () => {
    expect(discoverBenches(dir, []).map((b) => b.bench)).toEqual(['good', 'malformed', 'norun', 'throws']);
    expect(discoverBenches(dir, ['oo']).map((b) => b.bench)).toEqual(['good']);
    expect(discoverBenches(dir, ['thr', 'mal']).map((b) => b.bench)).toEqual(['malformed', 'throws']);
  });

  it('runs a good bench and isolates failures with a reason', async () => {
    const good = await runBench('good', path.join(dir, 'good.bench.ts'));
    expect(good).toMatchObject({ ok: true, rows: [{ name: 'speed', value: 1234.5678, unit: 'op/s', note: 'n=3' }] });
    expect((await runBench('throws', path.join(dir, 'throws.bench.ts'))).error).toBe('board on fire');
    expect((await runBench('malformed', path.join(dir, 'malformed.bench.ts'))).error).toMatch(/figure 0 is not/);
    expect((await runBench('norun', path.join(dir, 'norun.bench.ts'))).error).toMatch(/does not export async function run/);
  });

  it('renders one aligned table and a markdown table', () => {
    const results: BenchResult[] = [
      {
        bench: 'frames',
        ok: true,
        durationMs: 5,
        rows: [
          { name: 'encode job', value: 0.000123, unit: 'ms' },
          { name: 'throughput', value: 1_234_567, unit: 'frames/s' },
        ],
      },
      { bench: 'api', ok: false, durationMs: 1, rows: [], error: 'boom' },
    ];
    const lines = renderTable(results).split('\n');
    expect(lines[0]).toMatch(/^bench\s+figure\s+value\s+unit\s+note$/);
    expect(lines).toHaveLength(5);
    // The value column is right-aligned: every value ends at the same column.
    const valueEnd = (l: string, v: string) => l.indexOf(v) + v.length;
    expect(valueEnd(lines[2]!, '1.230e-4')).toBe(valueEnd(lines[3]!, '1,234,567'));
    expect(lines[4]).toMatch(/^api\s+FAILED\s+boom$/);
    const md = renderMarkdown(results, '# x');
    expect(md).toContain('| frames | throughput | 1,234,567 | frames/s |  |');
    expect(formatValue(12.3456)).toBe('12.35');
    expect(formatValue(0.5)).toBe('0.5');
  });
});
