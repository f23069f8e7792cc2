/** The Boards page's table of AxeOS devices; a row opens the device detail below it. */
import { useState } from 'react';
import type { AxeosDeviceSnapshot } from '@shared/contract';
import { formatDifficulty, formatHashrate, formatJPerTh, formatTemps, formatUnit, MISSING } from '../../lib/format.js';
import { ExpandableRow, ExpandableTitleCell } from '../ExpandableRow.js';
import { AxeosDetail } from './AxeosDetail.js';
import { WifiBadge } from './AxeosCard.js';
import { deviceModelText, deviceName, poolText } from './axeos-view.js';
import './fleet.css';

export function AxeosTable({ devices }: { devices: AxeosDeviceSnapshot[] }): React.JSX.Element | null {
  const [open, setOpen] = useState<string | null>(null);
  if (devices.length === 0) return null;
  return (
    <div className="panel table-wrap">
      <div className="panel-title">
        Wi-Fi miners <WifiBadge />
      </div>
      <table className="table boards" data-testid="axeos-table">
        <thead>
          <tr>
            <th>Device</th>
            <th>State</th>
            <th className="num">Hashrate</th>
            <th className="num">Power</th>
            <th className="num">J/TH</th>
            <th className="num">ASIC / VR</th>
            <th className="num">Fan</th>
            <th className="num">Best diff</th>
            <th>Pool</th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => {
            const isOpen = open === d.id;
            return (
              <ExpandableRow
                key={d.id}
                isOpen={isOpen}
                onToggle={() => setOpen(isOpen ? null : d.id)}
                testId={`axeos-row-${d.id}`}
                colSpan={9}
                detail={<AxeosDetail device={d} onClose={() => setOpen(null)} />}
              >
                <ExpandableTitleCell isOpen={isOpen} name={deviceName(d)} model={deviceModelText(d)} sub={d.address} />
                <td title={d.stateDetail ?? undefined}>{d.state}</td>
                <td className="num">{formatHashrate(d.hashrateHs)}</td>
                <td className="num">{formatUnit(d.powerW, 'W')}</td>
                <td className="num">{formatJPerTh(d.efficiencyJPerTh)}</td>
                <td className="num">{formatTemps(d.asicTempC, d.vrTempC)}</td>
                <td className="num">{d.fanRpm === null ? MISSING : d.fanRpm.toFixed(0)}</td>
                <td className="num">{formatDifficulty(d.bestDifficulty)}</td>
                <td>{poolText(d) ?? MISSING}</td>
              </ExpandableRow>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
