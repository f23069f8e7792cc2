/**
 * What the dashboard's uPlot charts share (TimeChart, the tuning chart, the sweep chart): uPlot
 * loaded with the first chart (its own chunk, so a page draws its figures without waiting for it),
 * the axis look that follows the theme, tick decimals, and a chart that keeps to its box's width.
 */
import { useEffect, useRef, type RefObject } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export const CHART_COLORS = { hashrate: '#f7a400', temp: '#ff5d73', efficiency: '#4fb3ff', power: '#4fb3ff', broken: '#f85149', grid: 'rgba(255,255,255,0.07)', axis: '#9aa4b2' };

const importUPlot = () => import('uplot');
let uPlotModule: ReturnType<typeof importUPlot> | null = null;
export function loadUPlot(): ReturnType<typeof importUPlot> {
  return (uPlotModule ??= importUPlot());
}

/** Enough decimals to tell ticks apart: a flat 25.0–25.4 °C line once showed "25°C" three times. */
export function tickDecimals(incr: number): number {
  // The fewest decimals that write the tick step exactly (2.5 → 1, 0.25 → 2), at most 3.
  for (let d = 0; d < 3; d++) {
    const scaled = incr * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 3;
}

/** Axis and grid strokes; the grid follows the theme (theme.css sets --chart-grid for the light palette). */
export function axisBase(): Pick<uPlot.Axis, 'stroke' | 'grid' | 'ticks'> {
  const grid = getComputedStyle(document.documentElement).getPropertyValue('--chart-grid').trim() || CHART_COLORS.grid;
  return { stroke: CHART_COLORS.axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
}

/**
 * Makes the chart in `host` once uPlot is loaded, keeps it as wide as its box (at least
 * `minWidth`), and destroys it on unmount or when `height` or `rebuildKey` change. `create` is
 * read when the chart is made, so it may use the latest props without causing a rebuild; the
 * chart is then fed with setData through the returned ref (one redraw, not a rebuild).
 */
export function useUPlot(
  host: RefObject<HTMLDivElement | null>,
  create: (UPlot: typeof uPlot, el: HTMLDivElement, width: number) => uPlot,
  height: number,
  minWidth: number,
  rebuildKey?: unknown,
): RefObject<uPlot | null> {
  const plot = useRef<uPlot | null>(null);
  const make = useRef(create);
  useEffect(() => {
    make.current = create;
  });
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let unmounted = false;
    let chart: uPlot | null = null;
    let ro: ResizeObserver | null = null;
    void loadUPlot().then(({ default: UPlot }) => {
      if (unmounted) return;
      const made = make.current(UPlot, el, Math.max(minWidth, el.clientWidth));
      chart = made;
      plot.current = made;
      ro = new ResizeObserver(() => {
        const w = Math.max(minWidth, el.clientWidth);
        if (w !== made.width) made.setSize({ width: w, height });
      });
      ro.observe(el);
    });
    return () => {
      unmounted = true;
      ro?.disconnect();
      chart?.destroy();
      plot.current = null;
    };
  }, [host, height, minWidth, rebuildKey]);
  return plot;
}
