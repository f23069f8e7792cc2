/**
 * Figures for the statistics module: estimator accuracy on simulated Poisson nonce streams,
 * 95 % interval coverage, per-nonce cost, and ledger write rates. Prints figures; asserts nothing.
 * Run alone: `npx tsx bench/estimator.bench.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventBus } from '@shared/bus.js';
import type { Job, ValidatedNonce } from '../src-main/work/job.js';
import { HASHES_PER_DIFFICULTY } from '@shared/economics.js';
import { HashrateEstimator, WINDOW_MS, type WindowKey } from '../src-main/stats/hashrate-estimator.js';
import { Stats } from '../src-main/stats/stats.js';
import { Ledger } from '../src-main/stats/ledger.js';
import { autoTicketForRate } from '../src-main/chips/bm13xx/auto-ticket.js';
import { isEntryPoint, median, runStandalone } from './helpers.js';
import type { BenchRow } from './table.js';

const T0 = 1_760_000_000_000;

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs of a full window at a known rate: median |error| % and interval coverage %. */
function accuracy(window: WindowKey, hashrateHs: number, weight: number, runs: number, seed: number) {
  const random = seededRandom(seed);
  const ratePerMs = hashrateHs / (weight * HASHES_PER_DIFFICULTY) / 1000;
  const errors: number[] = [];
  let covered = 0;
  for (let r = 0; r < runs; r++) {
    const est = new HashrateEstimator();
    est.start(T0, weight);
    const windowMs = WINDOW_MS[window];
    const nowMs = T0 + windowMs + 2000 + random() * 1000;
    // Only the last window matters; start the stream one window before now.
    let t = nowMs - windowMs - 1000 - Math.log(1 - random()) / ratePerMs;
    while (t < nowMs) {
      est.record(t, weight);
      t += -Math.log(1 - random()) / ratePerMs;
    }
    const e = est.estimate(window, nowMs)!;
    errors.push((Math.abs(e.valueHs - hashrateHs) / hashrateHs) * 100);
    if (e.lowHs <= hashrateHs && hashrateHs <= e.highHs) covered++;
  }
  return { medianErrorPct: median(errors), coveragePct: (covered / runs) * 100 };
}

/**
 * A 10-minute window at a known rate whose ticket changes once, at `changeAtFrac` of the window
 * (1 = no change): the stream's rate follows the ticket in force, and each nonce is recorded with
 * that ticket's weight, as the engine does (boards/chain.ts ticketAt).
 */
function accuracyWithTickets(hashrateHs: number, before: number, after: number, changeAtFrac: number, runs: number, seed: number) {
  const random = seededRandom(seed);
  const errors: number[] = [];
  let covered = 0;
  const windowMs = WINDOW_MS['10m'];
  for (let r = 0; r < runs; r++) {
    const est = new HashrateEstimator();
    est.start(T0, before);
    const nowMs = T0 + windowMs + 2000 + random() * 1000;
    const changeAt = nowMs - windowMs + changeAtFrac * windowMs;
    let t = nowMs - windowMs - 1000;
    for (;;) {
      const weight = t < changeAt ? before : after;
      const ratePerMs = hashrateHs / (weight * HASHES_PER_DIFFICULTY) / 1000;
      const next = t - Math.log(1 - random()) / ratePerMs;
      // Memorylessness: a gap that crosses the change restarts at the change with the new rate.
      if (t < changeAt && next >= changeAt) {
        t = changeAt;
        est.setWeight(after);
        continue;
      }
      if (next >= nowMs) break;
      t = next;
      est.record(t, weight);
    }
    const e = est.estimate('10m', nowMs)!;
    errors.push((Math.abs(e.valueHs - hashrateHs) / hashrateHs) * 100);
    if (e.lowHs <= hashrateHs && hashrateHs <= e.highHs) covered++;
  }
  return { medianErrorPct: median(errors), coveragePct: (covered / runs) * 100 };
}

/** Issue 13: 10-minute error and 95 % coverage at 500 GH/s and 1 TH/s for tickets 256, 64, 16 and auto. */
function ticketFigures(): BenchRow[] {
  const out: BenchRow[] = [];
  const RUNS = 400;
  let seed = 100;
  for (const [label, hs] of [
    ['500 GH/s', 5e11],
    ['1 TH/s', 1e12],
  ] as const) {
    // auto on a BM1366/68/70 line: 1 Mbaud, 11-byte replies, 2 % of the line.
    const auto = autoTicketForRate(hs, 1_000_000, 11);
    for (const [name, ticket] of [
      ['256', 256],
      ['64', 64],
      ['16', 16],
      [`auto (${auto})`, auto],
    ] as const) {
      const a = accuracyWithTickets(hs, ticket, ticket, 1, RUNS, seed++);
      const nonces = Math.round((hs * 600) / (ticket * HASHES_PER_DIFFICULTY));
      out.push({
        name: `estimator 10m median abs error, ${label} ticket ${name}`,
        value: Number(a.medianErrorPct.toPrecision(3)),
        unit: '%',
        note: `≈${nonces.toLocaleString('en')} nonces per window; ${RUNS} runs; Poisson floor ≈ ${((0.674 / Math.sqrt(nonces)) * 100).toPrecision(2)} %`,
      });
      out.push({ name: `95% interval coverage, 10m, ${label} ticket ${name}`, value: Number(a.coveragePct.toPrecision(3)), unit: '%', note: `${RUNS} runs` });
    }
  }
  const auto = autoTicketForRate(1e12, 1_000_000, 11);
  const change = accuracyWithTickets(1e12, 256, auto, 0.5, RUNS, seed++);
  out.push({
    name: `estimator 10m median abs error, 1 TH/s, ticket 256 → auto (${auto}) mid-window`,
    value: Number(change.medianErrorPct.toPrecision(3)),
    unit: '%',
    note: `each nonce weighted by the ticket in force when found; ${RUNS} runs`,
  });
  out.push({ name: `95% interval coverage, 10m, 1 TH/s, ticket 256 → auto (${auto}) mid-window`, value: Number(change.coveragePct.toPrecision(3)), unit: '%' });
  return out;
}

function recordNonceCost(): number {
  const job = { id: 1, boardId: 'b1', sentAtMs: T0, template: { sourceId: 'stratum+tcp://p:3333' } } as unknown as Job;
  const results: number[] = [];
  const ops = 200_000;
  for (let round = 0; round < 5; round++) {
    const stats = new Stats({ bus: new EventBus(), nowMs: () => T0 });
    stats.recordJobStart('b1', T0, 256);
    const v: ValidatedNonce = {
      chipNonce: { boardId: 'b1', chipIndex: 0, coreId: 0, smallCoreId: 0, chipJobId: 0, nonce: 0, version: 0, receivedAtMs: T0 },
      job,
      verdict: 'valid',
      difficulty: 300,
      weight: 256,
      meetsShareTarget: false,
      meetsNetworkTarget: false,
    };
    const start = process.hrtime.bigint();
    for (let i = 0; i < ops; i++) {
      v.chipNonce.receivedAtMs = T0 + i; // 1000 nonces/s of simulated time
      v.chipNonce.chipIndex = i & 3;
      v.difficulty = 256 + (i % 1000); // rarely enters the scoreboard after warm-up
      stats.recordNonce(v);
    }
    results.push(Number(process.hrtime.bigint() - start) / ops);
  }
  return median(results);
}

function windowsQueryCost(): number {
  const est = new HashrateEstimator();
  est.start(T0, 256);
  for (let s = 0; s < 86_400; s += 1) est.record(T0 + s * 1000, 256);
  const now = T0 + 86_400_000;
  const reps = 2000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) est.windows(now + i);
  return Number(process.hrtime.bigint() - start) / reps / 1000;
}

function ledgerRates(): { sharesPerS: number; samplesPerS: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hashdeck-bench-'));
  try {
    const ledger = Ledger.open(dir, { nowMs: () => T0, flushIntervalMs: 0 });
    const shares = 50_000;
    let start = process.hrtime.bigint();
    for (let i = 0; i < shares; i++) {
      ledger.recordShare({ atMs: T0 + i * 100, boardId: `b${i % 4}`, pool: 'p', difficulty: 1000 + (i % 5000) * 300, targetDifficulty: 1000, result: 'accepted', reason: null });
    }
    ledger.flush();
    const sharesPerS = shares / (Number(process.hrtime.bigint() - start) / 1e9);
    const samples = 20_000;
    start = process.hrtime.bigint();
    for (let i = 0; i < samples; i++) {
      ledger.recordSample({ atMs: T0 + i * 5000, boardId: `b${i % 4}`, hashrateHs: 1e12, powerW: 15, asicTempC: 55, vrTempC: 60, fanRpm: 4000 });
    }
    ledger.flush();
    const samplesPerS = samples / (Number(process.hrtime.bigint() - start) / 1e9);
    ledger.close();
    return { sharesPerS, samplesPerS };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchRow[]> {
  const figures: BenchRow[] = [];
  const m1 = accuracy('1m', 1e12, 256, 1000, 1);
  const m10 = accuracy('10m', 1e12, 256, 300, 2);
  const h1 = accuracy('1h', 1e12, 256, 60, 3);
  const slow = accuracy('10m', 1e11, 256, 300, 4);
  figures.push(
    { name: 'estimator 1m median abs error, 1 TH/s ticket 256', value: m1.medianErrorPct, unit: '%', note: '≈55 nonces per window; Poisson floor ≈ 0.674/√55 ≈ 9 %' },
    { name: 'estimator 10m median abs error, 1 TH/s ticket 256', value: m10.medianErrorPct, unit: '%' },
    { name: 'estimator 1h median abs error, 1 TH/s ticket 256', value: h1.medianErrorPct, unit: '%' },
    { name: 'estimator 10m median abs error, 100 GH/s ticket 256', value: slow.medianErrorPct, unit: '%' },
    { name: '95% interval coverage, 1m, 1000 runs', value: m1.coveragePct, unit: '%', note: 'Garwood interval: at least 95 % by construction' },
    { name: '95% interval coverage, 10m, 300 runs', value: m10.coveragePct, unit: '%' },
    ...ticketFigures(),
    { name: 'Stats.recordNonce (valid nonce, 4 chips)', value: recordNonceCost(), unit: 'ns/op', note: 'median of 5 rounds of 200k' },
    { name: 'HashrateEstimator.windows() with a full day', value: windowsQueryCost(), unit: 'µs/call' },
  );
  const rates = ledgerRates();
  figures.push(
    { name: 'ledger share inserts (batched, per-minute aggregate)', value: rates.sharesPerS, unit: 'rows/s' },
    { name: 'ledger sample inserts (5 s + 1 min + 1 h rollups)', value: rates.samplesPerS, unit: 'rows/s' },
  );
  return figures;
}

if (isEntryPoint(import.meta.url)) runStandalone(run);
