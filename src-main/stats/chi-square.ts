/**
 * Gamma and chi-square quantiles for the Poisson intervals on nonce counts.
 *
 * Exact (to ~1e-10 relative) through the regularized incomplete gamma function for small and
 * medium shapes; Wilson–Hilferty's cube-root normal approximation for large shapes, where it is
 * accurate to well under 0.1 % and the exact series would cost hundreds of terms per call.
 */

/** Above this gamma shape (= chi-square dof / 2) the Wilson–Hilferty approximation is used. */
export const EXACT_SHAPE_LIMIT = 500;

// Lanczos approximation (g = 7, 9 terms): published constants, accurate to ~1e-15.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function lnGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`lnGamma needs x > 0, got ${x}`);
  if (x < 0.5) {
    // Reflection keeps the Lanczos sum in its accurate range.
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a). */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`gamma shape must be > 0, got ${a}`);
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  const logPrefactor = a * Math.log(x) - x - lnGamma(a);
  if (x < a + 1) {
    // Power series: converges quickly when x is below the mode.
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 100_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.min(1, sum * Math.exp(logPrefactor));
  }
  // Continued fraction for the upper tail Q(a, x), evaluated with the modified Lentz method.
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.max(0, 1 - Math.exp(logPrefactor) * h);
}

/** Standard normal CDF, via Φ(z) = ½(1 + sign(z)·P(½, z²/2)). */
export function normalCdf(z: number): number {
  if (z === 0) return 0.5;
  const half = 0.5 * regularizedGammaP(0.5, (z * z) / 2);
  return z > 0 ? 0.5 + half : 0.5 - half;
}

const normalQuantileCache = new Map<number, number>();

/** Standard normal quantile (safeguarded Newton on normalCdf); cached, as few p values are used. */
export function normalQuantile(p: number): number {
  checkProbability(p);
  const cached = normalQuantileCache.get(p);
  if (cached !== undefined) return cached;
  let lo = -40;
  let hi = 40;
  let z = 0;
  for (let i = 0; i < 200; i++) {
    const f = normalCdf(z) - p;
    if (f > 0) hi = z;
    else lo = z;
    const pdf = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
    let next = pdf > 0 ? z - f / pdf : NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - z) < 1e-13 * Math.max(1, Math.abs(z))) {
      z = next;
      break;
    }
    z = next;
  }
  if (normalQuantileCache.size < 64) normalQuantileCache.set(p, z);
  return z;
}

/** Gamma(shape, scale 1) quantile: the x with P(shape, x) = p. Shape 0 is the point mass at 0. */
export function gammaQuantile(p: number, shape: number): number {
  checkProbability(p);
  if (shape < 0 || !Number.isFinite(shape)) throw new RangeError(`gamma shape must be ≥ 0 and finite, got ${shape}`);
  if (shape === 0) return 0;
  if (shape > EXACT_SHAPE_LIMIT) return wilsonHilfertyGamma(p, shape);

  // Bracket [lo, hi] and refine with Newton steps, bisecting whenever Newton leaves the bracket.
  let lo = 0;
  let hi = shape + 40 * Math.sqrt(shape) + 40;
  while (regularizedGammaP(shape, hi) < p) hi *= 2;
  let x = wilsonHilfertyGamma(p, shape);
  if (!(x > lo && x < hi)) x = Math.min(shape, hi / 2);
  const lnGammaShape = lnGamma(shape);
  for (let i = 0; i < 300; i++) {
    const f = regularizedGammaP(shape, x) - p;
    if (f > 0) hi = x;
    else lo = x;
    const pdf = Math.exp((shape - 1) * Math.log(x) - x - lnGammaShape);
    let next = pdf > 0 && Number.isFinite(pdf) ? x - f / pdf : NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-12 * x || hi - lo <= 1e-14 * hi) return next;
    x = next;
  }
  return x;
}

/** Chi-square quantile χ²(p; dof): twice the gamma quantile with shape dof/2. */
export function chiSquareQuantile(p: number, dof: number): number {
  return 2 * gammaQuantile(p, dof / 2);
}

/** Wilson–Hilferty: (χ²/k)^(1/3) is close to normal with mean 1 − 2/(9k) and variance 2/(9k). */
function wilsonHilfertyGamma(p: number, shape: number): number {
  const k = 2 * shape;
  const v = 2 / (9 * k);
  const cube = 1 - v + normalQuantile(p) * Math.sqrt(v);
  return cube > 0 ? (k * cube * cube * cube) / 2 : 0;
}

function checkProbability(p: number): void {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must be in (0, 1), got ${p}`);
}
