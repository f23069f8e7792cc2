/**
 * Dashboard economics: cost, expected revenue (hashprice from network difficulty, subsidy by
 * height and the user's average fees), net, break-even electricity price and share of the
 * network; in solo mode the odds of a block and its expected value. Every figure names its
 * inputs; a figure whose input is missing is a dash and the panel says what to enter.
 */
import { useState } from 'react';
import type { EngineSnapshot } from '@shared/contract';
import { EmptyState } from '../EmptyState.js';
import { formatDifficulty, formatHashrate, formatNumber, MISSING } from '../../lib/format.js';
import { WINDOW_LABEL } from '../../lib/estimates.js';
import { useEconomicsSettings } from '../../lib/economics-settings.js';
import { economicsView, type EconomicsView } from './economics-figures.js';
import { formatBtc, formatChance, formatLongDuration, formatMoney, formatPricePerKwh } from './economics-format.js';
import { EconomicsInputsForm } from './EconomicsInputsForm.js';
import './economics.css';

function Kv({ k, v, sub, testId, tone }: { k: string; v: React.ReactNode; sub?: React.ReactNode; testId?: string; tone?: 'good' | 'bad' | undefined }): React.JSX.Element {
  return (
    <div className="econ-kv">
      <span className="k">{k}</span>
      <span className={`v${tone ? ` tone-${tone}` : ''}`} data-testid={testId}>
        {v}
      </span>
      {sub !== undefined ? <span className="econ-sub">{sub}</span> : null}
    </div>
  );
}

export function EconomicsPanelView({ view, mode, emulated }: { view: EconomicsView; mode: EngineSnapshot['mode']; emulated: boolean }): React.JSX.Element {
  const c = view.currency;
  const rate = view.hashrate;
  const solo = mode === 'solo';
  if (!rate || !view.network) {
    return (
      <EmptyState title={!rate ? 'No hashrate yet' : 'Network difficulty unknown'} testId="economics-empty">
        <ul className="econ-missing">
          {view.missing.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      </EmptyState>
    );
  }
  const net = view.network;
  const fees = `${formatBtc(view.avgFeesBtc)} fees${view.avgFeesIsDefault ? ' (default, adjust in inputs)' : ' (entered)'}`;
  return (
    <div data-testid="economics">
      <div className="econ-basis muted small" data-testid="economics-basis">
        At {formatHashrate(rate.hashrateHs)} ({WINDOW_LABEL[rate.window]} window{emulated ? ', includes emulated boards' : ''}) ·{' '}
        {view.power ? (
          <span title={view.power.detail}>
            {view.power.powerW.toFixed(1)} W{' '}
            {view.power.source === 'measured' ? (
              'measured'
            ) : (
              <span className="badge small" data-testid="economics-power-entered">
                {view.power.source}
              </span>
            )}
          </span>
        ) : (
          'no power figure'
        )}
        {' · '}network difficulty {formatDifficulty(net.difficulty)}
        {net.height !== null ? ` at height ${formatNumber(net.height)}` : ''}
      </div>
      <div className="econ-grid">
        <Kv k="Cost / day" v={formatMoney(view.costPerDay, c)} sub={view.power ? `${((view.power.powerW * 24) / 1000).toFixed(2)} kWh/day` : undefined} testId="econ-cost" />
        <Kv
          k={solo ? 'Expected value / day' : 'Expected revenue / day'}
          v={formatMoney(view.revenuePerDay, c)}
          sub={`${formatBtc(view.revenuePerDayBtc)}${solo ? ' · solo pays all or nothing' : ' · before pool fees'}`}
          testId="econ-revenue"
        />
        <Kv k="Net / day" v={formatMoney(view.netPerDay, c)} tone={view.netPerDay === null ? undefined : view.netPerDay >= 0 ? 'good' : 'bad'} testId="econ-net" />
        <Kv k="Break-even electricity" v={formatPricePerKwh(view.breakEvenPerKwh, c)} sub="price at which revenue = cost" testId="econ-breakeven" />
        <Kv
          k="Hashprice"
          v={view.hashpricePerThDay === null ? MISSING : `${formatMoney(view.hashpricePerThDay, c)} /TH/day`}
          sub={view.subsidyBtc !== null ? `${formatBtc(view.subsidyBtc)} subsidy + ${fees}` : fees}
          testId="econ-hashprice"
        />
        <Kv k="Share of network" v={formatChance(view.networkShare)} sub={`network ≈ ${formatHashrate(net.hashrateHs)} from difficulty`} testId="econ-share" />
      </div>
      {solo ? (
        <div className="econ-grid econ-solo" data-testid="economics-solo">
          <Kv k="Expected time to a block" v={formatLongDuration(view.solo?.expectedTimeToBlockS ?? null)} sub="mean; any block is equally likely" testId="econ-time-to-block" />
          <Kv k="Chance of a block in a day" v={formatChance(view.solo?.chanceDay ?? null)} testId="econ-chance-day" />
          <Kv k="… in a month (30 d)" v={formatChance(view.solo?.chanceMonth ?? null)} testId="econ-chance-month" />
          <Kv k="… in a year" v={formatChance(view.solo?.chanceYear ?? null)} testId="econ-chance-year" />
        </div>
      ) : null}
      {view.missing.length > 0 ? (
        <ul className="econ-missing muted small" data-testid="economics-missing">
          {view.missing.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function EconomicsPanel({ snapshot }: { snapshot: EngineSnapshot }): React.JSX.Element {
  const { settings } = useEconomicsSettings();
  const [editing, setEditing] = useState(false);
  const view = economicsView(snapshot, settings);
  return (
    <section className="panel economics-panel" aria-label="economics">
      <div className="panel-title econ-title">
        <span>{snapshot.mode === 'solo' ? 'Economics and solo odds' : 'Economics'}</span>
        <button type="button" className="btn btn-small" aria-expanded={editing} onClick={() => setEditing((e) => !e)} data-testid="economics-edit">
          {editing ? 'Close inputs' : 'Edit inputs'}
        </button>
      </div>
      {editing ? <EconomicsInputsForm boards={snapshot.boards} onSaved={() => setEditing(false)} /> : null}
      <EconomicsPanelView view={view} mode={snapshot.mode} emulated={snapshot.boards.some((b) => b.emulated)} />
    </section>
  );
}
