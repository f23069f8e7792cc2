/**
 * One AxeOS device (a Wi-Fi Bitaxe or a fork) at a glance, in the same grid as the USB boards
 * and in the same shape, marked Wi-Fi. Best difficulty: this session (since the device started)
 * and all-time, as the device keeps them. Every figure is what the device reports; text from the
 * device is plain text (React never interprets it as markup).
 */
import { memo } from 'react';
import type { AxeosDeviceSnapshot } from '@shared/contract';
import { formatDifficulty, formatDuration, formatFan, formatHashrate, formatJPerTh, formatTemps, formatUnit, MISSING } from '../../lib/format.js';
import { ratioOfExpected } from '../../lib/estimates.js';
import { AXEOS_STATE_TONE, deviceModelText, deviceName, miningHereText, poolText } from './axeos-view.js';
import { KeyValue } from '../KeyValue.js';
import './fleet.css';

export function WifiBadge(): React.JSX.Element {
  return (
    <span className="badge badge-wifi" data-testid="wifi-badge" title="A network miner running AxeOS (ESP-Miner or a fork), polled over HTTP">
      Wi-Fi
    </span>
  );
}

export const AxeosCard = memo(function AxeosCard({ device: d, onOpen, open }: { device: AxeosDeviceSnapshot; onOpen: (id: string) => void; open: boolean }): React.JSX.Element {
  const tone = AXEOS_STATE_TONE[d.state];
  const ratio = d.hashrateHs !== null && d.expectedHashrateHs !== null ? ratioOfExpected(d.hashrateHs, d.expectedHashrateHs) : null;
  const here = miningHereText(d);
  return (
    <article className={`board-card axeos-card state-${tone}${open ? ' open' : ''}`} data-testid={`axeos-${d.id}`}>
      <header className="board-head">
        <div className="board-title">
          <span className="board-name" title={`${deviceName(d)} (${d.address})`} data-testid="axeos-name">
            {deviceName(d)}
          </span>
          <span className="board-model axeos-model">
            <span className="axeos-model-text">{deviceModelText(d)}</span> <WifiBadge />
          </span>
        </div>
        <div className="board-badges">
          <span className={`badge badge-state tone-${tone}`} data-testid="axeos-state" title={d.stateDetail ?? undefined}>
            {d.state}
          </span>
        </div>
      </header>
      <div className="board-rate" title="As the device reports it">
        <span className="board-rate-value" data-testid="axeos-hashrate">
          {formatHashrate(d.hashrateHs)}
        </span>
        <span className="board-rate-window">{d.state === 'online' ? 'reported' : 'no answer'}</span>
      </div>
      <div className="bar" aria-label="hashrate versus expected">
        <div className="bar-fill" style={{ width: `${Math.min(100, (ratio ?? 0) * 100).toFixed(1)}%` }} />
      </div>
      <div className="board-expected">
        expected <span data-testid="axeos-expected">{formatHashrate(d.expectedHashrateHs)}</span>
        {ratio !== null ? ` · ${(ratio * 100).toFixed(0)} %` : ''}
      </div>
      <div className="kv-grid">
        <KeyValue k="Power" v={formatUnit(d.powerW, 'W')} testId="axeos-power" />
        <KeyValue k="Eff" v={formatJPerTh(d.efficiencyJPerTh)} testId="axeos-efficiency" />
        <KeyValue k="ASIC / VR temp" v={formatTemps(d.asicTempC, d.vrTempC)} testId="axeos-temps" wide />
        <KeyValue k="Fan" v={formatFan(d.fanRpm, d.fanPercent)} testId="axeos-fan" wide />
        <KeyValue k="Best" v={formatDifficulty(d.bestDifficulty)} testId="axeos-best" />
        <KeyValue k="All-time" v={formatDifficulty(d.bestDifficultyAllTime)} testId="axeos-best-alltime" />
        <KeyValue k="Up" v={d.uptimeS === null ? MISSING : formatDuration(d.uptimeS * 1000)} testId="axeos-uptime" />
        <KeyValue k="FW" v={d.firmwareVersion ?? MISSING} testId="axeos-firmware" />
        <KeyValue k="Pool" v={poolText(d) ?? MISSING} testId="axeos-pool" wide wrap />
      </div>
      {here ? (
        <div className={`board-note tone-${here.tone}`} data-testid="axeos-mining-here">
          {here.text}
        </div>
      ) : null}
      {d.state !== 'online' && d.stateDetail ? <div className="board-note tone-bad">{d.stateDetail}</div> : null}
      <button type="button" className="btn btn-small axeos-open" onClick={() => onOpen(d.id)} aria-expanded={open} data-testid="axeos-open">
        {open ? 'Hide details' : 'Details'}
      </button>
    </article>
  );
});
