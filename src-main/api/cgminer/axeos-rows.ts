/**
 * AxeOS devices HashDeck watches (docs/axeos.md) as extra cgminer devices: they follow the USB
 * boards in DEVS (same keys, so clients read them alike), STATS and DEVDETAILS, with their own ASC
 * numbers and the name AXEOS. SUMMARY stays what this HashDeck hashes itself: the devices mine to
 * their own pools, which may not be this one.
 */
import type { AxeosDeviceSnapshot, EngineSnapshot } from '@shared/contract';
import { devRow, type Row } from './reports.js';

export const AXEOS_DEVICE_NAME = 'AXEOS';

function mhs(hs: number | null): number {
  return hs === null || !Number.isFinite(hs) ? 0 : Number((hs * 1e-6).toPrecision(9));
}

function round(value: number | null, decimals: number): number {
  if (value === null || !Number.isFinite(value)) return 0;
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function status(d: AxeosDeviceSnapshot): 'Alive' | 'Initialising' | 'Dead' {
  return d.state === 'online' ? 'Alive' : d.state === 'connecting' ? 'Initialising' : 'Dead';
}

export function axeosDevRow(d: AxeosDeviceSnapshot, index: number): Row {
  const accepted = d.sharesAccepted ?? 0;
  const rejected = d.sharesRejected ?? 0;
  const uptimeS = d.uptimeS ?? 0;
  return {
    ASC: index,
    Name: AXEOS_DEVICE_NAME,
    ID: index,
    Enabled: 'Y',
    Status: status(d),
    Temperature: round(d.asicTempC, 2),
    'MHS av': mhs(d.hashrateHs),
    // AxeOS reports the current rate and 1 min / 10 min / 1 h averages.
    'MHS 5s': mhs(d.hashrateHs),
    'MHS 1m': mhs(d.hashrate1mHs ?? d.hashrateHs),
    'MHS 5m': mhs(d.hashrate10mHs ?? d.hashrateHs),
    'MHS 15m': mhs(d.hashrate10mHs ?? d.hashrateHs),
    Accepted: accepted,
    Rejected: rejected,
    'Hardware Errors': 0,
    Utility: uptimeS > 0 ? round((accepted * 60) / uptimeS, 4) : 0,
    'Last Share Pool': -1,
    'Last Share Time': 0,
    'Total MH': round(mhs(d.hashrateHs) * uptimeS, 4),
    'Diff1 Work': 0,
    'Difficulty Accepted': 0,
    'Difficulty Rejected': 0,
    'Last Share Difficulty': 0,
    'No Device': d.state !== 'online',
    'Last Valid Work': d.lastSeenAtMs === null ? 0 : Math.floor(d.lastSeenAtMs / 1000),
    'Device Hardware%': 0,
    'Device Rejected%': accepted + rejected > 0 ? round((rejected / (accepted + rejected)) * 100, 4) : 0,
    'Device Elapsed': uptimeS,
  };
}

/** DEVS: the USB boards, then the AxeOS devices. */
export function allDevRows(snapshot: EngineSnapshot): Row[] {
  const boards = snapshot.boards.map((b, i) => devRow(snapshot, b, i));
  return [...boards, ...snapshot.axeosDevices.map((d, k) => axeosDevRow(d, boards.length + k))];
}

export function axeosStatsRows(snapshot: EngineSnapshot): Row[] {
  const first = snapshot.boards.length;
  return snapshot.axeosDevices.map((d, k) => ({
    STATS: first + k,
    ID: `${AXEOS_DEVICE_NAME}${first + k}`,
    Elapsed: d.uptimeS ?? 0,
    Calls: 0,
    Wait: 0,
    Max: 0,
    Min: 99999999,
    Board: d.id,
    Address: d.address,
    Hostname: d.hostname ?? '',
    Model: d.asicModel ?? '',
    'Device Model': d.deviceModel ?? '',
    Firmware: d.firmwareVersion ?? '',
    State: d.state,
    Frequency: round(d.frequencyMhz, 1),
    'Expected MHS': mhs(d.expectedHashrateHs),
    Temp: round(d.asicTempC, 2),
    'VR Temp': round(d.vrTempC, 2),
    'Core mV': round(d.coreVoltageV === null ? null : d.coreVoltageV * 1000, 1),
    Vin: round(d.inputVoltageV, 3),
    Iin: round(d.currentA, 3),
    Power: round(d.powerW, 2),
    Fan: round(d.fanRpm, 0),
    'Fan%': round(d.fanPercent, 0),
    'Best Share': Math.floor(d.bestDifficulty ?? 0),
    'Best Share All Time': Math.floor(d.bestDifficultyAllTime ?? 0),
    'Pool URL': d.pool ? `${d.pool.url}${d.pool.port === null ? '' : `:${d.pool.port}`}` : '',
    'Pool User': d.pool?.user ?? '',
    'Mining Here': d.miningHere === true,
  }));
}

export function axeosDevDetailsRows(snapshot: EngineSnapshot): Row[] {
  const first = snapshot.boards.length;
  return snapshot.axeosDevices.map((d, k) => ({
    DEVDETAILS: first + k,
    Name: AXEOS_DEVICE_NAME,
    ID: first + k,
    Driver: 'hashdeck-axeos',
    Kernel: '',
    Model: d.asicModel ?? '',
    'Device Path': `http://${d.address}`,
    Board: d.id,
    'Board Name': d.hostname ?? d.address,
    Emulated: false,
    Chips: d.asicCount ?? 0,
  }));
}
