/**
 * Settings: the Wi-Fi miners (AxeOS) to watch, one address per line. The engine checks the list
 * (it owns the rules, as for --axeos), saves it with the other settings and starts polling at
 * once; its answer, including a read-only refusal, is shown as is.
 */
import { useState, type FormEvent } from 'react';
import { useEngine } from '../../state/store.js';
import './fleet.css';

/** One address per line; blank lines and surrounding spaces ignored. */
export function addressLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** The desktop app saves the list; a headless engine (`hashdeck mine`) applies it for this run only. */
export function savedText(count: number, saved: boolean): string {
  const watching = count === 0 ? 'No Wi-Fi miner is watched' : `Watching ${count} Wi-Fi miner${count === 1 ? '' : 's'}`;
  return saved ? `Saved. ${watching}.` : `${watching} until this engine stops (headless, the list comes from --axeos).`;
}

export function AxeosSettingsSection(): React.JSX.Element {
  const request = useEngine((s) => s.request);
  const current = useEngine((s) => s.snapshot?.axeosDevices.map((d) => d.address).join('\n') ?? '');
  const [text, setText] = useState<string>(current);
  const [status, setStatus] = useState<{ tone: 'good' | 'bad' | 'idle'; text: string } | null>(null);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const devices = addressLines(text);
    setStatus({ tone: 'idle', text: 'Saving…' });
    request({ type: 'setAxeosDevices', devices })
      .then((reply) => setStatus({ tone: 'good', text: savedText(devices.length, (reply as { saved?: unknown } | null)?.saved === true) }))
      .catch((err: unknown) => setStatus({ tone: 'bad', text: err instanceof Error ? err.message : String(err) }));
  };

  return (
    <form className="panel axeos-settings" onSubmit={submit} data-testid="axeos-settings">
      <div className="panel-title">Wi-Fi miners (AxeOS)</div>
      <p className="muted small">
        Bitaxes on Wi-Fi (ESP-Miner, AxeOS) and forks with the same API, one address per line: <code>bitaxe.local</code> or <code>host:port</code>. HashDeck asks each one for its figures every 5
        seconds and shows it beside the USB boards. It only contacts the addresses listed here and never searches the network.
      </p>
      <label className="field">
        <span className="field-label">Addresses</span>
        <textarea name="axeos-devices" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} placeholder={'bitaxe-gamma.local\n192.0.2.7:80'} />
      </label>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" data-testid="axeos-settings-save">
          Save Wi-Fi miners
        </button>
        {status ? (
          <span className={`form-status tone-${status.tone}`} role="status" data-testid="axeos-settings-status">
            {status.text}
          </span>
        ) : null}
      </div>
    </form>
  );
}
