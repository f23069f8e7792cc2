/**
 * Everything one AxeOS device reports, and the two writes: restart, and "mine to this HashDeck"
 * (the engine first says what would change, old → new; nothing is sent before the user confirms
 * exactly that). A read-only dashboard's refusal is shown as the engine words it.
 */
import { useState } from 'react';
import { axeosPoolPlanSchema, type AxeosDeviceSnapshot, type AxeosPoolPlan } from '@shared/contract';
import { useEngine } from '../../state/store.js';
import { formatClock, formatDifficulty, formatDuration, formatFan, formatHashrate, formatJPerTh, formatNumber, formatUnit, MISSING } from '../../lib/format.js';
import { AXEOS_STATE_TONE, changeRows, deviceModelText, deviceName, miningHereText, poolText } from './axeos-view.js';
import { WifiBadge } from './AxeosCard.js';
import './fleet.css';

type Phase =
  | { kind: 'idle' }
  | { kind: 'confirm-restart' }
  | { kind: 'loading-plan' }
  | { kind: 'confirm-mine'; plan: AxeosPoolPlan }
  | { kind: 'sending'; text: string }
  | { kind: 'done'; text: string }
  | { kind: 'failed'; text: string };

function Item({ k, v, testId }: { k: string; v: string; testId?: string }): React.JSX.Element {
  return (
    <div className="axeos-item">
      <span className="k">{k}</span>
      <span className="v" data-testid={testId}>
        {v}
      </span>
    </div>
  );
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function MineHereConfirm({ plan, name, onConfirm, onCancel }: { plan: AxeosPoolPlan; name: string; onConfirm: () => void; onCancel: () => void }): React.JSX.Element {
  return (
    <div className="confirm-box axeos-confirm" role="alertdialog" aria-modal="false" aria-labelledby="axeos-mine-title" data-testid="axeos-mine-confirm">
      <div id="axeos-mine-title" className="confirm-title">
        Point {name} at this HashDeck?
      </div>
      <table className="table axeos-changes" data-testid="axeos-changes">
        <thead>
          <tr>
            <th>Setting</th>
            <th>Now</th>
            <th />
            <th>After</th>
          </tr>
        </thead>
        <tbody>
          {changeRows(plan).map((r) => (
            <tr key={r.field} className={r.changed ? 'changed' : 'unchanged'} data-testid={`axeos-change-${r.field}`}>
              <td>
                {r.label} <span className="muted small">{r.field}</span>
              </td>
              <td className="mono">{r.from}</td>
              <td className="muted">→</td>
              <td className="mono">
                {r.to}
                {r.changed ? '' : <span className="muted small"> (unchanged)</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small">{plan.restart ? 'The device is then restarted so that it uses the new pool.' : ''} Its other settings stay as they are.</p>
      <div className="form-actions">
        <button type="button" className="btn" onClick={onCancel} data-testid="axeos-mine-cancel" autoFocus>
          Cancel
        </button>
        <button type="button" className="btn btn-primary" onClick={onConfirm} data-testid="axeos-mine-yes">
          Change and restart
        </button>
      </div>
    </div>
  );
}

export function AxeosDetail({ device: d, onClose }: { device: AxeosDeviceSnapshot; onClose: () => void }): React.JSX.Element {
  const request = useEngine((s) => s.request);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const name = deviceName(d);
  const here = miningHereText(d);
  const busy = phase.kind === 'sending' || phase.kind === 'loading-plan';

  const restart = (): void => {
    setPhase({ kind: 'sending', text: 'Asking the device to restart…' });
    request({ type: 'axeosRestart', deviceId: d.id })
      .then(() => setPhase({ kind: 'done', text: `${name} is restarting; it answers again in a moment.` }))
      .catch((err: unknown) => setPhase({ kind: 'failed', text: message(err) }));
  };
  const askPlan = (): void => {
    setPhase({ kind: 'loading-plan' });
    request({ type: 'axeosPoolPlan', deviceId: d.id })
      .then((reply) => setPhase({ kind: 'confirm-mine', plan: axeosPoolPlanSchema.parse(reply) }))
      .catch((err: unknown) => setPhase({ kind: 'failed', text: message(err) }));
  };
  const mineHere = (plan: AxeosPoolPlan): void => {
    setPhase({ kind: 'sending', text: 'Changing the pool…' });
    request({ type: 'axeosMineHere', deviceId: d.id, expected: plan.patch })
      .then(() => setPhase({ kind: 'done', text: `${name} now mines to this HashDeck (${plan.patch.stratumURL}:${plan.patch.stratumPort}) and is restarting.` }))
      .catch((err: unknown) => setPhase({ kind: 'failed', text: message(err) }));
  };

  return (
    <section className="panel axeos-detail" data-testid="axeos-detail" aria-label={`${name} details`}>
      <div className="panel-title axeos-detail-title">
        <span>
          {name} <span className="muted">{d.address}</span> <WifiBadge /> <span className={`badge badge-state tone-${AXEOS_STATE_TONE[d.state]}`}>{d.state}</span>
        </span>
        <button type="button" className="btn btn-small" onClick={onClose} data-testid="axeos-close">
          Close
        </button>
      </div>
      {d.state !== 'online' && d.stateDetail ? (
        <p className="tone-bad small" data-testid="axeos-detail-state">
          {d.stateDetail}
          {d.failures > 0 ? ` (${d.failures} failed poll${d.failures === 1 ? '' : 's'} in a row; polling backs off)` : ''}
        </p>
      ) : null}
      <div className="axeos-items">
        <Item
          k="Model"
          v={`${deviceModelText(d)}${d.asicCount !== null ? ` · ${d.asicCount} ASIC${d.asicCount === 1 ? '' : 's'}` : ''}${d.boardVersion ? ` · board ${d.boardVersion}` : ''}`}
          testId="axeos-detail-model"
        />
        <Item k="Firmware" v={`${d.firmwareVersion ?? MISSING}${d.webVersion && d.webVersion !== d.firmwareVersion ? ` · web ${d.webVersion}` : ''}`} testId="axeos-detail-firmware" />
        <Item k="Last answer" v={d.lastSeenAtMs === null ? 'never' : formatClock(d.lastSeenAtMs)} />
        <Item k="Uptime" v={d.uptimeS === null ? MISSING : formatDuration(d.uptimeS * 1000)} />
        <Item k="Hashrate now" v={formatHashrate(d.hashrateHs)} testId="axeos-detail-hashrate" />
        <Item k="1 min / 10 min / 1 h" v={`${formatHashrate(d.hashrate1mHs)} / ${formatHashrate(d.hashrate10mHs)} / ${formatHashrate(d.hashrate1hHs)}`} />
        <Item k="Expected" v={formatHashrate(d.expectedHashrateHs)} />
        <Item k="Frequency" v={formatUnit(d.frequencyMhz, 'MHz', 0)} />
        <Item k="Power" v={formatUnit(d.powerW, 'W', 2)} testId="axeos-detail-power" />
        <Item k="Efficiency" v={formatJPerTh(d.efficiencyJPerTh)} testId="axeos-detail-efficiency" />
        <Item k="Input" v={`${formatUnit(d.inputVoltageV, 'V', 2)} · ${formatUnit(d.currentA, 'A', 2)}`} />
        <Item k="Core voltage" v={d.coreVoltageV === null ? MISSING : `${(d.coreVoltageV * 1000).toFixed(0)} mV`} />
        <Item k="ASIC temp" v={formatUnit(d.asicTempC, '°C', 1)} />
        <Item k="VR temp" v={formatUnit(d.vrTempC, '°C', 1)} />
        <Item k="Fan" v={formatFan(d.fanRpm, d.fanPercent)} />
        <Item k="Best session" v={formatDifficulty(d.bestDifficulty)} testId="axeos-detail-best" />
        <Item k="Best all-time" v={formatDifficulty(d.bestDifficultyAllTime)} testId="axeos-detail-best-alltime" />
        <Item k="Shares" v={`${formatNumber(d.sharesAccepted)} accepted · ${formatNumber(d.sharesRejected)} rejected`} />
        <Item k="Blocks found" v={formatNumber(d.blocksFound)} />
        <Item k="Pool" v={`${poolText(d) ?? MISSING}${d.pool?.usingFallback ? ' (fallback)' : ''}`} testId="axeos-detail-pool" />
        <Item k="Pool user" v={d.pool?.user || MISSING} testId="axeos-detail-user" />
        <Item k="This HashDeck" v={here ? here.text : 'serves no Stratum (--serve-stratum)'} testId="axeos-detail-here" />
      </div>
      <div className="form-actions axeos-actions">
        <button type="button" className="btn" disabled={busy || phase.kind === 'confirm-restart'} onClick={() => setPhase({ kind: 'confirm-restart' })} data-testid="axeos-restart">
          Restart…
        </button>
        {d.miningHere === false ? (
          <button type="button" className="btn" disabled={busy || d.state !== 'online'} onClick={askPlan} data-testid="axeos-mine-here">
            Mine to this HashDeck…
          </button>
        ) : null}
      </div>
      {phase.kind === 'confirm-restart' ? (
        <div className="confirm-box axeos-confirm" role="alertdialog" aria-modal="false" aria-labelledby="axeos-restart-title" data-testid="axeos-restart-confirm">
          <div id="axeos-restart-title" className="confirm-title">
            Restart {name}?
          </div>
          <p className="small">It stops hashing while it restarts and answers again afterwards.</p>
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setPhase({ kind: 'idle' })} autoFocus>
              Cancel
            </button>
            <button type="button" className="btn btn-primary" onClick={restart} data-testid="axeos-restart-yes">
              Restart
            </button>
          </div>
        </div>
      ) : null}
      {phase.kind === 'confirm-mine' ? <MineHereConfirm plan={phase.plan} name={name} onConfirm={() => mineHere(phase.plan)} onCancel={() => setPhase({ kind: 'idle' })} /> : null}
      {phase.kind === 'loading-plan' || phase.kind === 'sending' ? (
        <p className="form-status tone-idle" role="status">
          {phase.kind === 'sending' ? phase.text : 'Reading the device settings…'}
        </p>
      ) : phase.kind === 'done' || phase.kind === 'failed' ? (
        <p className={`form-status tone-${phase.kind === 'done' ? 'good' : 'bad'}`} role="status" data-testid="axeos-action-status">
          {phase.text}
        </p>
      ) : null}
    </section>
  );
}
