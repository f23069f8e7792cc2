/**
 * A uPlot time chart: hashrate on the left axis, ASIC temperature and power on the right.
 * The plot is created once per mount and fed with setData, so a new snapshot every second
 * costs one redraw, not a rebuild.
 */
import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import { formatHashrate } from '../lib/format.js';
import { axisBase as themedAxis, CHART_COLORS as COLORS, tickDecimals, useUPlot } from './uplot-chart.js';
import './operation/operation.css';

export interface TimeChartData {
  timeS: number[];
  hashrateHs: (number | null)[];
  asicTempC: (number | null)[];
  powerW: (number | null)[];
  /** Share of each point's time that was paused (0..1): shaded; a wholly paused point has no hashrate (a gap, never a zero). */
  pausedFraction?: number[];
}

/** Shades each paused point's span (to the next point) under the series, darker the more of it was paused. */
function shadePaused(u: uPlot, timeS: readonly number[], paused: readonly number[] | undefined): void {
  if (!paused || !paused.some((p) => p > 0)) return;
  const ctx = u.ctx;
  const { top, height } = u.bbox;
  const step = timeS.length > 1 ? timeS[1]! - timeS[0]! : 60;
  ctx.save();
  for (let i = 0; i < timeS.length; i++) {
    const share = paused[i] ?? 0;
    if (share <= 0) continue;
    ctx.fillStyle = `rgba(139, 150, 165, ${(0.06 + 0.14 * share).toFixed(3)})`;
    const x0 = u.valToPos(timeS[i]!, 'x', true);
    const x1 = u.valToPos(timeS[i + 1] ?? timeS[i]! + step, 'x', true);
    ctx.fillRect(x0, top, Math.max(1, x1 - x0), height);
  }
  ctx.restore();
}

/** At least a minute of time axis: a chart of a few seconds otherwise gets crowded millisecond ticks. */
const MIN_X_SPAN_S = 60;
function xRange(_u: uPlot, min: number, max: number): uPlot.Range.MinMax {
  return max - min < MIN_X_SPAN_S ? [max - MIN_X_SPAN_S, max] : [min, max];
}

function buildOptions(width: number, height: number, latest: { current: TimeChartData }): uPlot.Options {
  const axisBase = themedAxis();
  return {
    width,
    height,
    cursor: { drag: { x: true, y: false } },
    legend: { live: true },
    hooks: { drawClear: [(u) => shadePaused(u, latest.current.timeS, latest.current.pausedFraction)] },
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

function toAligned(d: TimeChartData): uPlot.AlignedData {
  return [d.timeS, d.hashrateHs, d.asicTempC, d.powerW] as uPlot.AlignedData;
}

export function TimeChart({ data, height = 240, testId }: { data: TimeChartData; height?: number; testId?: string }): React.JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const latest = useRef(data);

  // Declared first, so it runs before the effect that creates the plot.
  useEffect(() => {
    latest.current = data;
  });

  const plot = useUPlot(host, (UPlot, el, width) => new UPlot(buildOptions(width, height, latest), toAligned(latest.current), el), height, 300);

  useEffect(() => {
    plot.current?.setData(toAligned(data));
  }, [plot, data]);

  const pausedPoints = data.pausedFraction?.filter((p) => p > 0).length ?? 0;
  return (
    <>
      <div className="chart" ref={host} data-testid={testId} data-points={data.timeS.length} data-paused-points={pausedPoints} />
      {pausedPoints > 0 ? (
        <div className="muted small chart-note" data-testid={testId ? `${testId}-paused` : undefined}>
          <span className="paused-swatch" /> paused (no hashrate is expected, none is shown)
        </div>
      ) : null}
    </>
  );
}
