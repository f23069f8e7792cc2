/**
 * The dashboard's J/TH tile: power over the headline hashrate window (named), with measured
 * power where boards have sensors and the user's entered watts otherwise (labelled "entered").
 */
import type { EngineSnapshot } from '@shared/contract';
import { Stat } from '../Stat.js';
import { formatJPerTh } from '../../lib/format.js';
import { WINDOW_LABEL } from '../../lib/estimates.js';
import { useEconomicsSettings } from '../../lib/economics-settings.js';
import { efficiencyView, type EfficiencyView } from './economics-figures.js';

export function EfficiencyStatView({ view }: { view: EfficiencyView }): React.JSX.Element {
  const p = view.power;
  const sub = p ? (
    <span title={p.detail}>
      {p.powerW.toFixed(1)} W{' '}
      {p.source === 'measured' ? (
        'measured'
      ) : (
        <span className="badge small" data-testid="power-entered">
          {p.source}
        </span>
      )}
    </span>
  ) : (
    <span title={view.missing ?? undefined}>
      no power figure · <a href="#/settings">enter watts</a>
    </span>
  );
  const label = view.modelled ? 'Efficiency (modelled, emulated)' : view.window ? `Efficiency (${WINDOW_LABEL[view.window]})` : 'Efficiency';
  return <Stat label={label} value={formatJPerTh(view.jPerTh)} sub={sub} testId="total-efficiency" />;
}

export function EfficiencyStat({ snapshot }: { snapshot: EngineSnapshot }): React.JSX.Element {
  const { settings } = useEconomicsSettings();
  return <EfficiencyStatView view={efficiencyView(snapshot, settings)} />;
}
