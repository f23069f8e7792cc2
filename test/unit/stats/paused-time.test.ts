/**
 * Paused time in the statistics: the hashrate estimator's clock stops while a board is paused, and
 * the ledger records a paused hour as paused (no hashrate), never as a zero-hashrate hour.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '@shared/bus.js';
import { HASHES_PER_DIFFICULTY } from '@shared/economics.js';
import { HashrateEstimator } from '../../../src-main/stats/hashrate-estimator.js';
import { Ledger, TOTAL_BOARD_ID } from '../../../src-main/stats/ledger.js';
import { Stats } from '../../../src-main/stats/stats.js';
import type { ValidatedNonce } from '../../../src-main/work/job.js';

const T0 = Date.UTC(2026, 0, 5, 0, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const WEIGHT = 256;
/** One valid nonce of weight 256 a second. */
const RATE_HS = WEIGHT * HASHES_PER_DIFFICULTY;

const dirs: string[] = [];
const ledgers: Ledger[] = [];
afterEach(() => {
  for (const l of ledgers.splice(0)) l.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Within `rel` of `expected`: 1 m estimates sampled every 5 s are off by up to a second's nonce at a bucket edge. */
function expectNear(value: number | null | undefined, expected: number, rel = 0.03): void {
  expect(value).not.toBeNull();
  expect(Math.abs(value! / expected - 1)).toBeLessThanOrEqual(rel);
}

function valid(boardId: string, atMs: number): ValidatedNonce {
  return {
    chipNonce: { boardId, chipIndex: 0, coreId: 0, smallCoreId: 0, chipJobId: 0, nonce: 0, version: 0x20000000, receivedAtMs: atMs },
    job: undefined,
    verdict: 'valid',
    hash: undefined,
    difficulty: 300,
    weight: WEIGHT,
    meetsShareTarget: false,
    meetsNetworkTarget: false,
  };
}

describe('HashrateEstimator with paused time', () => {
  it('leaves paused time out of the covered span: a window that was all paused has no estimate', () => {
    const est = new HashrateEstimator();
    est.start(T0, WEIGHT);
    for (let t = 1000; t <= 10 * MIN; t += 1000) est.record(T0 + t, WEIGHT);
    est.pause(T0 + 10 * MIN);
    // 30 minutes paused: nothing arrives and nothing should.
    expect(est.estimate('1m', T0 + 20 * MIN)).toBeNull();
    expect(est.estimate('10m', T0 + 40 * MIN)).toBeNull();
    // The 1 h window: 10 minutes of hashing out of 40 elapsed, measured over those 10 minutes only.
    const during = est.estimate('1h', T0 + 40 * MIN)!;
    expect(during.coveredS).toBe(600);
    expect(during.valueHs).toBeCloseTo(RATE_HS, -6);
    est.resume(T0 + 40 * MIN);
    for (let t = 40 * MIN + 1000; t <= 50 * MIN; t += 1000) est.record(T0 + t, WEIGHT);
    const after = est.estimate('1h', T0 + 50 * MIN)!;
    expect(after.coveredS).toBe(1200);
    expect(after.samples).toBe(1200);
    expect(after.valueHs).toBeCloseTo(RATE_HS, -6);
    // Without the pause the same nonces over 50 minutes would read 40 % of the rate.
    expect(est.sinceStartHs(T0 + 50 * MIN)).toBeCloseTo(RATE_HS, -6);
  });

  it('a reset during a pause keeps the pause: the clock restarts only when the board does', () => {
    const est = new HashrateEstimator();
    est.start(T0, WEIGHT);
    est.pause(T0 + MIN);
    est.reset();
    est.start(T0 + 2 * MIN, WEIGHT);
    expect(est.paused).toBe(true);
    expect(est.estimate('1m', T0 + 3 * MIN)).toBeNull();
    est.resume(T0 + 5 * MIN);
    for (let t = 5 * MIN + 1000; t <= 6 * MIN; t += 1000) est.record(T0 + t, WEIGHT);
    expect(est.estimate('10m', T0 + 6 * MIN)!.coveredS).toBe(60);
  });
});

describe('Stats and Ledger with a paused board', () => {
  it('a paused hour is recorded as paused, not as zero hashrate; the total is paused only while every board is', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hashdeck-paused-'));
    dirs.push(dir);
    const clock = { now: T0 };
    const ledger = Ledger.open(dir, { nowMs: () => clock.now, flushIntervalMs: 0 });
    ledgers.push(ledger);
    const stats = new Stats({ bus: new EventBus(), ledger, nowMs: () => clock.now });
    stats.recordJobStart('a', T0, WEIGHT);
    stats.recordJobStart('b', T0, WEIGHT);
    const reading = (boardId: string) => ({ boardId, powerW: 12, asicTempC: 55, vrTempC: 50, fanRpm: 3000 });
    // Three hours, a sample every 5 s: hour 0 both mine; hour 1 'a' paused; hour 2 both paused.
    for (let t = 0; t < 3 * HOUR; t += 1000) {
      const at = T0 + t;
      clock.now = at;
      if (t === HOUR) stats.setBoardPaused('a', true, at);
      if (t === 2 * HOUR) stats.setBoardPaused('b', true, at);
      if (!stats.isBoardPaused('a')) stats.recordNonce(valid('a', at));
      if (!stats.isBoardPaused('b')) stats.recordNonce(valid('b', at));
      if (t % 5000 === 4000) stats.sampleToLedger([reading('a'), reading('b')], at);
    }
    clock.now = T0 + 3 * HOUR;
    const a = ledger.history('30d', 'a').points;
    expect(a).toHaveLength(3);
    expect(a[0]).toMatchObject({ paused: false, pausedFraction: 0 });
    expectNear(a[0]!.hashrateHs, RATE_HS);
    // The paused hours: paused, hashrate null (not 0); power and temperatures are still what the board reported.
    for (const p of a.slice(1)) {
      expect(p.paused).toBe(true);
      expect(p.pausedFraction).toBe(1);
      expect(p.hashrateHs).toBeNull();
      expect(p.efficiencyJth).toBeNull();
      expect(p.powerW).toBe(12);
    }
    const b = ledger.history('30d', 'b').points;
    expect(b.map((p) => p.paused)).toEqual([false, false, true]);
    expectNear(b[1]!.hashrateHs, RATE_HS);
    const total = ledger.history('30d', TOTAL_BOARD_ID).points;
    expect(total.map((p) => p.paused)).toEqual([false, false, true]);
    // Hour 1: only 'b' hashed, and the total says so (half the rate, not an average diluted by zeros).
    expectNear(total[1]!.hashrateHs, RATE_HS);
    expectNear(total[0]!.hashrateHs, 2 * RATE_HS);
    expect(total[2]!.hashrateHs).toBeNull();
    // The estimator agrees: 'a' measured over its hashing hour only.
    expectNear(stats.hashrateSinceStartHs('a'), RATE_HS, 0.001);
    // The CSV carries the paused share.
    const csv = ledger
      .exportCsv('samples', T0, T0 + 3 * HOUR, 'a')
      .trim()
      .split('\r\n');
    expect(csv[0]!.split(',').at(-1)).toBe('paused_fraction');
  });

  it('an hour half paused averages the hashing half only and reports the paused share', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hashdeck-paused-'));
    dirs.push(dir);
    const clock = { now: T0 };
    const ledger = Ledger.open(dir, { nowMs: () => clock.now, flushIntervalMs: 0 });
    ledgers.push(ledger);
    const stats = new Stats({ bus: new EventBus(), ledger, nowMs: () => clock.now });
    stats.recordJobStart('a', T0, WEIGHT);
    for (let t = 0; t < HOUR; t += 1000) {
      const at = T0 + t;
      clock.now = at;
      if (t === 30 * MIN) stats.setBoardPaused('a', true, at);
      if (!stats.isBoardPaused('a')) stats.recordNonce(valid('a', at));
      if (t % 5000 === 4000) stats.sampleToLedger([{ boardId: 'a', powerW: null, asicTempC: null, vrTempC: null, fanRpm: null }], at);
    }
    const [hour] = ledger.history('30d', 'a').points;
    expect(hour!.paused).toBe(false);
    expect(hour!.pausedFraction).toBeCloseTo(0.5, 2);
    expectNear(hour!.hashrateHs, RATE_HS);
  });
});
