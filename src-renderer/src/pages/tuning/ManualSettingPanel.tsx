/** The board's setting now (and where it comes from), and a form to set frequency and core voltage by hand. */
import { useState, type FormEvent } from 'react';
import type { BoardSnapshot } from '@shared/contract';
import { useCanWrite, useEngine } from '../../state/store.js';
import { SOURCE_LABEL, writeRefusal } from '../../components/operation/operation-text.js';
import { checkManual, type ManualCheck, type ManualForm } from './tuning-figures.js';

export function ManualSettingPanel({ board, tuning }: { board: BoardSnapshot; tuning: boolean }): React.JSX.Element {
  const request = useEngine((s) => s.request);
  const canWrite = useCanWrite();
  const op = board.operating;
  const [form, setForm] = useState<ManualForm>({ frequencyMhz: '', coreVoltageMv: '' });
  const [errors, setErrors] = useState<ManualCheck['errors']>({});
  const [status, setStatus] = useState<{ tone: 'good' | 'bad' | 'idle'; text: string } | null>(null);
  if (!op) return <div className="panel">This engine does not report operating points.</div>;
  const l = op.limits;
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const check = checkManual(form, l, op.voltageSettable, board.model);
    setErrors(check.errors);
    if (!check.command) return;
    setStatus({ tone: 'idle', text: 'Applying…' });
    request({ type: 'setOperatingPoint', boardId: board.id, ...check.command }, 60_000)
      .then(() => {
        setStatus({ tone: 'good', text: 'Applied and remembered for this board.' });
        setForm({ frequencyMhz: '', coreVoltageMv: '' });
      })
      .catch((err: unknown) => setStatus({ tone: 'bad', text: writeRefusal("change a board's setting", err instanceof Error ? err.message : String(err)) }));
  };
  return (
    <div className="panel" data-testid="setting-panel">
      <div className="panel-title">Setting now</div>
      <div className="setting-now">
        <div>
          <span className="setting-figure" data-testid="setting-frequency">
            {op.frequencyMhz} MHz
          </span>
          <span className="setting-figure" data-testid="setting-voltage">
            {op.coreVoltageMv === null ? 'core voltage not host-set' : `${op.coreVoltageMv} mV`}
          </span>
        </div>
        <div className="muted small" data-testid="setting-source">
          {SOURCE_LABEL[op.source]} · {board.model.toUpperCase()} range {l.minFrequencyMhz}–{l.maxFrequencyMhz} MHz, {l.minCoreVoltageMv}–{l.maxCoreVoltageMv} mV
        </div>
      </div>
      {canWrite ? (
        <form className="manual-form" onSubmit={submit} noValidate data-testid="manual-form">
          <label className={`field${errors.frequencyMhz ? ' has-error' : ''}`}>
            <span className="field-label">Frequency (MHz)</span>
            <input name="frequency" inputMode="decimal" value={form.frequencyMhz} placeholder={String(op.frequencyMhz)} onChange={(e) => setForm((f) => ({ ...f, frequencyMhz: e.target.value }))} />
            {errors.frequencyMhz ? <span className="field-error">{errors.frequencyMhz}</span> : null}
          </label>
          <label className={`field${errors.coreVoltageMv ? ' has-error' : ''}`}>
            <span className="field-label">Core voltage (mV)</span>
            <input
              name="voltage"
              inputMode="numeric"
              value={form.coreVoltageMv}
              disabled={!op.voltageSettable}
              placeholder={op.coreVoltageMv === null ? '—' : String(op.coreVoltageMv)}
              onChange={(e) => setForm((f) => ({ ...f, coreVoltageMv: e.target.value }))}
            />
            {errors.coreVoltageMv ? <span className="field-error">{errors.coreVoltageMv}</span> : null}
          </label>
          <button type="submit" className="btn" disabled={tuning}>
            Apply
          </button>
          {errors.form ? <span className="field-error">{errors.form}</span> : null}
          {status ? (
            <span className={`form-status tone-${status.tone}`} role="status" data-testid="manual-status">
              {status.text}
            </span>
          ) : null}
        </form>
      ) : (
        <p className="muted small">Read-only dashboard: settings are changed in the desktop app or with --allow-writes.</p>
      )}
    </div>
  );
}
