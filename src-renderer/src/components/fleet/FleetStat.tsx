/**
 * The fleet total tile, shown once AxeOS devices are watched: USB boards + Wi-Fi devices, for
 * hashrate and for power, each part named so that the sum is never mistaken for the USB figure.
 */
import type { EngineSnapshot } from '@shared/contract';
import { fleetTotals } from '../../lib/fleet-totals.js';
import { formatHashrate, formatUnit } from '../../lib/format.js';
import { Stat } from '../Stat.js';
import './fleet.css';

export function FleetStat({ snapshot }: { snapshot: EngineSnapshot }): React.JSX.Element | null {
  if (snapshot.axeosDevices.length === 0) return null;
  const f = fleetTotals(snapshot);
  return (
    <Stat
      label="Fleet (USB + Wi-Fi)"
      value={formatHashrate(f.totalHashrateHs)}
      title="USB boards: HashDeck's own estimate (the hashrate tile). Wi-Fi devices: the rate and power each one reports, counted while it answers."
      testId="fleet-hashrate"
      sub={
        <span className="fleet-split">
          <span data-testid="fleet-parts">
            USB {formatHashrate(f.usbHashrateHs)} + Wi-Fi {formatHashrate(f.wifiHashrateHs)} ({f.wifiOnline}/{f.wifiCount} answering)
          </span>
          <span data-testid="fleet-power">
            {formatUnit(f.totalPowerW, 'W')} = USB {formatUnit(f.usbPowerW, 'W')} + Wi-Fi {formatUnit(f.wifiPowerW, 'W')}
          </span>
        </span>
      }
    />
  );
}
