/**
 * Nonce scanner throughput: SHA-256d MH/s of each available implementation (native SHA-NI, native
 * scalar, TypeScript) on one thread, median of 5 runs, and the native / TypeScript ratio. The
 * target is 0 so no hit is ever recorded: this measures hashing only. Prints figures only.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { availableScannerKinds, scan, type ScannerKind } from '../src-main/scanner/scanner.js';
import { isEntryPoint, median, runStandalone } from './helpers.js';
import type { BenchRow } from './table.js';

const RUNS = 5;
/** Nonces per run: about a quarter of a second each on this class of machine. */
const NONCES: Record<ScannerKind, number> = { 'native-sha-ni': 2_000_000, 'native-scalar': 400_000, typescript: 100_000 };

function measure(kind: ScannerKind, header: Buffer): number {
  const count = NONCES[kind];
  scan(header, 0, Math.min(count, 10_000), 0n, 1, { implementation: kind }); // warm-up
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    scan(header, r * count, count, 0n, 1, { implementation: kind });
    const seconds = (performance.now() - t0) / 1000;
    rates.push(count / seconds / 1e6);
  }
  return median(rates);
}

export async function run(): Promise<BenchRow[]> {
  const header = randomBytes(80);
  const kinds = availableScannerKinds();
  const rows: BenchRow[] = [];
  const rate = new Map<ScannerKind, number>();
  for (const kind of kinds) {
    const mhs = measure(kind, header);
    rate.set(kind, mhs);
    rows.push({ name: `scanner ${kind}`, value: Number(mhs.toFixed(3)), unit: 'MH/s', note: `median of ${RUNS} × ${NONCES[kind].toLocaleString('en')} nonces, one thread` });
  }
  const ts = rate.get('typescript');
  const best = kinds[0]!;
  if (best !== 'typescript' && ts) {
    rows.push({ name: `scanner ratio ${best} / typescript`, value: Number((rate.get(best)! / ts).toFixed(1)), unit: 'x' });
  } else {
    rows.push({ name: 'scanner native addon', value: 0, unit: 'built', note: 'native/ not built: npm run build:native' });
  }
  return rows;
}

// Direct run: `npx tsx bench/scanner.bench.ts`.
if (isEntryPoint(import.meta.url)) runStandalone(run);
