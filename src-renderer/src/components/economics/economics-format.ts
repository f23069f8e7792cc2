/**
 * Formatting for money, BTC, odds and long durations. A small board earns fractions of a cent and
 * waits millennia for a solo block, so figures keep three significant digits instead of fixed
 * decimals that would round them to zero.
 */
import { formatNumber, MISSING } from '../../lib/format.js';

/** Three significant digits below 1, two decimals up to 100, whole numbers above. */
function amount(x: number): string {
  const a = Math.abs(x);
  if (a === 0) return '0.00';
  if (a >= 100) return formatNumber(Math.round(x));
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

/** −0.0123 USD; a minus sign, never a hyphen. */
export function formatMoney(x: number | null, currency: string): string {
  if (x === null || !Number.isFinite(x)) return MISSING;
  const s = amount(Math.abs(x));
  return `${x < 0 ? '−' : ''}${s} ${currency}`;
}

/** 0.00000052 BTC → "52 sats"; from 0.001 BTC up in BTC. */
export function formatBtc(btc: number | null): string {
  if (btc === null || !Number.isFinite(btc)) return MISSING;
  const sats = btc * 1e8;
  if (Math.abs(btc) < 0.001) return Math.abs(sats) >= 1 ? `${formatNumber(Math.round(sats))} sats` : `${sats.toPrecision(2)} sats`;
  return `${Number(btc.toFixed(8)).toString()} BTC`;
}

const BIG = [
  [1e12, 'trillion'],
  [1e9, 'billion'],
  [1e6, 'million'],
] as const;

function bigNumber(n: number): string {
  for (const [size, word] of BIG) if (n >= size) return `${(n / size).toPrecision(3)} ${word}`;
  return formatNumber(Math.round(n));
}

/**
 * A probability or fraction: "12.3 %" from 1 %, "0.0123 %" from 0.01 %, else "1 in 14.3 billion"
 * (readable where a percentage would be a row of zeros).
 */
export function formatChance(p: number | null): string {
  if (p === null || !Number.isFinite(p) || p < 0) return MISSING;
  if (p === 0) return '0 %';
  if (p >= 0.01) return `${(p * 100).toFixed(p >= 0.999 ? 2 : 1)} %`;
  if (p >= 1e-4) return `${(p * 100).toPrecision(3)} %`;
  return `1 in ${bigNumber(1 / p)}`;
}

/** Durations from seconds to millennia: "42 min", "5.2 h", "18 days", "3.4 years", "19,000 years". */
export function formatLongDuration(s: number | null): string {
  if (s === null || Number.isNaN(s) || s < 0) return MISSING;
  if (s === Infinity) return 'never (no hashrate)';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 2 * 86_400) return `${(s / 3600).toFixed(1)} h`;
  const days = s / 86_400;
  if (days < 730) return `${Math.round(days)} days`;
  const years = days / 365.25;
  if (years < 100) return `${years.toFixed(1)} years`;
  return `${bigNumber(Number(years.toPrecision(2)))} years`;
}

/** Luck as a percentage: 1.034 → "103.4 %". */
export function formatLuck(luck: number | null): string {
  return luck === null || !Number.isFinite(luck) ? MISSING : `${(luck * 100).toFixed(1)} %`;
}

export function formatPricePerKwh(x: number | null, currency: string): string {
  return x === null || !Number.isFinite(x) ? MISSING : `${amount(x)} ${currency}/kWh`;
}
