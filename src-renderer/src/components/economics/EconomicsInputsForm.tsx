/**
 * The user's economics inputs: currency label, electricity price, BTC price, average fees per
 * block, and watts for boards without a power sensor. Kept in this browser's localStorage
 * (lib/economics-settings.ts); nothing is fetched online and nothing goes to the engine.
 */
import { useState, type FormEvent } from 'react';
import type { BoardSnapshot } from '@shared/contract';
import { Field } from '../Field.js';
import { DEFAULT_AVG_FEES_BTC, draftOf, parseEconomicsDraft, useEconomicsSettings, type DraftErrors, type EconomicsDraft } from '../../lib/economics-settings.js';

export function EconomicsInputsForm({ boards, onSaved }: { boards: readonly BoardSnapshot[]; onSaved?: () => void }): React.JSX.Element {
  const { settings, update, persisted } = useEconomicsSettings();
  const [draft, setDraft] = useState<EconomicsDraft>(() => draftOf(settings));
  const [errors, setErrors] = useState<DraftErrors>({});
  const [status, setStatus] = useState<{ tone: 'good' | 'bad'; text: string } | null>(null);
  const set = (key: Exclude<keyof EconomicsDraft, 'enteredBoardW'>, value: string): void => setDraft((d) => ({ ...d, [key]: value }));
  const setBoard = (id: string, value: string): void => setDraft((d) => ({ ...d, enteredBoardW: { ...d.enteredBoardW, [id]: value } }));
  const cur = draft.currency.trim() || 'currency';

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const r = parseEconomicsDraft(draft);
    setErrors(r.errors);
    if (!r.settings) {
      setStatus({ tone: 'bad', text: 'Fix the highlighted fields.' });
      return;
    }
    update(r.settings);
    setDraft(draftOf(r.settings));
    setStatus({ tone: 'good', text: 'Saved in this browser.' });
    onSaved?.();
  };

  return (
    <form className="economics-form" onSubmit={submit} noValidate data-testid="economics-form">
      <div className="economics-fields">
        <Field label="Currency label" error={errors.currency}>
          <input name="economics-currency" value={draft.currency} onChange={(e) => set('currency', e.target.value)} spellCheck={false} maxLength={6} />
        </Field>
        <Field label={`Electricity (${cur} per kWh)`} error={errors.pricePerKwh}>
          <input name="economics-price-kwh" inputMode="decimal" value={draft.pricePerKwh} placeholder="e.g. 0.15" onChange={(e) => set('pricePerKwh', e.target.value)} />
        </Field>
        <Field label={`BTC price (${cur})`} error={errors.btcPrice} hint="entered by you; no price is fetched online">
          <input name="economics-btc-price" inputMode="decimal" value={draft.btcPrice} placeholder="e.g. 100000" onChange={(e) => set('btcPrice', e.target.value)} />
        </Field>
        <Field label="Average fees per block (BTC)" error={errors.avgFeesBtc} hint={`default ${DEFAULT_AVG_FEES_BTC} BTC; empty = default`}>
          <input name="economics-fees" inputMode="decimal" value={draft.avgFeesBtc} onChange={(e) => set('avgFeesBtc', e.target.value)} />
        </Field>
      </div>
      <fieldset className="fieldset">
        <legend>Power for boards without a sensor (W)</legend>
        {boards.length === 0 ? <p className="muted small">No boards connected; the total below is used.</p> : null}
        <div className="economics-fields">
          {boards.map((b) => {
            const measured = b.sensors.powerW;
            return (
              <Field key={b.id} label={b.name} error={errors.enteredBoardW?.[b.id]} hint={measured !== null ? `measured ${measured.toFixed(1)} W (used instead)` : 'no power sensor'}>
                <input
                  name={`economics-watts-${b.id}`}
                  inputMode="decimal"
                  value={draft.enteredBoardW[b.id] ?? ''}
                  placeholder={measured !== null ? measured.toFixed(1) : 'watts'}
                  onChange={(e) => setBoard(b.id, e.target.value)}
                />
              </Field>
            );
          })}
          <Field label="or total for the rig" error={errors.enteredTotalW} hint="used when a board has neither a sensor nor its own figure">
            <input name="economics-watts-total" inputMode="decimal" value={draft.enteredTotalW} placeholder="watts" onChange={(e) => set('enteredTotalW', e.target.value)} />
          </Field>
        </div>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary">
          Save
        </button>
        {status ? (
          <span className={`form-status tone-${status.tone}`} role="status" data-testid="economics-status">
            {status.text}
            {status.tone === 'good' && !persisted ? ' (this browser refused to store it: it is lost on reload)' : ''}
          </span>
        ) : null}
      </div>
    </form>
  );
}
