/**
 * The foot of a board card: what the schedule does next, where the setting comes from, and Pause /
 * Resume (only where the engine takes writes).
 */
import { useState } from 'react';
import type { BoardSnapshot } from '@shared/contract';
import { useCanWrite, useEngine } from '../../state/store.js';
import { SOURCE_LABEL, writeRefusal } from './operation-text.js';

export function BoardOperationRow({ board }: { board: BoardSnapshot }): React.JSX.Element | null {
  const request = useEngine((s) => s.request);
  const canWrite = useCanWrite();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const paused = board.state === 'paused';
  const schedule = board.schedule?.text ? board.schedule.text : null;
  const source = board.operating ? SOURCE_LABEL[board.operating.source] : null;
  const ambient = board.sensors.ambientTempC ?? null;
  const act = (): void => {
    setBusy(true);
    setError(null);
    request(paused ? { type: 'resumeBoards', boardIds: [board.id] } : { type: 'pauseBoards', boardIds: [board.id] }, 30_000)
      .catch((err: unknown) => setError(writeRefusal(paused ? 'resume a board' : 'pause a board', err instanceof Error ? err.message : String(err))))
      .finally(() => setBusy(false));
  };
  if (!schedule && !canWrite && !source) return null;
  return (
    <div className="board-operation">
      <div className="board-operation-text">
        {schedule ? (
          <span className="muted small" data-testid="board-schedule">
            schedule: {schedule}
          </span>
        ) : null}
        {source ? (
          <span className="muted small" data-testid="board-source">
            {source}
            {ambient !== null ? ` · ambient ${ambient.toFixed(1)} °C${board.emulated ? ' (modelled)' : ''}` : ''}
          </span>
        ) : null}
      </div>
      {canWrite && (paused || board.state === 'hashing' || board.state === 'cooling') ? (
        <button type="button" className="btn btn-small" disabled={busy} onClick={act} data-testid={paused ? 'board-resume' : 'board-pause'}>
          {paused ? 'Resume' : 'Pause'}
        </button>
      ) : null}
      {error ? <div className="field-error board-operation-error">{error}</div> : null}
    </div>
  );
}
