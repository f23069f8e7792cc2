/** The measured steps and the profiles chosen from them, with Apply per profile. */
import { useState } from 'react';
import type { BoardSnapshot, TuneProfile, TuneResult } from '@shared/contract';
import { TUNE_PROFILES } from '@shared/contract';
import { formatHashrate } from '../../lib/format.js';
import { useCanWrite, useEngine } from '../../state/store.js';
import { writeRefusal } from '../../components/operation/operation-text.js';
import { PROFILE_NAME } from './TuneRunPanel.js';
import { describePoint, type StepView } from './tuning-figures.js';

const jth = (v: number | null): string => (v === null ? '—' : `${v.toFixed(1)} J/TH`);
const watts = (v: number | null): string => (v === null ? '—' : `${v.toFixed(1)} W`);
const celsius = (v: number | null): string => (v === null ? '—' : `${v.toFixed(1)} °C`);

export function StepsTable({ steps }: { steps: readonly StepView[] }): React.JSX.Element {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="tune-steps">
        <thead>
          <tr>
            <th>Step</th>
            <th>Setting</th>
            <th className="num">Hashrate</th>
            <th className="num">Power</th>
            <th className="num">J/TH</th>
            <th className="num">ASIC max</th>
            <th className="num">HW errors</th>
            <th>Verdict</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s) => (
            <tr key={`${s.index}-${s.row.frequencyMhz}-${s.row.coreVoltageMv}`} className={s.broken ? 'tone-row-bad' : undefined}>
              <td>{s.baseline ? 'start' : `#${s.index}`}</td>
              <td className="nowrap">{describePoint(s.row)}</td>
              <td className="num">{formatHashrate(s.row.hashrateHs)}</td>
              <td className="num">{watts(s.row.powerW)}</td>
              <td className="num">{jth(s.row.jPerTh)}</td>
              <td className="num">{celsius(s.row.asicTempMaxC)}</td>
              <td className="num">{(s.row.hwErrorFraction * 100).toFixed(1)} %</td>
              <td className={s.broken ? 'tone-bad' : 'tone-good'}>{s.broken ? `undone: ${s.row.limit ?? 'a limit broke'}` : 'within limits'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function TuneResultPanel({ board, result, tuning }: { board: BoardSnapshot; result: TuneResult; tuning: boolean }): React.JSX.Element {
  const request = useEngine((s) => s.request);
  const canWrite = useCanWrite();
  const [status, setStatus] = useState<{ tone: 'good' | 'bad'; text: string } | null>(null);
  const applied = board.operating?.source;
  const apply = (profile: TuneProfile): void => {
    request({ type: 'applyProfile', boardId: board.id, profile }, 60_000)
      .then(() => setStatus({ tone: 'good', text: `${PROFILE_NAME[profile]} applied and remembered for this board.` }))
      .catch((err: unknown) => setStatus({ tone: 'bad', text: writeRefusal('apply a profile', err instanceof Error ? err.message : String(err)) }));
  };
  const base = result.baseline;
  return (
    <div className="panel" data-testid="tune-result">
      <div className="panel-title">Profiles {result.modelled ? <span className="badge badge-emulated small">modelled</span> : null}</div>
      <div className="muted small">From the tuning run of {new Date(result.finishedAtMs).toLocaleString()}; the one applied is re-applied when this board is plugged in again.</div>
      <div className="profile-grid">
        {TUNE_PROFILES.map((p) => {
          const r = result.profiles[p];
          return (
            <div key={p} className={`profile-card${applied === p ? ' applied' : ''}`} data-testid={`profile-${p}`}>
              <div className="profile-name">
                {PROFILE_NAME[p]} {applied === p ? <span className="badge small">applied</span> : null}
              </div>
              {r ? (
                <>
                  <div className="profile-point">{describePoint(r)}</div>
                  <div className="muted small">
                    {formatHashrate(r.hashrateHs)} · {jth(r.jPerTh)} · {watts(r.powerW)}
                  </div>
                  {base ? (
                    <div className="muted small">
                      vs start: {((r.hashrateHs / base.hashrateHs - 1) * 100).toFixed(1)} % hashrate
                      {r.jPerTh !== null && base.jPerTh !== null ? `, ${((r.jPerTh / base.jPerTh - 1) * 100).toFixed(1)} % J/TH` : ''}
                    </div>
                  ) : null}
                  {canWrite ? (
                    <button type="button" className="btn btn-small" disabled={tuning} onClick={() => apply(p)} data-testid={`apply-${p}`}>
                      Apply
                    </button>
                  ) : null}
                </>
              ) : (
                <div className="muted small">not found (no step qualified{p !== 'max' ? ', or no power figures' : ''})</div>
              )}
            </div>
          );
        })}
      </div>
      {status ? <div className={`form-status tone-${status.tone}`}>{status.text}</div> : null}
    </div>
  );
}
