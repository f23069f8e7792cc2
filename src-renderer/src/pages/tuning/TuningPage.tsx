/**
 * Tuning: per board, the setting now (and by hand), a tuning run with its steps live (chart and
 * table), and the profiles from the last run. Write controls only where the engine takes writes.
 */
import { useEffect, useMemo, useState } from 'react';
import { tuneResultSchema, type TuneResult } from '@shared/contract';
import { useEngine } from '../../state/store.js';
import { EmptyState } from '../../components/EmptyState.js';
import { ManualSettingPanel } from './ManualSettingPanel.js';
import { TuneRunPanel } from './TuneRunPanel.js';
import { StepsTable, TuneResultPanel } from './TuneResultPanel.js';
import { TuneChart } from './TuneChart.js';
import { stepsOf, type StepView } from './tuning-figures.js';
import { tuneView, useTuningStore } from './tuning-store.js';
import './tuning.css';

/** Steps of a remembered result (no live events): the start first, then in the order measured. */
function stepsOfResult(r: TuneResult): StepView[] {
  const b = r.baseline;
  return r.rows.map((row, i) => ({ index: i, row, baseline: i === 0 && b !== null && b.frequencyMhz === row.frequencyMhz && b.coreVoltageMv === row.coreVoltageMv, broken: !row.withinLimits }));
}

export function TuningPage(): React.JSX.Element {
  const boards = useEngine((s) => s.snapshot?.boards);
  const connection = useEngine((s) => s.connection);
  const request = useEngine((s) => s.request);
  const [chosen, setChosen] = useState<string>('');
  const boardId = chosen || boards?.[0]?.id || null;
  const board = boards?.find((b) => b.id === boardId) ?? null;
  const view = useTuningStore((s) => tuneView(s, boardId));
  const setResult = useTuningStore((s) => s.setResult);

  // The remembered result of this board (a run from before, or from another window).
  useEffect(() => {
    if (!boardId || connection !== 'open') return;
    let cancelled = false;
    request({ type: 'getTuneResult', boardId })
      .then((reply) => {
        const r = (reply as { result?: unknown } | null)?.result;
        const parsed = r ? tuneResultSchema.safeParse(r) : null;
        if (!cancelled && parsed?.success) setResult(boardId, parsed.data);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [boardId, connection, request, setResult]);

  const live = useMemo(() => stepsOf(view.events), [view.events]);
  const steps = live.length > 0 ? live : view.result ? stepsOfResult(view.result) : [];

  if (!boards) return <EmptyState title="Waiting for the engine" />;
  if (!board) {
    return (
      <EmptyState title="No boards" testId="tuning-empty">
        Tuning needs a board that is mining. Start with <code>--device emulator</code> to try it on the emulator.
      </EmptyState>
    );
  }
  const tuning = view.running || board.tuning?.running === true;
  return (
    <div className="page tuning">
      <div className="toolbar">
        <select value={board.id} onChange={(e) => setChosen(e.target.value)} aria-label="board" data-testid="tuning-board">
          {boards.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </select>
        <span className="muted small">
          {board.model.toUpperCase()} · {board.state}
          {board.serial ? ` · serial ${board.serial}` : ' · no serial: results last until the engine stops'}
        </span>
      </div>
      <div className="tuning-grid">
        <ManualSettingPanel board={board} tuning={tuning} />
        <TuneRunPanel board={board} view={view} />
      </div>
      <div className="panel">
        <div className="panel-title">Steps</div>
        {board.emulated ? (
          <p className="muted small">Emulated board: the hashrate is the rated hashrate at each frequency less the share of bad nonces; power and temperatures come from the emulator’s model.</p>
        ) : null}
        {steps.length === 0 ? (
          <EmptyState title="No tuning run yet" testId="tune-none">
            Start a run: each step appears here as it is measured.
          </EmptyState>
        ) : (
          <>
            <TuneChart steps={steps} modelled={board.emulated} />
            <StepsTable steps={steps} />
          </>
        )}
      </div>
      {view.result ? <TuneResultPanel board={board} result={view.result} tuning={tuning} /> : null}
    </div>
  );
}
