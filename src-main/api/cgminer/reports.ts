/**
 * The cgminer report sections (SUMMARY, DEVS, POOLS, STATS, DEVDETAILS, VERSION, CONFIG, COIN)
 * built from one EngineSnapshot. Pure: every figure comes from the snapshot, nothing is measured
 * here. Field names and units follow cgminer's api.c as clients such as pyasic parse them
 * (docs/features.md §(e)1): hashrates in MH/s, times in epoch seconds, temperatures in °C.
 */
import type { BoardSnapshot, EngineSnapshot, Estimate, HashrateWindows, PoolSnapshot } from '@shared/contract';
import { publicUrl, splitPoolUrl } from './pool-url.js';

export type FieldValue = string | number | boolean;
export type Row = Record<string, FieldValue>;

/** cgminer's API version this surface mirrors (the `+` join of report commands needs ≥ 3.1). */
export const API_VERSION = '3.7';

/**
 * cgminer reports decaying averages over 5 s, 1 m, 5 m and 15 m (docs/features.md §(c)2). The
 * engine's estimator has 1m/10m/1h/24h windows (contract.ts hashrateWindows), so each cgminer
 * window takes the nearest engine window on a log scale: 5s→1m, 1m→1m, 5m→10m (2× away vs 5×),
 * 15m→10m. A window still without data reports 0, as cgminer does at start.
 */
export const CGMINER_WINDOW_SOURCE = { '5s': '1m', '1m': '1m', '5m': '10m', '15m': '10m' } as const satisfies Record<string, keyof HashrateWindows>;

const MHS_PER_HS = 1e-6;

/** Nine significant digits: a 2 TH/s board to 0.01 MH/s, an emulator to the H/s. */
function mhs(valueHs: number): number {
  const v = valueHs * MHS_PER_HS;
  return Number.isFinite(v) ? Number(v.toPrecision(9)) : 0;
}

function windowMhs(estimate: Estimate | null): number {
  return estimate ? mhs(estimate.valueHs) : 0;
}

function round(value: number, decimals: number): number {
  if (!Number.isFinite(value)) return 0;
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function percent(part: number, whole: number): number {
  return whole > 0 ? round((part / whole) * 100, 4) : 0;
}

function seconds(ms: number): number {
  return Math.max(0, Math.floor(ms / 1000));
}

/** The four MHS window fields in cgminer's order. */
function mhsWindows(windows: HashrateWindows): Row {
  return {
    'MHS 5s': windowMhs(windows[CGMINER_WINDOW_SOURCE['5s']]),
    'MHS 1m': windowMhs(windows[CGMINER_WINDOW_SOURCE['1m']]),
    'MHS 5m': windowMhs(windows[CGMINER_WINDOW_SOURCE['5m']]),
    'MHS 15m': windowMhs(windows[CGMINER_WINDOW_SOURCE['15m']]),
  };
}

/** Hashes done since the first job, from the engine's own average (never re-estimated here). */
function totalMh(hashrateHs: number, sinceMs: number | null, nowMs: number): number {
  if (sinceMs === null) return 0;
  return round(hashrateHs * MHS_PER_HS * Math.max(0, (nowMs - sinceMs) / 1000), 4);
}

/** Difficulty-1 work units: hashes / 2^32 (cgminer "Diff1 Work", "Work Utility" per minute). */
function diff1FromMh(totalMhValue: number): number {
  return (totalMhValue * 1e6) / 2 ** 32;
}

function perMinute(count: number, elapsedS: number): number {
  return elapsedS > 0 ? round((count * 60) / elapsedS, 4) : 0;
}

export function minerDescription(snapshot: EngineSnapshot): string {
  return `hashdeck ${snapshot.version}`;
}

/** The pool list cgminer shows: Stratum pools in priority order, or the node in solo mode. */
interface PoolView {
  url: string;
  user: string;
  status: 'Alive' | 'Dead' | 'Unknown';
  priority: number;
  active: boolean;
  accepted: number;
  rejected: number;
  stale: number;
  acceptedDifficulty: number;
  difficulty: number;
  stratum: boolean;
  gbt: boolean;
  versionRolling: boolean;
  lastNotifyS: number;
}

function poolStatus(pool: PoolSnapshot): PoolView['status'] {
  if (pool.state === 'active') return 'Alive';
  if (pool.state === 'dead' || pool.state === 'backoff') return 'Dead';
  return 'Unknown';
}

function poolViews(snapshot: EngineSnapshot): PoolView[] {
  const pools = [...snapshot.pools].sort((a, b) => a.priority - b.priority);
  const views: PoolView[] = pools.map((p) => ({
    url: publicUrl(p.url),
    user: p.user,
    status: poolStatus(p),
    priority: p.priority,
    active: p.active,
    accepted: p.sharesAccepted,
    rejected: p.sharesRejected,
    stale: p.sharesStale,
    acceptedDifficulty: p.acceptedDifficulty,
    difficulty: p.difficulty ?? 0,
    stratum: splitPoolUrl(p.url).scheme.startsWith('stratum'),
    gbt: false,
    versionRolling: p.versionMask !== null,
    lastNotifyS: p.lastNotifyAtMs === null ? 0 : seconds(p.lastNotifyAtMs),
  }));
  const node = snapshot.node;
  if (node) {
    // Solo mode: the node is the one "pool" (cgminer shows GBT pools the same way, Has GBT=true).
    views.push({
      url: publicUrl(node.url),
      user: node.payoutAddress,
      status: node.state === 'active' ? 'Alive' : node.state === 'error' ? 'Dead' : 'Unknown',
      priority: views.length,
      active: node.state === 'active',
      accepted: snapshot.totals.blocksFound,
      rejected: 0,
      stale: 0,
      acceptedDifficulty: 0,
      difficulty: node.networkDifficulty ?? snapshot.network?.difficulty ?? 0,
      stratum: false,
      gbt: true,
      versionRolling: true,
      lastNotifyS: node.lastTemplateAtMs === null ? 0 : seconds(node.lastTemplateAtMs),
    });
  }
  return views;
}

export function poolCount(snapshot: EngineSnapshot): number {
  return poolViews(snapshot).length;
}

export function summaryRow(snapshot: EngineSnapshot): Row {
  const t = snapshot.totals;
  const elapsedS = seconds(snapshot.nowMs - snapshot.startedAtMs);
  const totalMhValue = totalMh(t.hashrateHs, snapshot.firstJobAtMs, snapshot.nowMs);
  const sharesDone = t.sharesAccepted + t.sharesRejected + t.sharesStale;
  const acceptedDifficulty = snapshot.pools.reduce((sum, p) => sum + p.acceptedDifficulty, 0);
  const activePool = snapshot.pools.find((p) => p.active);
  return {
    Elapsed: elapsedS,
    'MHS av': mhs(t.hashrateHs),
    ...mhsWindows(t.hashrate),
    'Found Blocks': t.blocksFound,
    Getworks: 0,
    Accepted: t.sharesAccepted,
    Rejected: t.sharesRejected,
    'Hardware Errors': t.hwErrors,
    Utility: perMinute(t.sharesAccepted, elapsedS),
    Discarded: 0,
    Stale: t.sharesStale,
    'Get Failures': 0,
    'Local Work': 0,
    'Remote Failures': 0,
    'Network Blocks': 0,
    'Total MH': totalMhValue,
    'Work Utility': perMinute(diff1FromMh(totalMhValue), elapsedS),
    'Difficulty Accepted': acceptedDifficulty,
    'Difficulty Rejected': 0,
    'Difficulty Stale': 0,
    // cgminer keeps best share as an integer difficulty (uint64).
    'Best Share': Math.floor(t.bestDifficulty),
    'Device Hardware%': percent(t.hwErrors, t.validNonces + t.hwErrors),
    'Device Rejected%': percent(t.sharesRejected, sharesDone),
    'Pool Rejected%': percent(t.sharesRejected, sharesDone),
    'Pool Stale%': percent(t.sharesStale, sharesDone),
    'Last getwork': activePool?.lastNotifyAtMs ? seconds(activePool.lastNotifyAtMs) : 0,
  };
}

/** cgminer's device life states (api.c `status2str`). */
function deviceStatus(board: BoardSnapshot): 'Alive' | 'Sick' | 'Dead' | 'NoStart' | 'Initialising' {
  switch (board.state) {
    case 'hashing':
    // Paused on purpose: alive, and reported as disabled (Enabled N), as cgminer shows a disabled device.
    case 'paused':
      return 'Alive';
    case 'starting':
    case 'initialising':
      return 'Initialising';
    case 'recovering':
    case 'cooling':
      return 'Sick';
    case 'stopped':
    case 'lost':
    case 'error':
      return 'Dead';
  }
}

function deviceName(board: BoardSnapshot): string {
  return board.model.toUpperCase();
}

export function devRow(snapshot: EngineSnapshot, board: BoardSnapshot, index: number): Row {
  const c = board.counters;
  const elapsedS = seconds(snapshot.nowMs - board.startedAtMs);
  const totalMhValue = totalMh(board.hashrateHs, board.startedAtMs, snapshot.nowMs);
  const sharesDone = c.sharesAccepted + c.sharesRejected + c.sharesStale;
  return {
    ASC: index,
    Name: deviceName(board),
    ID: index,
    Enabled: board.state === 'stopped' || board.state === 'paused' ? 'N' : 'Y',
    Status: deviceStatus(board),
    Temperature: round(board.sensors.asicTempC ?? 0, 2),
    'MHS av': mhs(board.hashrateHs),
    ...mhsWindows(board.hashrate),
    Accepted: c.sharesAccepted,
    Rejected: c.sharesRejected,
    'Hardware Errors': c.hwErrors,
    Utility: perMinute(c.sharesAccepted, elapsedS),
    'Last Share Pool': -1,
    'Last Share Time': 0,
    'Total MH': totalMhValue,
    'Diff1 Work': round(diff1FromMh(totalMhValue), 4),
    'Difficulty Accepted': 0,
    'Difficulty Rejected': 0,
    'Last Share Difficulty': 0,
    'No Device': board.state === 'lost',
    'Last Valid Work': 0,
    'Device Hardware%': percent(c.hwErrors, c.validNonces + c.hwErrors),
    'Device Rejected%': percent(c.sharesRejected, sharesDone),
    'Device Elapsed': elapsedS,
  };
}

export function poolRows(snapshot: EngineSnapshot): Row[] {
  const height = snapshot.network?.height ?? 0;
  return poolViews(snapshot).map((p, index) => {
    const done = p.accepted + p.rejected + p.stale;
    const address = splitPoolUrl(p.url);
    return {
      POOL: index,
      URL: p.url,
      Status: p.status,
      Priority: p.priority,
      Quota: 1,
      'Long Poll': 'N',
      Getworks: 0,
      Accepted: p.accepted,
      Rejected: p.rejected,
      Works: 0,
      Discarded: 0,
      Stale: p.stale,
      'Get Failures': 0,
      'Remote Failures': 0,
      User: p.user,
      'Last Share Time': 0,
      'Diff1 Shares': 0,
      'Proxy Type': '',
      Proxy: '',
      'Difficulty Accepted': p.acceptedDifficulty,
      'Difficulty Rejected': 0,
      'Difficulty Stale': 0,
      'Last Share Difficulty': 0,
      'Work Difficulty': p.difficulty,
      'Has Stratum': p.stratum,
      'Stratum Active': p.stratum && p.active,
      'Stratum URL': p.stratum ? (address.port === null ? address.host : `${address.host}:${address.port}`) : '',
      'Stratum Difficulty': p.stratum ? p.difficulty : 0,
      'Has Vmask': p.versionRolling,
      'Has GBT': p.gbt,
      'Best Share': 0,
      'Pool Rejected%': percent(p.rejected, done),
      'Pool Stale%': percent(p.stale, done),
      'Bad Work': 0,
      'Current Block Height': height,
      'Current Block Version': 0,
    };
  });
}

/** STATS: cgminer's per-device timing keys, then driver extras (as the Gekko driver adds its own). */
export function statsRows(snapshot: EngineSnapshot): Row[] {
  return snapshot.boards.map((board, index) => {
    const s = board.sensors;
    return {
      STATS: index,
      ID: `${deviceName(board)}${index}`,
      Elapsed: seconds(snapshot.nowMs - board.startedAtMs),
      Calls: 0,
      Wait: 0,
      Max: 0,
      Min: 99999999,
      Board: board.id,
      Model: deviceName(board),
      State: board.state,
      Emulated: board.emulated,
      'Scale Bits': board.scaleBits,
      Frequency: board.frequencyMhz,
      Chips: board.chipsFound,
      'Chips Expected': board.chipsExpected ?? 0,
      'Ticket Difficulty': board.ticketDifficulty,
      'Expected MHS': mhs(board.expectedHashrateHs),
      Nonces: board.counters.nonces,
      'Valid Nonces': board.counters.validNonces,
      'Frames Bad': board.framesBad,
      Temp: round(s.asicTempC ?? 0, 2),
      'VR Temp': round(s.vrTempC ?? 0, 2),
      'Core mV': round((s.coreVoltageV ?? 0) * 1000, 1),
      Vin: round(s.inputVoltageV ?? 0, 3),
      Iin: round(s.currentA ?? 0, 3),
      Power: round(s.powerW ?? 0, 2),
      Fan: round(s.fanRpm ?? 0, 0),
      'Fan%': round(s.fanPercent ?? 0, 0),
      'Best Share': Math.floor(board.counters.bestDifficulty),
    };
  });
}

export function devDetailsRows(snapshot: EngineSnapshot): Row[] {
  return snapshot.boards.map((board, index) => ({
    DEVDETAILS: index,
    Name: deviceName(board),
    ID: index,
    Driver: 'hashdeck-bm13xx',
    Kernel: '',
    Model: deviceName(board),
    'Device Path': board.path,
    Board: board.id,
    'Board Name': board.name,
    Emulated: board.emulated,
    Chips: board.chipsFound,
  }));
}

export function versionRow(snapshot: EngineSnapshot): Row {
  // bfgminer sets a CGMiner key for compatibility; we do the same and name ourselves in Miner.
  return { CGMiner: snapshot.version, API: API_VERSION, Miner: `HashDeck ${snapshot.version}` };
}

export function configRow(snapshot: EngineSnapshot): Row {
  const os = process.platform === 'linux' ? 'Linux' : process.platform === 'darwin' ? 'Apple' : process.platform === 'win32' ? 'Windows' : 'Unix';
  return {
    'ASC Count': snapshot.boards.length + snapshot.axeosDevices.length,
    'PGA Count': 0,
    'Pool Count': poolCount(snapshot),
    Strategy: 'Failover',
    'Log Interval': 5,
    'Device Code': 'BM13XX ',
    OS: os,
    Hotplug: 'USB',
  };
}

export function coinRow(snapshot: EngineSnapshot): Row {
  const active = snapshot.pools.find((p) => p.active);
  return {
    'Hash Method': 'sha256',
    'Current Block Time': active?.lastNotifyAtMs ? round(active.lastNotifyAtMs / 1000, 6) : 0,
    'Current Block Hash': '',
    LP: false,
    'Network Difficulty': snapshot.network?.difficulty ?? 0,
  };
}

/** HashDeck's `bestshares`: the all-time best shares, highest first, one row each. */
export function bestShareRows(snapshot: EngineSnapshot): Row[] {
  return snapshot.bestShares.map((s, i) => ({
    BESTSHARES: i,
    Rank: i + 1,
    Difficulty: s.difficulty,
    When: Math.floor(s.atMs / 1000),
    Device: s.deviceId,
    Work: s.work,
    Source: s.source,
    Hash: s.hash ?? '',
  }));
}
