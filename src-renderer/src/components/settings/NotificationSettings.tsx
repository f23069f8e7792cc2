/**
 * Notifications (webhook, ntfy, Discord, Telegram; the events each one gets) and MQTT for Home
 * Assistant. Saved with `setSettings` as their own part (the work source is kept); the engine seals
 * targets, tokens and the MQTT URL like passwords and never sends them back, so saved channels are
 * not shown here: saving replaces them. "Send test message" asks the running engine (`notifyTest`).
 */
import { useState } from 'react';
import { DEFAULT_NOTIFY_EVENTS, NOTIFY_CHANNEL_KINDS, NOTIFY_EVENT_KINDS, type NotifyChannelKind, type NotifyEventKind, type NotifyTestResult } from '@shared/contract';
import { useEngine } from '../../state/store.js';
import './notification-settings.css';

interface ChannelForm {
  kind: NotifyChannelKind;
  target: string;
  secret: string;
  events: NotifyEventKind[];
}

const PLACEHOLDER: Record<NotifyChannelKind, string> = {
  webhook: 'https://example.com/hashdeck-hook',
  ntfy: 'https://ntfy.sh/your-topic',
  discord: 'https://discord.com/api/webhooks/…',
  telegram: 'chat id, e.g. -1001234567890',
};

const EVENT_LABEL: Record<NotifyEventKind, string> = {
  block: 'Block found',
  'best-all-time': 'All-time best',
  'best-session': 'Session best',
  'board-lost': 'Board lost',
  'over-temperature': 'Over temperature',
  'hw-errors': 'HW errors',
  'pool-down': 'Pool down',
  failover: 'Failover',
  'node-unreachable': 'Node unreachable',
  'payout-check': 'Payout check',
  engine: 'Started / stopped',
};

type Status = { tone: 'good' | 'bad' | 'idle'; text: string } | null;

export function NotificationSettings(): React.JSX.Element {
  const request = useEngine((s) => s.request);
  const [channels, setChannels] = useState<ChannelForm[]>([]);
  const [telegramToken, setTelegramToken] = useState('');
  const [mqttUrl, setMqttUrl] = useState('');
  const [mqttNodeId, setMqttNodeId] = useState('');
  const [allowCommands, setAllowCommands] = useState(false);
  const [status, setStatus] = useState<Status>(null);
  const [results, setResults] = useState<NotifyTestResult[] | null>(null);

  const update = (i: number, change: Partial<ChannelForm>): void => setChannels((list) => list.map((c, j) => (j === i ? { ...c, ...change } : c)));
  const toggleEvent = (i: number, e: NotifyEventKind): void =>
    setChannels((list) => list.map((c, j) => (j !== i ? c : { ...c, events: c.events.includes(e) ? c.events.filter((x) => x !== e) : [...c.events, e] })));

  const save = (): void => {
    if (channels.some((c) => c.target.trim() === '')) return setStatus({ tone: 'bad', text: 'Every channel needs its URL (or chat id).' });
    if (channels.some((c) => c.kind === 'telegram') && telegramToken.trim() === '') return setStatus({ tone: 'bad', text: 'Telegram needs the bot token.' });
    const notify = {
      channels: channels.map((c) => ({ kind: c.kind, target: c.target.trim(), events: c.events, ...(c.secret ? { secret: c.secret } : {}) })),
      ...(telegramToken ? { telegramToken: telegramToken.trim() } : {}),
    };
    const mqtt = mqttUrl.trim() ? { url: mqttUrl.trim(), ...(mqttNodeId.trim() ? { nodeId: mqttNodeId.trim() } : {}), allowCommands } : undefined;
    setStatus({ tone: 'idle', text: 'Sending…' });
    request({ type: 'setSettings', settings: { notify, mqtt } })
      .then(() => setStatus({ tone: 'good', text: 'Saved. The engine restarts with them.' }))
      .catch((err: unknown) => setStatus({ tone: 'bad', text: err instanceof Error ? err.message : String(err) }));
  };

  const test = (): void => {
    setResults(null);
    setStatus({ tone: 'idle', text: 'Sending a test message to every saved channel…' });
    request({ type: 'notifyTest' })
      .then((reply) => {
        const list = Array.isArray(reply) ? (reply as NotifyTestResult[]) : [];
        setResults(list);
        setStatus(list.every((r) => r.ok) ? { tone: 'good', text: `All ${list.length} channel(s) took the test message.` } : { tone: 'bad', text: 'Some channels failed: see below.' });
      })
      .catch((err: unknown) => setStatus({ tone: 'bad', text: err instanceof Error ? err.message : String(err) }));
  };

  return (
    <section className="panel notify-settings" aria-label="notifications and MQTT" data-testid="notify-settings">
      <div className="panel-title">Notifications and Home Assistant</div>
      <p className="muted small">Saved channels hold tokens and are not shown again; saving here replaces them.</p>
      {channels.map((c, i) => (
        <fieldset className="fieldset notify-channel" key={i}>
          <legend>Channel {i + 1}</legend>
          <div className="notify-channel-row">
            <select aria-label="kind" value={c.kind} onChange={(e) => update(i, { kind: e.target.value as NotifyChannelKind })}>
              {NOTIFY_CHANNEL_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
            <input aria-label="target" value={c.target} placeholder={PLACEHOLDER[c.kind]} spellCheck={false} onChange={(e) => update(i, { target: e.target.value })} />
            {c.kind === 'webhook' || c.kind === 'ntfy' ? (
              <input
                aria-label="secret"
                type="password"
                autoComplete="off"
                value={c.secret}
                placeholder={c.kind === 'webhook' ? 'HMAC secret (optional)' : 'access token (optional)'}
                onChange={(e) => update(i, { secret: e.target.value })}
              />
            ) : (
              <span aria-hidden="true" />
            )}
            <button type="button" className="btn btn-ghost" aria-label={`remove channel ${i + 1}`} onClick={() => setChannels((list) => list.filter((_, j) => j !== i))}>
              ✕
            </button>
          </div>
          <div className="notify-events">
            {NOTIFY_EVENT_KINDS.map((e) => (
              <label key={e} className="check">
                <input type="checkbox" checked={c.events.includes(e)} onChange={() => toggleEvent(i, e)} /> {EVENT_LABEL[e]}
              </label>
            ))}
          </div>
        </fieldset>
      ))}
      <div className="form-actions">
        <button
          type="button"
          className="btn"
          disabled={channels.length >= 8}
          onClick={() => setChannels((list) => [...list, { kind: 'ntfy', target: '', secret: '', events: [...DEFAULT_NOTIFY_EVENTS] }])}
        >
          Add channel
        </button>
      </div>
      {channels.some((c) => c.kind === 'telegram') ? (
        <label className="field">
          <span className="field-label">Telegram bot token</span>
          <input type="password" autoComplete="off" value={telegramToken} onChange={(e) => setTelegramToken(e.target.value)} />
        </label>
      ) : null}
      <fieldset className="fieldset">
        <legend>MQTT (Home Assistant discovery)</legend>
        <div className="field-pair">
          <label className="field">
            <span className="field-label">Broker</span>
            <input name="mqtt-url" value={mqttUrl} placeholder="mqtt://user:password@homeassistant.local:1883" spellCheck={false} onChange={(e) => setMqttUrl(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">Node id</span>
            <input value={mqttNodeId} placeholder="hashdeck_<host name>" spellCheck={false} onChange={(e) => setMqttNodeId(e.target.value)} />
          </label>
        </div>
        <label className="check">
          <input type="checkbox" checked={allowCommands} onChange={(e) => setAllowCommands(e.target.checked)} /> Accept pause, resume and restart from Home Assistant
        </label>
      </fieldset>
      <div className="form-actions">
        <button type="button" className="btn btn-primary" onClick={save}>
          Save notifications and MQTT
        </button>
        <button type="button" className="btn" onClick={test} data-testid="notify-test">
          Send test message
        </button>
        {status ? (
          <span className={`form-status tone-${status.tone}`} role="status" data-testid="notify-status">
            {status.text}
          </span>
        ) : null}
      </div>
      {results ? (
        <ul className="notify-results" data-testid="notify-results">
          {results.map((r) => (
            <li key={r.channel} className={r.ok ? 'tone-good' : 'tone-bad'}>
              {r.ok ? 'sent' : 'failed'} · {r.channel}
              {r.error ? ` · ${r.error}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
