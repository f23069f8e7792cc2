/**
 * Sweep results as a uPlot chart: hashrate (left axis) and efficiency in J/TH (right axis) against
 * frequency; for an emulated board the efficiency is the modelled one (diagnostics-figures.ts).
 */
import { useEffect, useRef } from 'react';
import type { SweepRow } from '@shared/diagnostics-report.js';
import { formatHashrate } from '../../lib/format.js';
import { axisBase as themedAxis, CHART_COLORS as COLORS, loadUPlot, tickDecimals } from '../../components/uplot-chart.js';
import { sweepEfficiency } from './diagnostics-figures.js';

export function SweepChart({ rows, emulated = false, width = 520, height = 240 }: { rows: SweepRow[]; emulated?: boolean; width?: number; height?: number }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el || rows.length === 0) return;
    let plot: { destroy(): void } | null = null;
    let cancelled = false;
    // uPlot touches the DOM when loaded, so it is loaded in the browser only.
    void loadUPlot().then(({ default: UPlot }) => {
      if (cancelled) return;
      const sorted = [...rows].sort((a, b) => a.frequencyMhz - b.frequencyMhz);
      const data: [number[], (number | null)[], (number | null)[]] = [sorted.map((r) => r.frequencyMhz), sorted.map((r) => r.hashrateHs), sorted.map((r) => sweepEfficiency(r, emulated))];
      const axisBase = themedAxis();
      const efficiencyLabel = emulated ? 'J/TH (modelled)' : 'J/TH';
      // Fixed from the rows (the chart is rebuilt when they change); one frequency alone is padded.
      const lo = sorted[0]!.frequencyMhz;
      const hi = sorted[sorted.length - 1]!.frequencyMhz;
      const pad = Math.max(25, (hi - lo) * 0.08);
      const xRange: [number, number] = [lo - pad, hi + pad];
      plot = new UPlot(
        {
          width,
          height,
          legend: { live: false },
          cursor: { drag: { x: false, y: false } },
          scales: { x: { time: false, range: xRange }, hs: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] }, jth: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] } },
          axes: [
            { ...axisBase, label: 'MHz', values: (_u, splits) => splits.map((v) => String(Math.round(v))) },
            { ...axisBase, scale: 'hs', size: 80, values: (_u, splits) => splits.map((v) => formatHashrate(v)) },
            { ...axisBase, scale: 'jth', side: 1, size: 56, grid: { show: false }, values: (_u, splits, _i, _space, incr) => splits.map((v) => v.toFixed(tickDecimals(incr))) },
          ],
          series: [
            { label: 'Frequency' },
            { label: emulated ? 'Hashrate (emulator)' : 'Hashrate', scale: 'hs', stroke: COLORS.hashrate, width: 2, points: { show: true, size: 7 } },
            { label: efficiencyLabel, scale: 'jth', stroke: COLORS.efficiency, width: 2, points: { show: true, size: 7 } },
          ],
        },
        data,
        el,
      );
    });
    return () => {
      cancelled = true;
      plot?.destroy();
    };
  }, [rows, emulated, width, height]);
  return <div ref={host} className="sweep-chart" aria-label="Frequency sweep chart" data-testid="sweep-chart" data-points={rows.length} />;
}
