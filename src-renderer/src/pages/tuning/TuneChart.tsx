/**
 * A tuning run as a uPlot chart, one point per measured step in the order measured: hashrate on the
 * left axis, J/TH on the right, and the steps that broke a limit (undone at once) marked apart. On an
 * emulated board both figures are the emulator's model and the labels say so.
 */
import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import { formatHashrate } from '../../lib/format.js';
import { axisBase as themedAxis, CHART_COLORS as COLORS, tickDecimals, useUPlot } from '../../components/uplot-chart.js';
import { describePoint, type StepView } from './tuning-figures.js';

function toData(steps: readonly StepView[]): uPlot.AlignedData {
  return [
    steps.map((s) => s.index),
    steps.map((s) => (s.broken ? null : s.row.hashrateHs)),
    steps.map((s) => (s.broken ? null : s.row.jPerTh)),
    steps.map((s) => (s.broken ? s.row.hashrateHs : null)),
  ];
}

export function TuneChart({ steps, modelled, height = 260 }: { steps: readonly StepView[]; modelled: boolean; height?: number }): React.JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const latest = useRef(steps);
  useEffect(() => {
    latest.current = steps;
  });

  const plot = useUPlot(
    host,
    (UPlot, el, width) => {
      const axisBase = themedAxis();
      const label = (what: string): string => (modelled ? `${what} (modelled)` : what);
      const stepLabel = (i: number): string => {
        const s = latest.current.find((x) => x.index === i);
        return s ? `${s.baseline ? 'start' : `#${i}`} · ${describePoint(s.row)}` : `#${i}`;
      };
      return new UPlot(
        {
          width,
          height,
          legend: { live: true },
          cursor: { drag: { x: false, y: false } },
          scales: {
            x: { time: false, range: (_u, min, max) => [Math.min(min, 0) - 0.5, Math.max(max, 1) + 0.5] },
            hs: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] },
            jth: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] },
          },
          axes: [
            { ...axisBase, label: 'step', incrs: [1, 2, 5, 10, 20, 50], values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? (v === 0 ? 'start' : `#${v}`) : '')) },
            { ...axisBase, scale: 'hs', size: 80, label: label('hashrate'), values: (_u, splits) => splits.map((v) => formatHashrate(v)) },
            {
              ...axisBase,
              scale: 'jth',
              side: 1,
              size: 60,
              label: label('J/TH'),
              grid: { show: false },
              values: (_u, splits, _i, _space, incr) => splits.map((v) => `${v.toFixed(tickDecimals(incr))}`),
            },
          ],
          series: [
            { label: 'Step', value: (_u, v) => (v === null ? '—' : stepLabel(v)) },
            { label: label('Hashrate'), scale: 'hs', stroke: COLORS.hashrate, width: 2, points: { show: true, size: 8 }, spanGaps: true, value: (_u, v) => (v === null ? '—' : formatHashrate(v)) },
            { label: label('J/TH'), scale: 'jth', stroke: COLORS.efficiency, width: 2, points: { show: true, size: 8 }, spanGaps: true, value: (_u, v) => (v === null ? '—' : `${v.toFixed(1)} J/TH`) },
            {
              label: 'Broke a limit (undone)',
              scale: 'hs',
              stroke: COLORS.broken,
              width: 0,
              points: { show: true, size: 10, fill: COLORS.broken },
              value: (_u, v) => (v === null ? '—' : formatHashrate(v)),
            },
          ],
        },
        toData(latest.current),
        el,
      );
    },
    height,
    320,
    modelled,
  );

  useEffect(() => {
    plot.current?.setData(toData(steps));
  }, [plot, steps]);

  return <div className="chart tune-chart" ref={host} data-testid="tune-chart" data-points={steps.length} />;
}
