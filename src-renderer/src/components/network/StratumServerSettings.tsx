/**
 * Settings: HashDeck as the home's pool. The same choices as `--serve-stratum`, `--stratum-allow`,
 * `--stratum-min-difficulty` and `--stratum-pay-username` (docs/cli.md §2.2).
 */
import type { SettingsErrors, StratumFormState } from '../../lib/settings-validation.js';
import { Field } from '../Field.js';
import './network-miners.css';

export function StratumServerSettings({
  value,
  solo,
  errors,
  onChange,
}: {
  value: StratumFormState;
  solo: boolean;
  errors: SettingsErrors;
  onChange: (next: StratumFormState) => void;
}): React.JSX.Element {
  const set = <K extends keyof StratumFormState>(key: K, v: StratumFormState[K]): void => onChange({ ...value, [key]: v });
  return (
    <fieldset className="fieldset" data-testid="stratum-settings">
      <legend>Network miners (serve Stratum)</legend>
      <label className="field field-check">
        <input type="checkbox" name="stratum-enabled" checked={value.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        <span>Let Wi-Fi Bitaxes, NerdMiners and other Stratum miners on this network mine through HashDeck</span>
      </label>
      {value.enabled ? (
        <>
          <div className="field-pair">
            <Field label="Listen on (address)">
              <input name="stratum-host" value={value.host} placeholder="127.0.0.1" onChange={(e) => set('host', e.target.value)} spellCheck={false} />
            </Field>
            <Field label="Port" error={errors['stratum.port']}>
              <input name="stratum-port" value={value.port} placeholder="3333" inputMode="numeric" onChange={(e) => set('port', e.target.value)} />
            </Field>
          </div>
          <Field label="Also allow (CIDR blocks beyond the private ranges)" error={errors['stratum.allow']}>
            <input name="stratum-allow" value={value.allow} placeholder="none" onChange={(e) => set('allow', e.target.value)} spellCheck={false} />
          </Field>
          <Field label="Minimum difficulty" error={errors['stratum.minDifficulty']}>
            <input name="stratum-min-difficulty" value={value.minDifficulty} placeholder="0.0001" onChange={(e) => set('minDifficulty', e.target.value)} />
          </Field>
          {solo ? (
            <label className={`field field-check${errors['stratum.payToUsername'] ? ' has-error' : ''}`}>
              <input type="checkbox" name="stratum-pay-username" checked={value.payToUsername} onChange={(e) => set('payToUsername', e.target.checked)} />
              <span>Pay each miner’s own address (its username must start with an address: address.worker)</span>
            </label>
          ) : null}
          <p className="muted small">
            Listening on 127.0.0.1 serves this machine only; use 0.0.0.0 for the home network. Beyond this machine only private addresses (192.168.x.x, 10.x.x.x, 172.16–31.x.x, link-local, fc00::/7)
            may connect unless listed above. Miners use <code>stratum+tcp://&lt;this machine&gt;:{value.port || '3333'}</code>.
          </p>
        </>
      ) : null}
    </fieldset>
  );
}
