/**
 * Number formatting shared by the dashboard, the CLI and diagnostics reports. Every figure
 * carries its unit; a missing figure is an em dash, never a made-up zero.
 */
import type { Estimate } from './contract/index.js';

export const MISSING = '—';

const HASH_UNITS = ['H/s', 'kH/s', 'MH/s', 'GH/s', 'TH/s', 'PH/s', 'EH/s', 'ZH/s'] as const;
const SI_SUFFIXES = ['', 'k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'] as const;

/** Index of the 1000-power that puts |x| in [1, 1000). */
function scaleIndex(x: number, max: number): number {
  const a = Math.abs(x);
  if (a < 1) return 0;
  let i = Math.min(max, Math.floor(Math.log10(a) / 3 + 1e-12));
  // 999.7 G would print as "1000 GH/s"; show "1.00 TH/s" instead.
  if (i < max && a / 1000 ** i >= 999.5) i++;
  return i;
}

function decimalsOf(x: number): number {
  const a = Math.abs(x);
  return a >= 100 ? 0 : a >= 10 ? 1 : 2;
}

/** Three significant figures, trailing zeros kept only as far as they carry precision. */
function sig3(x: number): string {
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** 412.3e9 → "412 GH/s". */
export function formatHashrate(hs: number | null | undefined): string {
  if (hs === null || hs === undefined || !Number.isFinite(hs)) return MISSING;
  const i = scaleIndex(hs, HASH_UNITS.length - 1);
  return `${sig3(hs / 1000 ** i)} ${HASH_UNITS[i]}`;
}

/** Splits a hashrate into number and unit (for large dashboard figures). */
export function hashrateParts(hs: number, unitOf?: number): { value: string; unit: string; divisor: number } {
  const i = scaleIndex(unitOf ?? hs, HASH_UNITS.length - 1);
  const divisor = 1000 ** i;
  return { value: sig3(hs / divisor), unit: HASH_UNITS[i] ?? 'H/s', divisor };
}

/**
 * "412 ± 18 GH/s": the estimate with the half-width of its 95 % interval. The interval from
 * counts is not symmetric; the half-width is (high − low) / 2 and the exact bounds go in the
 * tooltip (formatEstimateRange).
 */
export function formatEstimate(e: Estimate | null | undefined): string {
  if (!e) return MISSING;
  const { value, unit, divisor } = hashrateParts(e.valueHs);
  const half = (e.highHs - e.lowHs) / 2 / divisor;
  // The half-width gets the value's decimals: "412 ± 18", "41.2 ± 1.8".
  return `${value} ± ${half.toFixed(decimalsOf(e.valueHs / divisor))} ${unit}`;
}

export function formatEstimateRange(e: Estimate | null | undefined): string {
  if (!e) return '';
  const { unit, divisor } = hashrateParts(e.valueHs);
  const warm = e.coveredS < e.windowS ? `, warming up: ${formatDuration(e.coveredS * 1000)} of ${formatDuration(e.windowS * 1000)}` : '';
  return `95 % interval ${sig3(e.lowHs / divisor)}–${sig3(e.highHs / divisor)} ${unit} from ${e.samples} samples${warm}`;
}

/**
 * Share/network difficulty with k/M/G/T suffixes: 1234567 → "1.23M". Below 1 two significant
 * figures (0.5 → "0.50", 0.0002 → "0.00020"): small boards mine at pool difficulties like 0.0002,
 * which fixed decimals would show as "0.00".
 */
export function formatDifficulty(d: number | null | undefined): string {
  if (d === null || d === undefined || !Number.isFinite(d)) return MISSING;
  if (d !== 0 && Math.abs(d) < 1) return d.toPrecision(2);
  if (Math.abs(d) < 1000) return Math.abs(d) >= 100 || Number.isInteger(d) ? d.toFixed(0) : sig3(d);
  const i = scaleIndex(d, SI_SUFFIXES.length - 1);
  return `${sig3(d / 1000 ** i)}${SI_SUFFIXES[i]}`;
}

/** J/TH = W / (H/s ÷ 1e12); null when either input is missing or hashrate is zero. */
export function efficiencyJPerTh(powerW: number | null | undefined, hashrateHs: number | null | undefined): number | null {
  if (powerW === null || powerW === undefined || hashrateHs === null || hashrateHs === undefined) return null;
  if (!(hashrateHs > 0) || !Number.isFinite(powerW)) return null;
  return powerW / (hashrateHs / 1e12);
}

export function formatJPerTh(j: number | null): string {
  return j === null ? MISSING : `${j >= 100 ? j.toFixed(0) : j.toFixed(1)} J/TH`;
}

/** Hardware-error share of judged nonces (valid + errors), as a percentage. */
export function hwErrorPercent(validNonces: number, hwErrors: number): number | null {
  const judged = validNonces + hwErrors;
  return judged > 0 ? (hwErrors / judged) * 100 : null;
}

export function formatPercent(p: number | null, digits = 2): string {
  return p === null || !Number.isFinite(p) ? MISSING : `${p.toFixed(digits)} %`;
}

/**
 * `digits` decimals with en-US thousands separators (1,234.50), exactly as toLocaleString('en-US')
 * writes them: from the shortest decimal form of the number (String(n)), rounded half away from
 * zero. Done by hand: toLocaleString with options builds a new formatter on every call, and the
 * first Intl formatter of a page loads the locale data (tens of ms), which was the dashboard's
 * costliest step with 32 boards (bench/dashboard.bench.ts).
 */
export function formatNumber(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return MISSING;
  const negative = n < 0 || Object.is(n, -0);
  // Shortest decimal form → all digits and the position of the point.
  const [mantissa, exponent] = String(Math.abs(n)).split('e');
  const [whole = '', fraction = ''] = mantissa!.split('.');
  let all = whole + fraction;
  let point = whole.length + (exponent === undefined ? 0 : Number(exponent));
  if (point < 1) {
    all = '0'.repeat(1 - point) + all;
    point = 1;
  }
  all = all.padEnd(point + digits + 1, '0');
  // Keep `digits` decimals; round half away from zero on the next digit.
  let kept = all.slice(0, point + digits);
  if (all.charCodeAt(point + digits) >= 53 /* '5' */) {
    const up = kept.split('');
    let i = up.length - 1;
    while (i >= 0 && up[i] === '9') up[i--] = '0';
    if (i >= 0) up[i] = String(Number(up[i]) + 1);
    else {
      up.unshift('1');
      point++;
    }
    kept = up.join('');
  }
  const intPart = kept.slice(0, point).replace(/^0+(?=\d)/, '');
  let grouped = '';
  for (let i = intPart.length; i > 0; i -= 3) grouped = intPart.slice(Math.max(0, i - 3), i) + (grouped ? `,${grouped}` : '');
  return `${negative ? '-' : ''}${grouped}${digits > 0 ? `.${kept.slice(point)}` : ''}`;
}

export function formatUnit(n: number | null | undefined, unit: string, digits = 1): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return MISSING;
  return `${n.toFixed(digits)} ${unit}`;
}

/** A board's ASIC and voltage-regulator temperatures: "61 °C / 48 °C". */
export function formatTemps(asicC: number | null, vrC: number | null): string {
  return `${formatUnit(asicC, '°C', 0)} / ${formatUnit(vrC, '°C', 0)}`;
}

/** "4200 rpm (60 %)"; a fan that reports only its duty still shows it. */
export function formatFan(rpm: number | null, percent: number | null): string {
  if (rpm === null && percent === null) return MISSING;
  return `${rpm === null ? MISSING : `${rpm.toFixed(0)} rpm`}${percent !== null ? ` (${percent.toFixed(0)} %)` : ''}`;
}

/** 93784000 → "1d 2h 3m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return MISSING;
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h ${m}m`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

export function formatClock(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
