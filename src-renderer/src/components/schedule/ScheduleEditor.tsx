/**
 * The schedule editor (Settings page): time windows per weekday in a time zone, what to do in each
 * (mine, pause, a tuning profile), a price per window with a price limit, and a pause above an
 * ambient temperature. Loaded with getSchedule, saved with setSchedule; the engine's answer and
 * what the schedule does next are shown. Read-only dashboards show it without the controls.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { scheduleSchema, TUNE_PROFILES, WEEKDAYS, type Weekday } from '@shared/contract';
import { useCanWrite, useEngine } from '../../state/store.js';
import { buildSchedule, formFromSchedule, knownTimeZones, newWindow, WEEKDAY_LABEL, type ScheduleForm, type WindowForm } from '../../lib/schedule-form.js';
import { writeRefusal } from '../operation/operation-text.js';
import './schedule.css';

const PROFILE_NAME = { eco: 'Eco', balanced: 'Balanced', max: 'Max' } as const;

function FieldError({ text }: { text: string | undefined }): React.JSX.Element | null {
  return text ? <span className="field-error">{text}</span> : null;
}

const WINDOW_FIELDS = [
  ['days', 'Days'],
  ['start', 'From'],
  ['end', 'To'],
  ['profile', 'Profile'],
  ['price', 'Price'],
  ['boards', 'Boards'],
] as const;

/** A window's errors on one line under it (the fields themselves are narrow). */
function WindowErrors({ errors, index }: { errors: Record<string, string>; index: number }): React.JSX.Element | null {
  const lines = WINDOW_FIELDS.filter(([key]) => errors[`windows.${index}.${key}`]).map(([key, label]) => `${label}: ${errors[`windows.${index}.${key}`]}`);
  return lines.length > 0 ? <div className="field-error window-errors">{lines.join(' ')}</div> : null;
}

export function ScheduleEditor(): React.JSX.Element {
  const request = useEngine((s) => s.request);
  const connection = useEngine((s) => s.connection);
  const status = useEngine((s) => s.snapshot?.schedule ?? null);
  const canWrite = useCanWrite();
  const [form, setForm] = useState<ScheduleForm>(() => formFromSchedule(null));
  const [loaded, setLoaded] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: 'good' | 'bad' | 'idle'; text: string } | null>(null);
  const zones = useMemo(() => knownTimeZones(), []);
  const systemZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);

  useEffect(() => {
    if (connection !== 'open' || loaded) return;
    let cancelled = false;
    request({ type: 'getSchedule' })
      .then((reply) => {
        if (cancelled) return;
        const raw = (reply as { schedule?: unknown } | null)?.schedule ?? null;
        const parsed = raw === null ? null : scheduleSchema.safeParse(raw);
        setForm(formFromSchedule(parsed?.success ? parsed.data : null));
        setLoaded(true);
      })
      .catch(() => setLoaded(true));
    return () => {
      cancelled = true;
    };
  }, [connection, loaded, request]);

  const setWindow = (i: number, patch: Partial<WindowForm>): void => setForm((f) => ({ ...f, windows: f.windows.map((w, j) => (j === i ? { ...w, ...patch } : w)) }));
  const toggleDay = (i: number, day: Weekday): void =>
    setForm((f) => ({ ...f, windows: f.windows.map((w, j) => (j === i ? { ...w, days: w.days.includes(day) ? w.days.filter((d) => d !== day) : [...w.days, day] } : w)) }));

  const save = (e: FormEvent): void => {
    e.preventDefault();
    const built = buildSchedule(form);
    setErrors(built.errors);
    if (!built.schedule) {
      setMessage({ tone: 'bad', text: 'Fix the highlighted fields.' });
      return;
    }
    setMessage({ tone: 'idle', text: 'Saving…' });
    request({ type: 'setSchedule', schedule: built.schedule as never })
      .then((reply) => {
        const saved = (reply as { saved?: boolean } | null)?.saved === true;
        setMessage({ tone: 'good', text: saved ? 'Saved; the schedule applies now.' : 'Applied now, until the engine stops (headless: put it in the config file to keep it).' });
      })
      .catch((err: unknown) => setMessage({ tone: 'bad', text: writeRefusal('change the schedule', err instanceof Error ? err.message : String(err)) }));
  };

  const disabled = !canWrite;
  return (
    <form className="panel schedule-editor" onSubmit={save} noValidate data-testid="schedule-editor">
      <div className="panel-title">Schedule</div>
      <p className="muted small">
        Mine, pause or run a tuning profile in time windows on the days you choose, in local time of the zone below (daylight-saving changes included). Where windows overlap, the later one wins;
        outside every window boards do what “Otherwise” says. A board paused or resumed by hand stays so until the schedule’s next change.
      </p>
      {status ? (
        <div className="schedule-next" data-testid="schedule-next">
          Next: {status.text} <span className="muted small">({status.timeZone})</span>
        </div>
      ) : null}
      <fieldset className="fieldset" disabled={disabled}>
        <legend>General</legend>
        <div className="schedule-general">
          <label className="check">
            <input type="checkbox" checked={form.enabled} onChange={(e) => setForm((f) => ({ ...f, enabled: e.target.checked }))} name="enabled" /> Schedule on
          </label>
          <label className={`field${errors['timeZone'] ? ' has-error' : ''}`}>
            <span className="field-label">Time zone</span>
            <input
              name="time-zone"
              list="hashdeck-zones"
              value={form.timeZone}
              placeholder={`system (${systemZone})`}
              onChange={(e) => setForm((f) => ({ ...f, timeZone: e.target.value }))}
              spellCheck={false}
            />
            <FieldError text={errors['timeZone']} />
          </label>
          <label className="field">
            <span className="field-label">Otherwise</span>
            <select name="otherwise" value={form.otherwise} onChange={(e) => setForm((f) => ({ ...f, otherwise: e.target.value as 'mine' | 'pause' }))}>
              <option value="mine">mine</option>
              <option value="pause">pause</option>
            </select>
          </label>
          <label className={`field${errors['priceLimit'] ? ' has-error' : ''}`}>
            <span className="field-label">Mine only below price</span>
            <input name="price-limit" inputMode="decimal" value={form.priceLimit} placeholder="no limit" onChange={(e) => setForm((f) => ({ ...f, priceLimit: e.target.value }))} />
            <FieldError text={errors['priceLimit']} />
          </label>
          <label className={`field${errors['pauseAboveAmbientC'] ? ' has-error' : ''}`}>
            <span className="field-label">Ambient limit °C</span>
            <input name="ambient" inputMode="decimal" value={form.pauseAboveAmbientC} placeholder="off" onChange={(e) => setForm((f) => ({ ...f, pauseAboveAmbientC: e.target.value }))} />
            <FieldError text={errors['pauseAboveAmbientC']} />
          </label>
          <label className={`field${errors['ambientHysteresisC'] ? ' has-error' : ''}`}>
            <span className="field-label">Hysteresis °C</span>
            <input name="hysteresis" inputMode="decimal" value={form.ambientHysteresisC} onChange={(e) => setForm((f) => ({ ...f, ambientHysteresisC: e.target.value }))} />
            <FieldError text={errors['ambientHysteresisC']} />
          </label>
        </div>
        <datalist id="hashdeck-zones">
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <p className="muted small">
          Price: a window’s price (any currency per kWh) at or above the limit pauses that window. Ambient: boards that report an ambient temperature pause above the limit and resume once it is the
          hysteresis below (the emulator models one; Bitaxe-class boards have no such sensor).
        </p>
      </fieldset>
      <fieldset className="fieldset" disabled={disabled}>
        <legend>Windows</legend>
        {form.windows.length === 0 ? <div className="muted small">No windows: boards always do what “Otherwise” says.</div> : null}
        {form.windows.map((w, i) => (
          <div className="window-row" key={i} data-testid={`window-${i}`}>
            <div className="day-toggles" role="group" aria-label={`window ${i + 1} days`}>
              {WEEKDAYS.map((d) => (
                <button key={d} type="button" className={`day${w.days.includes(d) ? ' on' : ''}`} aria-pressed={w.days.includes(d)} onClick={() => toggleDay(i, d)}>
                  {WEEKDAY_LABEL[d]}
                </button>
              ))}
            </div>
            <label className={`field time${errors[`windows.${i}.start`] ? ' has-error' : ''}`}>
              <span className="field-label">From</span>
              <input name={`window-${i}-start`} value={w.start} placeholder="17:00" onChange={(e) => setWindow(i, { start: e.target.value })} />
            </label>
            <label className={`field time${errors[`windows.${i}.end`] ? ' has-error' : ''}`}>
              <span className="field-label">To</span>
              <input name={`window-${i}-end`} value={w.end} placeholder="21:00" onChange={(e) => setWindow(i, { end: e.target.value })} />
            </label>
            <label className="field">
              <span className="field-label">Do</span>
              <select name={`window-${i}-action`} value={w.action} onChange={(e) => setWindow(i, { action: e.target.value as WindowForm['action'] })}>
                <option value="mine">mine</option>
                <option value="pause">pause</option>
                <option value="profile">profile</option>
              </select>
            </label>
            <label className="field">
              <span className="field-label">Profile</span>
              <select name={`window-${i}-profile`} value={w.profile} disabled={w.action !== 'profile'} onChange={(e) => setWindow(i, { profile: e.target.value as WindowForm['profile'] })}>
                {TUNE_PROFILES.map((p) => (
                  <option key={p} value={p}>
                    {PROFILE_NAME[p]}
                  </option>
                ))}
              </select>
            </label>
            <label className={`field price${errors[`windows.${i}.price`] ? ' has-error' : ''}`}>
              <span className="field-label">Price</span>
              <input name={`window-${i}-price`} inputMode="decimal" value={w.price} placeholder="—" onChange={(e) => setWindow(i, { price: e.target.value })} />
            </label>
            <label className="field">
              <span className="field-label">Boards</span>
              <input name={`window-${i}-boards`} value={w.boards} placeholder="all" onChange={(e) => setWindow(i, { boards: e.target.value })} spellCheck={false} />
            </label>
            <button type="button" className="btn btn-ghost" aria-label={`remove window ${i + 1}`} onClick={() => setForm((f) => ({ ...f, windows: f.windows.filter((_, j) => j !== i) }))}>
              ✕
            </button>
            <WindowErrors errors={errors} index={i} />
          </div>
        ))}
        <button type="button" className="btn" onClick={() => setForm((f) => ({ ...f, windows: [...f.windows, newWindow()] }))} data-testid="add-window">
          Add window
        </button>
      </fieldset>
      <div className="form-actions">
        {canWrite ? (
          <button type="submit" className="btn btn-primary" data-testid="schedule-save">
            Save schedule
          </button>
        ) : (
          <span className="muted small">Read-only dashboard: change the schedule in the desktop app, the config file, or with --allow-writes.</span>
        )}
        {message ? (
          <span className={`form-status tone-${message.tone}`} role="status" data-testid="schedule-status">
            {message.text}
          </span>
        ) : null}
      </div>
    </form>
  );
}
