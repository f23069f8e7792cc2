/**
 * Pool luck for the session with the figures behind it (accepted share difficulty against
 * hashes ÷ 2^32), plus network difficulty and the mean time to a block at the headline hashrate.
 */
import type { EngineSnapshot } from '@shared/contract';
import { expectedTimeToBlockS } from '@shared/economics.js';
import { EmptyState } from '../EmptyState.js';
import { formatDifficulty, formatDuration, formatHashrate, formatNumber } from '../../lib/format.js';
import { WINDOW_LABEL } from '../../lib/estimates.js';
import { luckView, selectHashrate, type HashrateFigure, type LuckView } from './economics-figures.js';
import { formatLongDuration, formatLuck } from './economics-format.js';
import './economics.css';

export interface LuckPanelProps {
  mode: EngineSnapshot['mode'];
  luck: LuckView | null;
  hashrate: HashrateFigure | null;
  networkDifficulty: number | null;
}

export function luckPanelProps(snapshot: EngineSnapshot): LuckPanelProps {
  const d = snapshot.network?.difficulty ?? null;
  return { mode: snapshot.mode, luck: luckView(snapshot), hashrate: selectHashrate(snapshot), networkDifficulty: d !== null && d > 0 ? d : null };
}

export function LuckPanelView({ mode, luck, hashrate, networkDifficulty }: LuckPanelProps): React.JSX.Element {
  const timeToBlock = hashrate && networkDifficulty !== null ? expectedTimeToBlockS(hashrate.hashrateHs, networkDifficulty) : null;
  return (
    <section className="panel" aria-label="luck">
      <div className="panel-title">Luck and time to block</div>
      {mode !== 'pool' ? (
        <p className="muted small">Share luck applies to pool mining{mode === 'solo' ? '; solo odds are on the Dashboard' : ''}.</p>
      ) : luck === null ? (
        <EmptyState title="No luck figure yet" testId="luck-empty">
          Luck needs hashing time and a measured hashrate: it appears once the first valid nonces arrive.
        </EmptyState>
      ) : (
        <div className="econ-grid" data-testid="luck">
          <div className="econ-kv">
            <span className="k">Luck ({luck.periodBasis === 'session' ? 'this session' : 'since first job'})</span>
            <span className={`v ${luck.luck >= 1 ? 'tone-good' : 'tone-warn'}`} data-testid="luck-percent">
              {formatLuck(luck.luck)}
            </span>
            <span className="econ-sub">accepted ÷ expected share difficulty; 100 % = as expected</span>
          </div>
          <div className="econ-kv">
            <span className="k">Accepted</span>
            <span className="v" data-testid="luck-accepted">
              {formatNumber(luck.sharesAccepted)} shares
            </span>
            <span className="econ-sub">Σ difficulty {formatDifficulty(luck.acceptedDifficulty)}</span>
          </div>
          <div className="econ-kv">
            <span className="k">Expected</span>
            <span className="v" data-testid="luck-expected">
              {luck.expectedShares !== null ? `${formatNumber(luck.expectedShares, 1)} shares` : `Σ difficulty ${formatDifficulty(luck.expectedDifficulty)}`}
            </span>
            <span className="econ-sub">
              {formatHashrate(luck.hashrateHs)} × {formatDuration(luck.periodS * 1000)} ÷ 2³²{luck.poolDifficulty !== null ? ` ÷ pool difficulty ${formatDifficulty(luck.poolDifficulty)}` : ''}
            </span>
          </div>
          {luck.periodBasis !== 'session' ? (
            <p className="muted small">Session over a day long: the period runs from the first job, so it is too long if the session was reset more than a day ago.</p>
          ) : null}
        </div>
      )}
      <div className="econ-grid" data-testid="time-to-block">
        <div className="econ-kv">
          <span className="k">Network difficulty</span>
          <span className="v" data-testid="luck-network-difficulty">
            {formatDifficulty(networkDifficulty)}
          </span>
        </div>
        <div className="econ-kv">
          <span className="k">Expected time to a block{hashrate ? ` (${WINDOW_LABEL[hashrate.window]})` : ''}</span>
          <span className="v" data-testid="luck-time-to-block">
            {formatLongDuration(timeToBlock)}
          </span>
          <span className="econ-sub">{hashrate ? `solo at ${formatHashrate(hashrate.hashrateHs)}` : 'waiting for a hashrate'}</span>
        </div>
      </div>
    </section>
  );
}

export function LuckPanel({ snapshot }: { snapshot: EngineSnapshot }): React.JSX.Element {
  return <LuckPanelView {...luckPanelProps(snapshot)} />;
}
