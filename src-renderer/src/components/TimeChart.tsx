/**
 * A uPlot time chart: hashrate on the left axis, ASIC temperature and power on the right.
 * The plot is created once per mount and fed with setData, so a new snapshot every second
 * costs one redraw, not a rebuild. uPlot itself is loaded with the first chart (its own chunk), so
 * a page draws its figures without waiting for it.
 */
import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatHashrate } from '../lib/format.js';

export interface TimeChartData {
  timeS: number[];
  hashrateHs: (number | null)[];
  asicTempC: (number | null)[];
  powerW: (number | null)[];
}

const COLORS = { hashrate: '#f7a400', temp: '#ff5d73', power: '#4fb3ff', grid: 'rgba(255,255,255,0.07)', axis: '#9aa4b2' };

/** At least a minute of time axis: a chart of a few seconds otherwise gets crowded millisecond ticks. */
const MIN_X_SPAN_S = 60;
function xRange(_u: uPlot, min: number, max: number): uPlot.Range.MinMax {
  return max - min < MIN_X_SPAN_S ? [max - MIN_X_SPAN_S, max] : [min, max];
}

/** Enough decimals to tell ticks apart: a flat 25.0–25.4 °C line once showed "25°C" three times. */
function tickDecimals(incr: number): number {
  // The fewest decimals that write the tick step exactly (2.5 → 1, 0.25 → 2), at most 3.
  for (let d = 0; d < 3; d++) {
    const scaled = incr * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 3;
}

function buildOptions(width: number, height: number): uPlot.Options {
  const axisBase = { stroke: COLORS.axis, grid: { stroke: COLORS.grid, width: 1 }, ticks: { stroke: COLORS.grid, width: 1 } };
  return {
    width,
    height,
    cursor: { drag: { x: true, y: false } },
    legend: { live: true },
    scales: { x: { time: true, range: xRange }, hs: { auto: true, range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] }, c: { auto: true }, w: { auto: true } },
    series: [
      {},
      { label: 'Hashrate', scale: 'hs', stroke: COLORS.hashrate, width: 2, fill: 'rgba(247,164,0,0.08)', value: (_u, v) => (v === null ? '—' : formatHashrate(v)), spanGaps: false },
      { label: 'ASIC temp', scale: 'c', stroke: COLORS.temp, width: 1.5, value: (_u, v) => (v === null ? '—' : `${v.toFixed(1)} °C`) },
      { label: 'Power', scale: 'w', stroke: COLORS.power, width: 1.5, value: (_u, v) => (v === null ? '—' : `${v.toFixed(1)} W`) },
    ],
    axes: [
      { ...axisBase },
      { ...axisBase, scale: 'hs', size: 80, values: (_u, splits) => splits.map((v) => formatHashrate(v)) },
      { ...axisBase, scale: 'c', side: 1, size: 56, grid: { show: false }, values: (_u, splits, _i, _space, incr) => splits.map((v) => `${v.toFixed(tickDecimals(incr))}°C`) },
      { ...axisBase, scale: 'w', side: 1, size: 64, grid: { show: false }, values: (_u, splits, _i, _space, incr) => splits.map((v) => `${v.toFixed(tickDecimals(incr))} W`) },
    ],
  };
}

const importUPlot = () => import('uplot');
let uPlotModule: ReturnType<typeof importUPlot> | null = null;
function loadUPlot(): ReturnType<typeof importUPlot> {
  return (uPlotModule ??= importUPlot());
}

function toAligned(d: TimeChartData): uPlot.AlignedData {
  return [d.timeS, d.hashrateHs, d.asicTempC, d.powerW] as uPlot.AlignedData;
}

export function TimeChart({ data, height = 240, testId }: { data: TimeChartData; height?: number; testId?: string }): React.JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(data);

  // Declared first, so it runs before the effect that creates the plot.
  useEffect(() => {
    latest.current = data;
  });

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let unmounted = false;
    let u: uPlot | null = null;
    let ro: ResizeObserver | null = null;
    void loadUPlot().then(({ default: UPlot }) => {
      if (unmounted) return;
      const chart = new UPlot(buildOptions(Math.max(300, el.clientWidth), height), toAligned(latest.current), el);
      u = chart;
      plot.current = chart;
      ro = new ResizeObserver(() => {
        const w = Math.max(300, el.clientWidth);
        if (w !== chart.width) chart.setSize({ width: w, height });
      });
      ro.observe(el);
    });
    return () => {
      unmounted = true;
      ro?.disconnect();
      u?.destroy();
      plot.current = null;
    };
  }, [height]);

  useEffect(() => {
    plot.current?.setData(toAligned(data));
  }, [data]);

  return <div className="chart" ref={host} data-testid={testId} data-points={data.timeS.length} />;
}
