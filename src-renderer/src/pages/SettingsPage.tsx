/**
 * Work source settings: pools in failover order, or a node and payout address for solo mining.
 * Checked here first (lib/settings-validation.ts), then sent with `setSettings`; the engine's
 * answer (including "read-only dashboard") is shown as is.
 */
import { useState, type FormEvent } from 'react';
import { useEngine } from '../state/store.js';
import { buildSettings, type SettingsErrors, type SettingsFormState } from '../lib/settings-validation.js';
import { EconomicsSettingsSection } from '../components/economics/EconomicsSettingsSection.js';
import { AxeosSettingsSection } from '../components/fleet/AxeosSettingsSection.js';
import { ScheduleEditor } from '../components/schedule/ScheduleEditor.js';
import { NotificationSettings } from '../components/settings/NotificationSettings.js';
import { ThemeSetting } from '../components/settings/ThemeSetting.js';
import { StratumServerSettings } from '../components/network/StratumServerSettings.js';
import { Field } from '../components/Field.js';

const MAX_POOLS = 5;

export function SettingsPage(): React.JSX.Element {
  const request = useEngine((s) => s.request);
  const snapshot = useEngine((s) => s.snapshot);
  const [form, setForm] = useState<SettingsFormState>(() => ({
    mode: snapshot?.node ? 'solo' : 'pool',
    pools:
      snapshot && snapshot.pools.length > 0
        ? [...snapshot.pools].sort((a, b) => a.priority - b.priority).map((p) => ({ url: p.url, user: p.user, password: '' }))
        : [{ url: '', user: '', password: '' }],
    node: { url: snapshot?.node?.url ?? 'http://127.0.0.1:8332', payoutAddress: snapshot?.node?.payoutAddress ?? '', rpcUser: '', rpcPassword: '', rpcCookie: '' },
    stratum: {
      enabled: (snapshot?.stratumServer ?? null) !== null,
      host: snapshot?.stratumServer?.host ?? '127.0.0.1',
      port: String(snapshot?.stratumServer?.port ?? 3333),
      allow: '',
      minDifficulty: '',
      payToUsername: false,
    },
  }));
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [status, setStatus] = useState<{ tone: 'good' | 'bad' | 'idle'; text: string } | null>(null);

  const setPool = (i: number, key: 'url' | 'user' | 'password', value: string): void => setForm((f) => ({ ...f, pools: f.pools.map((p, j) => (j === i ? { ...p, [key]: value } : p)) }));
  const setNode = (key: keyof SettingsFormState['node'], value: string): void => setForm((f) => ({ ...f, node: { ...f.node, [key]: value } }));

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const { errors: errs, payload } = buildSettings(form);
    setErrors(errs);
    if (!payload) {
      setStatus({ tone: 'bad', text: 'Fix the highlighted fields.' });
      return;
    }
    setStatus({ tone: 'idle', text: 'Sending…' });
    request({ type: 'setSettings', settings: payload as unknown as Record<string, unknown> })
      .then(() => setStatus({ tone: 'good', text: 'Saved. The engine is switching to the new work source.' }))
      .catch((err: unknown) => setStatus({ tone: 'bad', text: err instanceof Error ? err.message : String(err) }));
  };

  return (
    <div className="page settings">
      <form className="panel" onSubmit={submit} noValidate data-testid="settings-form">
        <div className="panel-title">Work source</div>
        <div className="segmented" role="radiogroup" aria-label="mode">
          <button type="button" role="radio" aria-checked={form.mode === 'pool'} className={form.mode === 'pool' ? 'on' : ''} onClick={() => setForm((f) => ({ ...f, mode: 'pool' }))}>
            Pool
          </button>
          <button type="button" role="radio" aria-checked={form.mode === 'solo'} className={form.mode === 'solo' ? 'on' : ''} onClick={() => setForm((f) => ({ ...f, mode: 'solo' }))}>
            Solo (own node)
          </button>
        </div>

        {form.mode === 'pool' ? (
          <fieldset className="fieldset">
            <legend>Pools, in failover order</legend>
            {errors['pools'] ? <div className="field-error">{errors['pools']}</div> : null}
            {form.pools.map((p, i) => (
              <div className="pool-row" key={i}>
                <span className="pool-index">{i + 1}</span>
                <Field label="URL" error={errors[`pools.${i}.url`]}>
                  <input name={`pool-${i}-url`} value={p.url} placeholder="stratum+tcp://pool.example.com:3333" onChange={(e) => setPool(i, 'url', e.target.value)} spellCheck={false} />
                </Field>
                <Field label="User" error={errors[`pools.${i}.user`]}>
                  <input name={`pool-${i}-user`} value={p.user} placeholder="bc1q…address.worker" onChange={(e) => setPool(i, 'user', e.target.value)} spellCheck={false} />
                </Field>
                <Field label="Password">
                  <input name={`pool-${i}-password`} type="password" value={p.password} placeholder="x" autoComplete="off" onChange={(e) => setPool(i, 'password', e.target.value)} />
                </Field>
                <button
                  type="button"
                  className="btn btn-ghost"
                  aria-label={`remove pool ${i + 1}`}
                  disabled={form.pools.length === 1}
                  onClick={() => setForm((f) => ({ ...f, pools: f.pools.filter((_, j) => j !== i) }))}
                >
                  ✕
                </button>
              </div>
            ))}
            <button type="button" className="btn" disabled={form.pools.length >= MAX_POOLS} onClick={() => setForm((f) => ({ ...f, pools: [...f.pools, { url: '', user: '', password: '' }] }))}>
              Add fallback pool
            </button>
          </fieldset>
        ) : (
          <fieldset className="fieldset">
            <legend>Your bitcoind (getblocktemplate)</legend>
            <Field label="Node RPC URL" error={errors['node.url']}>
              <input name="node-url" value={form.node.url} onChange={(e) => setNode('url', e.target.value)} spellCheck={false} />
            </Field>
            <Field label="Payout address" error={errors['node.payoutAddress']}>
              <input name="node-payout" value={form.node.payoutAddress} placeholder="bc1q…" onChange={(e) => setNode('payoutAddress', e.target.value)} spellCheck={false} />
            </Field>
            <Field label="RPC cookie file" error={errors['node.auth']}>
              <input name="node-cookie" value={form.node.rpcCookie} placeholder="~/.bitcoin/.cookie" onChange={(e) => setNode('rpcCookie', e.target.value)} spellCheck={false} />
            </Field>
            <div className="field-pair">
              <Field label="or RPC user">
                <input name="node-user" value={form.node.rpcUser} onChange={(e) => setNode('rpcUser', e.target.value)} autoComplete="off" />
              </Field>
              <Field label="RPC password" error={errors['node.rpcPassword']}>
                <input name="node-password" type="password" value={form.node.rpcPassword} onChange={(e) => setNode('rpcPassword', e.target.value)} autoComplete="off" />
              </Field>
            </div>
            <p className="muted small">Every block found pays this address directly. Check it carefully.</p>
          </fieldset>
        )}
        {form.stratum ? <StratumServerSettings value={form.stratum} solo={form.mode === 'solo'} errors={errors} onChange={(stratum) => setForm((f) => ({ ...f, stratum }))} /> : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary">
            Save
          </button>
          {status ? (
            <span className={`form-status tone-${status.tone}`} data-testid="settings-status" role="status">
              {status.text}
            </span>
          ) : null}
        </div>
      </form>
      <AxeosSettingsSection />
      <ScheduleEditor />
      <EconomicsSettingsSection />
      <NotificationSettings />
      <ThemeSetting />
    </div>
  );
}
