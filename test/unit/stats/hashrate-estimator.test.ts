import { describe, expect, it } from 'vitest';
import { HASHES_PER_DIFFICULTY } from '@shared/economics.js';
import { HashrateEstimator, type WindowKey } from '../../../src-main/stats/hashrate-estimator.js';
import { chiSquareQuantile, normalQuantile, regularizedGammaP, lnGamma } from '../../../src-main/stats/chi-square.js';
import { poissonMeanInterval, weightedPoissonSumInterval } from '../../../src-main/stats/poisson-interval.js';
import { exponential, seededRandom } from './seeded-random.js';

const T0 = 1_760_000_000_000; // an epoch-like start time (ms)

describe('chi-square quantiles', () => {
  it('match published table values', () => {
    // χ² table values (5 significant figures)
    expect(chiSquareQuantile(0.975, 1)).toBeCloseTo(5.0239, 3);
    expect(chiSquareQuantile(0.975, 2)).toBeCloseTo(7.3778, 3);
    expect(chiSquareQuantile(0.025, 2)).toBeCloseTo(0.050636, 5);
    expect(chiSquareQuantile(0.025, 10)).toBeCloseTo(3.247, 3);
    expect(chiSquareQuantile(0.975, 22)).toBeCloseTo(36.781, 2);
    expect(chiSquareQuantile(0.025, 100)).toBeCloseTo(74.222, 2);
    expect(chiSquareQuantile(0.975, 100)).toBeCloseTo(129.56, 1);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
  });

  it('inverts the regularized gamma function, and Wilson–Hilferty joins the exact branch smoothly', () => {
    for (const shape of [0.3, 1, 7.5, 120, 499]) {
      for (const p of [0.025, 0.5, 0.975]) {
        const x = chiSquareQuantile(p, 2 * shape) / 2;
        expect(regularizedGammaP(shape, x)).toBeCloseTo(p, 9);
      }
    }
    // Exact at shape 500 vs approximation at 500.5: the gap is the slope (≈1 per unit of shape).
    const exact = chiSquareQuantile(0.975, 1000) / 2;
    const approx = chiSquareQuantile(0.975, 1001) / 2;
    expect(approx - exact).toBeGreaterThan(0.4);
    expect(approx - exact).toBeLessThan(0.6);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
  });

  it('gives the Garwood interval, and the weighted form reduces to it for equal weights', () => {
    const i0 = poissonMeanInterval(0);
    expect(i0.low).toBe(0);
    expect(i0.high).toBeCloseTo(-Math.log(0.025), 9); // 3.6889
    const i10 = poissonMeanInterval(10);
    expect(i10.low).toBeCloseTo(4.7954, 3);
    expect(i10.high).toBeCloseTo(18.39, 2);
    const w = weightedPoissonSumInterval(10 * 256, 10 * 256 * 256, 256);
    expect(w.low).toBeCloseTo(i10.low * 256, 6);
    expect(w.high).toBeCloseTo(i10.high * 256, 6);
    expect(() => poissonMeanInterval(-1)).toThrow(/count/);
  });
});

/** Simulates a Poisson nonce stream at `hashrateHs` with ticket weight w from startMs to endMs. */
function simulate(est: HashrateEstimator, random: () => number, hashrateHs: number, weight: number, startMs: number, endMs: number): number {
  const ratePerMs = hashrateHs / (weight * HASHES_PER_DIFFICULTY) / 1000;
  let t = startMs + exponential(random, ratePerMs);
  let n = 0;
  while (t < endMs) {
    est.record(t, weight);
    n++;
    t += exponential(random, ratePerMs);
  }
  return n;
}

function coverageRun(window: WindowKey, runs: number, seed: number, hashrateHs: number, weight: number, windowMs: number) {
  const random = seededRandom(seed);
  let covered = 0;
  let sumRatio = 0;
  for (let r = 0; r < runs; r++) {
    const est = new HashrateEstimator();
    est.start(T0, weight);
    // Full window plus a random phase so bucket edges fall anywhere.
    const nowMs = T0 + windowMs + 5_000 + random() * 10_000;
    simulate(est, random, hashrateHs, weight, T0, nowMs);
    const e = est.estimate(window, nowMs)!;
    expect(e.coveredS).toBeLessThanOrEqual(e.windowS);
    if (e.lowHs <= hashrateHs && hashrateHs <= e.highHs) covered++;
    sumRatio += e.valueHs / hashrateHs;
  }
  return { coverage: covered / runs, meanRatio: sumRatio / runs };
}

describe('HashrateEstimator on simulated Poisson streams', () => {
  it('1 TH/s at ticket 256, 1 m window: unbiased and the 95 % interval covers ~95 % of 1000 runs', () => {
    const { coverage, meanRatio } = coverageRun('1m', 1000, 42, 1e12, 256, 60_000);
    expect(Math.abs(meanRatio - 1)).toBeLessThan(0.02); // SE of the mean ≈ 0.43 %
    expect(coverage).toBeGreaterThanOrEqual(0.9);
    expect(coverage).toBeLessThanOrEqual(0.99);
  });

  it('500 GH/s at ticket 512, 10 m window over 300 runs', () => {
    const { coverage, meanRatio } = coverageRun('10m', 300, 7, 5e11, 512, 600_000);
    expect(Math.abs(meanRatio - 1)).toBeLessThan(0.02);
    expect(coverage).toBeGreaterThanOrEqual(0.88);
    expect(coverage).toBeLessThanOrEqual(1);
  });

  it('mixed weights (ticket changed mid-window) stay unbiased with a sound interval', () => {
    const random = seededRandom(99);
    const runs = 400;
    let covered = 0;
    let sumRatio = 0;
    const H = 2e12;
    for (let r = 0; r < runs; r++) {
      const est = new HashrateEstimator();
      est.start(T0, 256);
      const mid = T0 + 30_000;
      const end = T0 + 65_000 + random() * 1000;
      simulate(est, random, H, 256, T0, mid);
      simulate(est, random, H, 1024, mid, end);
      const e = est.estimate('1m', end)!;
      if (e.lowHs <= H && H <= e.highHs) covered++;
      sumRatio += e.valueHs / H;
    }
    expect(Math.abs(sumRatio / runs - 1)).toBeLessThan(0.03);
    expect(covered / runs).toBeGreaterThanOrEqual(0.88);
    expect(covered / runs).toBeLessThanOrEqual(0.995);
  });
});

describe('HashrateEstimator windows and warm-up', () => {
  it('is null before the first job and without a known weight', () => {
    const est = new HashrateEstimator();
    expect(est.estimate('1m', T0)).toBeNull();
    est.start(T0);
    expect(est.estimate('1m', T0 + 5000)).toBeNull(); // no weight yet: no honest upper bound
    expect(est.estimate('1m', T0)).toBeNull(); // no time covered
  });

  it('with no nonces yet reports 0 with the zero-count upper bound', () => {
    const est = new HashrateEstimator();
    est.start(T0, 256);
    const e = est.estimate('1m', T0 + 10_000)!;
    expect(e.valueHs).toBe(0);
    expect(e.lowHs).toBe(0);
    expect(e.highHs).toBeCloseTo((-Math.log(0.025) * 256 * HASHES_PER_DIFFICULTY) / 10, 0);
    expect(e.samples).toBe(0);
  });

  it('during warm-up divides by the covered time since the first job, not the full window', () => {
    const est = new HashrateEstimator();
    est.start(T0 + 250, 256);
    for (let i = 1; i <= 10; i++) est.record(T0 + 250 + i * 900, 256);
    const now = T0 + 250 + 10_000;
    const w = est.windows(now);
    for (const key of ['1m', '10m', '1h', '24h'] as const) {
      const e = w[key]!;
      expect(e.coveredS).toBeCloseTo(10, 9);
      expect(e.samples).toBe(10);
      expect(e.valueHs).toBeCloseTo((10 * 256 * HASHES_PER_DIFFICULTY) / 10, 0);
      expect(e.lowHs).toBeLessThan(e.valueHs);
      expect(e.highHs).toBeGreaterThan(e.valueHs);
    }
    expect(w['1m']!.windowS).toBe(60);
    expect(w['24h']!.windowS).toBe(86_400);
    expect(est.sinceStartHs(now)).toBeCloseTo((10 * 256 * HASHES_PER_DIFFICULTY) / 10, 0);
  });

  it('a full window spans the bucket-aligned time its counts belong to', () => {
    const est = new HashrateEstimator();
    est.start(T0, 1);
    for (let s = 0; s < 200; s++) est.record(T0 + s * 1000 + 500, 1); // one nonce mid-second
    const now = T0 + 200_000 + 300; // 0.3 s into the current bucket
    const e = est.estimate('1m', now)!;
    // Buckets [now-59 s .. now]: 59 whole past seconds + the current 0.3 s.
    expect(e.coveredS).toBeCloseTo(59.3, 9);
    expect(e.samples).toBe(59); // second 199's nonce at +0.5 s lies in the bucket that now ends the window
    expect(e.valueHs).toBeCloseTo((59 * HASHES_PER_DIFFICULTY) / 59.3, 0);
  });

  it('old nonces fall out and memory stays bounded over two days', () => {
    const est = new HashrateEstimator();
    est.start(T0, 16);
    const random = seededRandom(3);
    const twoDays = 2 * 86_400_000;
    // 0.1 nonce/s at weight 16.
    const n = simulate(est, random, 0.1 * 16 * HASHES_PER_DIFFICULTY, 16, T0, T0 + twoDays);
    expect(est.totalCount).toBe(n);
    const e24 = est.estimate('24h', T0 + twoDays)!;
    expect(e24.coveredS).toBeGreaterThan(86_340);
    expect(e24.coveredS).toBeLessThanOrEqual(86_400);
    expect(e24.samples).toBeGreaterThan(8640 * 0.9);
    expect(e24.samples).toBeLessThan(8640 * 1.1);
    // An hour of silence empties the 1 m and 10 m windows.
    const later = T0 + twoDays + 3_600_000;
    expect(est.estimate('1m', later)!.samples).toBe(0);
    expect(est.estimate('10m', later)!.valueHs).toBe(0);
  });

  it('keeps buckets monotonic for slightly out-of-order timestamps and rejects bad input', () => {
    const est = new HashrateEstimator();
    est.start(T0);
    est.record(T0 + 2000, 256);
    est.record(T0 + 1990, 256); // interleaved boards
    expect(est.estimate('1m', T0 + 3000)!.samples).toBe(2);
    expect(() => est.record(T0, 0)).toThrow(/weight/);
    expect(() => est.record(Number.NaN, 1)).toThrow(/time/);
  });
});
