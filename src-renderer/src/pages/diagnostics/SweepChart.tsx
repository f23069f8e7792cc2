/** Sweep results as a uPlot chart: hashrate (GH/s) and efficiency (J/TH) against frequency. */
import { useEffect, useRef } from 'react';
import type { SweepRow } from '../../../../src-main/diagnostics/report.js';
import 'uplot/dist/uPlot.min.css';

export function SweepChart({ rows, width = 560, height = 240 }: { rows: SweepRow[]; width?: number; height?: number }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el || rows.length === 0) return;
    let plot: { destroy(): void } | null = null;
    let cancelled = false;
    // uPlot touches the DOM when loaded, so it is loaded in the browser only.
    void import('uplot').then(({ default: UPlot }) => {
      if (cancelled) return;
      const sorted = [...rows].sort((a, b) => a.frequencyMhz - b.frequencyMhz);
      const data: [number[], (number | null)[], (number | null)[]] = [
        sorted.map((r) => r.frequencyMhz),
        sorted.map((r) => r.hashrateHs / 1e9),
        sorted.map((r) => r.jPerTh),
      ];
      plot = new UPlot(
        {
          width,
          height,
          scales: { x: { time: false }, ghs: {}, jth: {} },
          axes: [
            { label: 'MHz' },
            { scale: 'ghs', label: 'GH/s' },
            { scale: 'jth', label: 'J/TH', side: 1, grid: { show: false } },
          ],
          series: [
            { label: 'Frequency (MHz)' },
            { label: 'Hashrate (GH/s)', scale: 'ghs', stroke: '#2f80ed', width: 2, points: { show: true } },
            { label: 'Efficiency (J/TH)', scale: 'jth', stroke: '#eb5757', width: 2, points: { show: true } },
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
  }, [rows, width, height]);
  return <div ref={host} className="sweep-chart" aria-label="Frequency sweep chart" />;
}
