/**
 * Fleet totals: the USB boards (the engine's own estimate, the same figure as the hero tile, and
 * their measured power) plus the AxeOS devices that answer (the rate and power each reports).
 * Kept apart and summed, so the dashboard can say exactly what the total is made of.
 */
import type { AxeosDeviceSnapshot, EngineSnapshot } from '@shared/contract';
import { headlineEstimate } from './estimates.js';

export interface FleetTotals {
  usbHashrateHs: number | null;
  wifiHashrateHs: number | null;
  totalHashrateHs: number | null;
  usbPowerW: number | null;
  wifiPowerW: number | null;
  totalPowerW: number | null;
  wifiOnline: number;
  wifiCount: number;
}

function sum(values: Array<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return known.length > 0 ? known.reduce((a, b) => a + b, 0) : null;
}

export function wifiDevicesOnline(devices: readonly AxeosDeviceSnapshot[]): AxeosDeviceSnapshot[] {
  return devices.filter((d) => d.state === 'online');
}

export function fleetTotals(s: EngineSnapshot): FleetTotals {
  const online = wifiDevicesOnline(s.axeosDevices);
  const usbHashrateHs = s.boards.length > 0 ? (headlineEstimate(s.totals.hashrate)?.estimate.valueHs ?? null) : null;
  const wifiHashrateHs = sum(online.map((d) => d.hashrateHs));
  const usbPowerW = s.totals.powerW;
  const wifiPowerW = sum(online.map((d) => d.powerW));
  return {
    usbHashrateHs,
    wifiHashrateHs,
    totalHashrateHs: sum([usbHashrateHs, wifiHashrateHs]),
    usbPowerW,
    wifiPowerW,
    totalPowerW: sum([usbPowerW, wifiPowerW]),
    wifiOnline: online.length,
    wifiCount: s.axeosDevices.length,
  };
}
