/**
 * How the Diagnostics page writes a report's figures: units read from the key names (the report
 * puts them there: hashrateHs, asicTempMaxC, durationMs, …), and the sweep's efficiency.
 */
import type { StepResult, SweepRow } from '@shared/diagnostics-report.js';
import { formatHashrate, MISSING } from '../../lib/format.js';

type Figure = StepResult['figures'][string];

/** Four significant digits are plenty to read; integers as they are. */
function plain(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

/** One step figure with the unit its key names: hashrateHs → "1.43 MH/s", asicTempMaxC → "30.9 °C". */
export function formatFigure(key: string, v: Figure): string {
  if (v === null) return MISSING;
  if (typeof v !== 'number') return String(v);
  if (!Number.isFinite(v)) return MISSING;
  if (/Hs$/.test(key)) return formatHashrate(v);
  if (/Mhz$/.test(key)) return `${plain(v)} MHz`;
  if (/Ms$/.test(key)) return v >= 10_000 ? `${plain(v / 1000)} s` : `${plain(v)} ms`;
  if (/[a-z]C$/.test(key)) return `${plain(v)} °C`;
  if (/[a-z]W$/.test(key)) return `${plain(v)} W`;
  if (/[a-z]V$/.test(key)) return `${plain(v)} V`;
  if (/Rpm$/i.test(key)) return `${plain(v)} rpm`;
  return plain(v);
}

/**
 * Joules per terahash of a sweep row. On hardware it is the report's own (measured power over
 * measured hashrate). An emulator's hashrate is the host CPU's, so power over it would be millions
 * of J/TH: the page shows the modelled figure, power over the rated hashrate of the chips instead.
 */
export function sweepEfficiency(row: SweepRow, emulated: boolean): number | null {
  if (!emulated) return row.jPerTh;
  if (row.powerW === null || !(row.expectedHashrateHs > 0)) return null;
  return row.powerW / (row.expectedHashrateHs / 1e12);
}
