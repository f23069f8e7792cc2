/** Start or stop a tuning run: the profile to apply at the end and the limits it stays inside. */
import { useState } from 'react';
import type { BoardSnapshot, TuneProfile } from '@shared/contract';
import { TUNE_PROFILES } from '@shared/contract';
import { useCanWrite, useEngine } from '../../state/store.js';
import { writeRefusal } from '../../components/operation/operation-text.js';
import { useTuningStore, type BoardTuneView } from './tuning-store.js';
import { describePoint, measuringNow } from './tuning-figures.js';

export const PROFILE_NAME: Readonly<Record<TuneProfile, string>> = { eco: 'Eco', balanced: 'Balanced', max: 'Max' };
const PROFILE_HINT: Readonly<Record<TuneProfile, string>> = {
  eco: 'lowest J/TH',
  balanced: 'good J/TH, more hashrate',
  max: 'most hashrate inside the limits',
};

interface LimitFields {
  maxAsicTempC: string;
  maxVrTempC: string;
  maxPowerW: string;
  maxHwErrorPercent: string;
}

export function TuneRunPanel({ board, view }: { board: BoardSnapshot; view: BoardTuneView }): React.JSX.Element {
  const request = useEngine((s) => s.request);
  const canWrite = useCanWrite();
  const say = useTuningStore((s) => s.say);
  const [profile, setProfile] = useState<TuneProfile>('balanced');
  const [limits, setLimits] = useState<LimitFields>({ maxAsicTempC: '65', maxVrTempC: '85', maxPowerW: '', maxHwErrorPercent: '1' });
  const [busy, setBusy] = useState(false);
  const running = view.running || board.tuning?.running === true;
  // While a run goes (whoever started it), the profile shown is the run's.
  const started = view.events[0]?.type === 'started' ? view.events[0].profile : null;
  const shownProfile: TuneProfile = running ? (board.tuning?.profile ?? started ?? profile) : profile;
  const now = measuringNow(view.events);
  const steps = view.events.filter((e) => e.type === 'step' || e.type === 'limit').length;

  const start = (): void => {
    const options: Record<string, number | string> = { profile };
    for (const [key, text] of Object.entries(limits) as [keyof LimitFields, string][]) {
      if (text.trim() === '') continue;
      const n = Number(text);
      if (!Number.isFinite(n)) {
        say(board.id, 'bad', `${text} is not a number.`);
        return;
      }
      options[key] = n;
    }
    setBusy(true);
    request({ type: 'startTune', boardId: board.id, options: options as never }, 30_000)
      .catch((err: unknown) => say(board.id, 'bad', writeRefusal('start a tuning run', err instanceof Error ? err.message : String(err))))
      .finally(() => setBusy(false));
  };
  const stop = (): void => {
    request({ type: 'stopTune', boardId: board.id }).catch((err: unknown) => say(board.id, 'bad', writeRefusal('stop the tuning run', err instanceof Error ? err.message : String(err))));
  };
  const limit = (key: keyof LimitFields, label: string, placeholder?: string): React.JSX.Element => (
    <label className="field">
      <span className="field-label">{label}</span>
      <input name={key} inputMode="decimal" value={limits[key]} placeholder={placeholder} disabled={running} onChange={(e) => setLimits((l) => ({ ...l, [key]: e.target.value }))} />
    </label>
  );

  return (
    <div className="panel" data-testid="tune-panel">
      <div className="panel-title">Tuning run {board.emulated ? <span className="badge badge-emulated small">figures modelled by the emulator</span> : null}</div>
      <div className="segmented" role="radiogroup" aria-label="profile">
        {TUNE_PROFILES.map((p) => (
          <button
            key={p}
            type="button"
            role="radio"
            aria-checked={shownProfile === p}
            className={shownProfile === p ? 'on' : ''}
            disabled={running}
            onClick={() => setProfile(p)}
            title={PROFILE_HINT[p]}
          >
            {PROFILE_NAME[p]}
          </button>
        ))}
      </div>
      <p className="muted small">
        {PROFILE_NAME[shownProfile]}: {PROFILE_HINT[shownProfile]}. The run keeps mining, steps frequency and core voltage up from the bottom of the range, undoes any step that breaks a limit, then
        applies the profile.
      </p>
      <div className="limit-grid">
        {limit('maxAsicTempC', 'Max ASIC °C')}
        {limit('maxVrTempC', 'Max VR °C')}
        {limit('maxPowerW', 'Max power W', 'family default')}
        {limit('maxHwErrorPercent', 'Max HW errors %')}
      </div>
      <div className="form-actions">
        {canWrite ? (
          running ? (
            <button type="button" className="btn" onClick={stop} data-testid="tune-stop">
              Stop
            </button>
          ) : (
            <button type="button" className="btn btn-primary" disabled={busy || board.state !== 'hashing'} onClick={start} data-testid="tune-start">
              Start tuning
            </button>
          )
        ) : (
          <span className="muted small">Read-only dashboard: tuning runs from the desktop app or with --allow-writes.</span>
        )}
        <span className="muted small" data-testid="tune-progress">
          {running
            ? now
              ? `measuring ${now.baseline ? 'the setting it ran at' : `step ${now.index}`}: ${describePoint(now.point)} · ${steps} step(s) done`
              : `${steps} step(s) done`
            : board.state !== 'hashing'
              ? `the board is ${board.state}`
              : ''}
        </span>
      </div>
      {view.message ? (
        <div className={`tune-message tone-${view.message.tone}`} role="status" data-testid="tune-message">
          {view.message.text}
        </div>
      ) : null}
    </div>
  );
}
