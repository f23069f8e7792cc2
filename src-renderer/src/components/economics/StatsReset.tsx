/**
 * "Reset session stats" (one click) and "Reset all-time stats" (behind a confirmation), sent to
 * the engine as resetStats commands; the engine's answer, including a read-only refusal, is shown.
 */
import { useReducer } from 'react';
import { useEngine } from '../../state/store.js';
import { canSend, resetReducer, runReset, type ResetScope, type ResetState } from './reset-flow.js';
import './economics.css';

export function StatsResetView({
  state,
  onAction,
}: {
  state: ResetState;
  onAction: (a: { type: 'askAllTime' } | { type: 'cancel' } | { type: 'send'; scope: ResetScope }) => void;
}): React.JSX.Element {
  const busy = state.phase === 'sending';
  return (
    <div className="stats-reset" data-testid="stats-reset">
      <div className="form-actions">
        <button type="button" className="btn" disabled={busy} onClick={() => onAction({ type: 'send', scope: 'session' })} data-testid="reset-session">
          Reset session stats
        </button>
        <button type="button" className="btn btn-danger" disabled={busy || state.phase === 'confirming'} onClick={() => onAction({ type: 'askAllTime' })} data-testid="reset-alltime">
          Reset all-time stats…
        </button>
      </div>
      {state.phase === 'confirming' ? (
        <div className="confirm-box" role="alertdialog" aria-modal="false" aria-labelledby="reset-alltime-title" data-testid="reset-confirm">
          <div id="reset-alltime-title" className="confirm-title">
            Reset all-time statistics?
          </div>
          <p className="small">
            This clears the all-time best difficulty and the best-shares scoreboard (also in the history database), and restarts the session. Found blocks stay recorded. It cannot be undone.
          </p>
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => onAction({ type: 'cancel' })} data-testid="reset-cancel" autoFocus>
              Cancel
            </button>
            <button type="button" className="btn btn-danger" onClick={() => onAction({ type: 'send', scope: 'allTime' })} data-testid="reset-confirm-yes">
              Yes, reset all-time stats
            </button>
          </div>
        </div>
      ) : null}
      {state.phase === 'sending' ? (
        <p className="form-status tone-idle" role="status">
          Resetting…
        </p>
      ) : state.phase === 'done' || state.phase === 'failed' ? (
        <p className={`form-status tone-${state.phase === 'done' ? 'good' : 'bad'}`} role="status" data-testid="reset-status">
          {state.text}
        </p>
      ) : null}
    </div>
  );
}

export function StatsReset(): React.JSX.Element {
  const request = useEngine((s) => s.request);
  const [state, dispatch] = useReducer(resetReducer, { phase: 'idle' });
  return (
    <StatsResetView
      state={state}
      onAction={(a) => {
        if (a.type === 'send') {
          if (!canSend(state, a.scope)) return;
          dispatch(a);
          void runReset(request, a.scope).then(dispatch);
        } else dispatch(a);
      }}
    />
  );
}
