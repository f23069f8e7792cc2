/**
 * 95 % intervals for a Poisson mean from an observed count, and the weighted extension used when
 * nonces in one window carry different weights (the ticket difficulty changed).
 */
import { gammaQuantile } from './chi-square.js';

export interface CountInterval {
  low: number;
  high: number;
}

/**
 * Exact (Garwood) interval for the mean of a Poisson count n:
 * low = χ²(α/2; 2n)/2, high = χ²(1−α/2; 2n+2)/2. Coverage is at least the nominal level.
 * n may be fractional (an effective count, below); the gamma quantiles accept any shape.
 */
export function poissonMeanInterval(n: number, confidence = 0.95): CountInterval {
  if (!(n >= 0) || !Number.isFinite(n)) throw new RangeError(`count must be ≥ 0 and finite, got ${n}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const alpha = 1 - confidence;
  return {
    low: n > 0 ? gammaQuantile(alpha / 2, n) : 0,
    high: gammaQuantile(1 - alpha / 2, n + 1),
  };
}

/**
 * Interval for Σw when each event carries a weight w (a scaled Poisson sum).
 *
 * Equal weights w: Σw = w·n exactly, so the interval is w × the Garwood interval on n.
 * Mixed weights: the sum is approximated by a single scaled Poisson with the same mean and
 * variance (Satterthwaite / Kish effective count): w_eff = Σw²/Σw, n_eff = (Σw)²/Σw², then
 * interval = w_eff × Garwood(n_eff). It reduces to the exact case when all weights are equal.
 * With no events, the weight to scale the upper bound by must be given (the current weight).
 */
export function weightedPoissonSumInterval(weightSum: number, weightSquareSum: number, emptyWeight: number, confidence = 0.95): CountInterval {
  if (weightSum <= 0 || weightSquareSum <= 0) {
    const { high } = poissonMeanInterval(0, confidence);
    return { low: 0, high: high * emptyWeight };
  }
  const weightEff = weightSquareSum / weightSum;
  const countEff = weightSum / weightEff;
  const { low, high } = poissonMeanInterval(countEff, confidence);
  return { low: low * weightEff, high: high * weightEff };
}
