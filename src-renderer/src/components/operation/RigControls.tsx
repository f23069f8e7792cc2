/** The dashboard's line for the whole rig: what the schedule does next, and Pause all / Resume all. */
import { useState } from 'react';
import type { EngineSnapshot } from '@shared/contract';
import { useCanWrite, useEngine } from '../../state/store.js';
import { writeRefusal } from './operation-text.js';

export function RigControls({ snapshot }: { snapshot: EngineSnapshot }): React.JSX.Element | null {
  const request = useEngine((s) => s.request);
  const canWrite = useCanWrite();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const schedule = snapshot.schedule ?? null;
  const boards = snapshot.boards;
  if (boards.length === 0 || (!schedule && !canWrite)) return null;
  const paused = boards.filter((b) => b.state === 'paused').length;
  const send = (type: 'pauseBoards' | 'resumeBoards'): void => {
    setBusy(true);
    setError(null);
    request({ type }, 30_000)
      .catch((err: unknown) => setError(writeRefusal(type === 'pauseBoards' ? 'pause the rig' : 'resume the rig', err instanceof Error ? err.message : String(err))))
      .finally(() => setBusy(false));
  };
  return (
    <section className="panel rig-controls" aria-label="rig">
      <div className="rig-line">
        <span className="rig-state" data-testid="rig-state">
          {paused === 0 ? 'Mining' : paused === boards.length ? 'Paused' : `${paused} of ${boards.length} boards paused`}
        </span>
        {schedule ? (
          <span className="rig-schedule" data-testid="rig-schedule">
            Schedule{schedule.enabled ? '' : ' (off)'}: {schedule.text} <span className="muted small">({schedule.timeZone})</span>
          </span>
        ) : (
          <span className="muted small">No schedule: set one under Settings.</span>
        )}
        {canWrite ? (
          <span className="rig-buttons">
            <button type="button" className="btn" disabled={busy || paused === boards.length} onClick={() => send('pauseBoards')} data-testid="pause-all">
              Pause all
            </button>
            <button type="button" className="btn" disabled={busy || paused === 0} onClick={() => send('resumeBoards')} data-testid="resume-all">
              Resume all
            </button>
          </span>
        ) : null}
      </div>
      {error ? <div className="field-error">{error}</div> : null}
    </section>
  );
}
