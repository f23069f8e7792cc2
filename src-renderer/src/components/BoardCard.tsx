/**
 * One board at a glance. Kept light (no chart, no per-chip list) so that 32 of them redraw
 * cheaply every second; details live on the Boards page.
 */
import { memo } from 'react';
import type { BoardSnapshot } from '@shared/contract';
import { efficiencyJPerTh, formatEstimate, formatEstimateRange, formatFan, formatHashrate, formatJPerTh, formatPercent, formatTemps, formatUnit, hwErrorPercent, MISSING } from '../lib/format.js';
import { headlineEstimate, ratioOfExpected, WINDOW_LABEL } from '../lib/estimates.js';
import { EmulatedBadge } from './EmulatedBadge.js';
import { BoardOperationRow } from './operation/BoardOperationRow.js';
import { KeyValue } from './KeyValue.js';
import './operation/operation.css';

const STATE_TONE: Record<BoardSnapshot['state'], 'good' | 'warn' | 'bad' | 'idle'> = {
  starting: 'idle',
  initialising: 'idle',
  hashing: 'good',
  recovering: 'warn',
  cooling: 'warn',
  paused: 'idle',
  lost: 'bad',
  stopped: 'idle',
  error: 'bad',
};

export const BoardCard = memo(function BoardCard({ board }: { board: BoardSnapshot }): React.JSX.Element {
  const s = board.sensors;
  const head = headlineEstimate(board.hashrate);
  const ratio = head ? ratioOfExpected(head.estimate.valueHs, board.expectedHashrateHs) : null;
  const hwPct = hwErrorPercent(board.counters.validNonces, board.counters.hwErrors);
  const chips = board.chipsExpected !== null ? `${board.chipsFound} / ${board.chipsExpected}` : String(board.chipsFound);
  const chipsShort = board.chipsExpected !== null && board.chipsFound < board.chipsExpected;
  return (
    <article className={`board-card state-${STATE_TONE[board.state]}`} data-testid={`board-${board.id}`}>
      <header className="board-head">
        <div className="board-title">
          <span className="board-name" title={board.name}>
            {board.name}
          </span>
          <span className="board-model">
            {board.model.toUpperCase()} {board.emulated ? <EmulatedBadge scaleBits={board.scaleBits} /> : null}
          </span>
        </div>
        <div className="board-badges">
          <span className={`badge badge-state tone-${STATE_TONE[board.state]}`} data-testid="board-state" title={board.stateDetail ?? undefined}>
            {board.state}
          </span>
        </div>
      </header>
      <div className="board-rate" title={head ? formatEstimateRange(head.estimate) : 'No valid nonces yet'}>
        <span className="board-rate-value" data-testid="board-hashrate">
          {head ? formatEstimate(head.estimate) : MISSING}
        </span>
        <span className="board-rate-window">
          {head ? WINDOW_LABEL[head.window] : 'waiting for nonces'}
          {/* Paused time is left out of the estimate: it is the rate while the board hashed. */}
          {board.state === 'paused' && head ? ' hashed' : ''}
        </span>
      </div>
      {board.emulated ? null : (
        <div className="bar" aria-label="hashrate versus expected">
          <div className="bar-fill" style={{ width: `${Math.min(100, (ratio ?? 0) * 100).toFixed(1)}%` }} />
        </div>
      )}
      <div className="board-expected" title={board.emulated ? 'What real chips of this model would do at this frequency; the emulator hashes on the CPU, so no ratio is shown.' : undefined}>
        expected <span data-testid="board-expected">{formatHashrate(board.expectedHashrateHs)}</span>
        {/* An emulator hashes on the CPU: a percentage of real silicon's rate would read as a failing board. */}
        {board.emulated ? ' for real chips' : ratio !== null ? ` · ${(ratio * 100).toFixed(0)} %` : ''}
      </div>
      <div className="kv-grid">
        <KeyValue k="Chips" v={chips} testId="board-chips" />
        <KeyValue k="Freq" v={formatUnit(board.frequencyMhz, 'MHz', 0)} testId="board-frequency" />
        <KeyValue k="Core" v={s.coreVoltageV === null ? MISSING : `${(s.coreVoltageV * 1000).toFixed(0)} mV`} testId="board-voltage" />
        <KeyValue k="Power" v={formatUnit(s.powerW, 'W')} testId="board-power" />
        <KeyValue k="HW err" v={`${formatPercent(hwPct)}`} testId="board-hw" />
        {/* An emulator's power is its model of real chips while it hashes on the CPU: J/TH from the two means nothing. */}
        <KeyValue k="Eff" v={board.emulated ? MISSING : formatJPerTh(efficiencyJPerTh(s.powerW, head?.estimate.valueHs))} testId="board-efficiency" />
        {/* The two long figures get the card's full width (a 250 px card cut them off). */}
        <KeyValue k="ASIC / VR temp" v={formatTemps(s.asicTempC, s.vrTempC)} testId="board-temps" wide />
        <KeyValue k="Fan" v={formatFan(s.fanRpm, s.fanPercent)} testId="board-fan" wide />
      </div>
      {chipsShort ? (
        <div className="board-note tone-bad">
          Only {board.chipsFound} of {board.chipsExpected} chips answered
        </div>
      ) : null}
      {board.stateDetail ? <div className="board-note">{board.stateDetail}</div> : null}
      <BoardOperationRow board={board} />
    </article>
  );
});
