/**
 * AxeOS `GET /api/system/info` for one board, in AxeOS units (docs/features.md §(e)2): hashrates
 * in GH/s, power in W, input voltage and core voltage in mV, current in mA, temperatures in °C,
 * fan in % and RPM, frequency in MHz. Built from the engine snapshot only. Sensors the board does
 * not have are sent as 0, as AxeOS firmware does, because its clients expect numbers.
 */
import type { BoardSnapshot, EngineSnapshot, Estimate, PoolSnapshot } from '@shared/contract';
import { splitPoolUrl } from '../cgminer/pool-url.js';
import { formatDifficultyAxeOS } from './difficulty-text.js';
import { chipDriver } from '../../chips/index.js';

const GHS_PER_HS = 1e-9;

/** Six significant digits: real boards read in hundreds of GH/s, emulated ones in thousandths. */
function ghs(valueHs: number): number {
  const v = valueHs * GHS_PER_HS;
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : 0;
}

function windowGhs(estimate: Estimate | null): number {
  return estimate ? ghs(estimate.valueHs) : 0;
}

function round(value: number, decimals: number): number {
  if (!Number.isFinite(value)) return 0;
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function orZero(value: number | null, scale = 1, decimals = 3): number {
  return value === null ? 0 : round(value * scale, decimals);
}

/** The pool the board is working for: the active one, else the first by priority. */
function currentPool(snapshot: EngineSnapshot): PoolSnapshot | null {
  const sorted = [...snapshot.pools].sort((a, b) => a.priority - b.priority);
  return sorted.find((p) => p.active) ?? sorted[0] ?? null;
}

function fallbackPool(snapshot: EngineSnapshot, current: PoolSnapshot | null): PoolSnapshot | null {
  const sorted = [...snapshot.pools].sort((a, b) => a.priority - b.priority);
  return sorted.find((p) => p !== current) ?? null;
}

function rejectReasons(snapshot: EngineSnapshot): Array<{ message: string; count: number }> {
  const totals = new Map<string, number>();
  for (const pool of snapshot.pools) {
    for (const [message, count] of Object.entries(pool.rejectReasons)) totals.set(message, (totals.get(message) ?? 0) + count);
  }
  return [...totals.entries()].map(([message, count]) => ({ message, count })).sort((a, b) => b.count - a.count);
}

export interface SystemInfoOptions {
  hostname: string;
}

export function systemInfo(snapshot: EngineSnapshot, board: BoardSnapshot, options: SystemInfoOptions): Record<string, unknown> {
  const c = board.counters;
  const s = board.sensors;
  const single = snapshot.boards.length === 1;
  const pool = currentPool(snapshot);
  const fallback = fallbackPool(snapshot, pool);
  const poolAddr = pool ? splitPoolUrl(pool.url) : snapshot.node ? splitPoolUrl(snapshot.node.url) : null;
  const fallbackAddr = fallback ? splitPoolUrl(fallback.url) : null;
  // The all-time best is kept per data directory, not per board: it belongs to a board only when
  // it is the only one.
  const bestAllTime = single ? Math.max(snapshot.totals.bestDifficultyAllTime, c.bestDifficulty) : c.bestDifficulty;
  const coreMv = orZero(s.coreVoltageV, 1000, 0);
  return {
    power: orZero(s.powerW, 1, 3),
    voltage: orZero(s.inputVoltageV, 1000, 1),
    current: orZero(s.currentA, 1000, 1),
    temp: orZero(s.asicTempC, 1, 2),
    vrTemp: orZero(s.vrTempC, 1, 2),
    hashRate: ghs(board.hashrateHs),
    hashRate_1m: windowGhs(board.hashrate['1m']),
    hashRate_10m: windowGhs(board.hashrate['10m']),
    hashRate_1h: windowGhs(board.hashrate['1h']),
    hashRate_1d: windowGhs(board.hashrate['24h']),
    expectedHashrate: ghs(board.expectedHashrateHs),
    errorPercentage: c.validNonces + c.hwErrors > 0 ? round((c.hwErrors / (c.validNonces + c.hwErrors)) * 100, 3) : 0,
    bestDiff: formatDifficultyAxeOS(bestAllTime),
    bestSessionDiff: formatDifficultyAxeOS(c.bestDifficulty),
    poolDifficulty: pool?.difficulty ?? 0,
    isUsingFallbackStratum: pool !== null && pool.priority > 0 && pool.active ? 1 : 0,
    // The snapshot carries the measured core voltage only; it stands for the setting as well.
    coreVoltage: coreMv,
    coreVoltageActual: coreMv,
    frequency: board.frequencyMhz,
    hostname: options.hostname,
    macAddr: '',
    sharesAccepted: c.sharesAccepted,
    sharesRejected: c.sharesRejected,
    sharesRejectedReasons: single ? rejectReasons(snapshot) : [],
    uptimeSeconds: Math.max(0, Math.floor((snapshot.nowMs - board.startedAtMs) / 1000)),
    ASICModel: board.model.toUpperCase(),
    asicCount: board.chipsFound,
    // Small cores per chip come from the chip driver (docs/bm13xx-protocol.md §3.8).
    smallCoreCount: chipDriver(board.model).smallCoresPerChip,
    stratumURL: poolAddr?.host ?? '',
    stratumPort: poolAddr?.port ?? 0,
    stratumUser: pool?.user ?? snapshot.node?.payoutAddress ?? '',
    fallbackStratumURL: fallbackAddr?.host ?? '',
    fallbackStratumPort: fallbackAddr?.port ?? 0,
    fallbackStratumUser: fallback?.user ?? '',
    responseTime: pool?.responseTimeMs ?? 0,
    fanspeed: orZero(s.fanPercent, 1, 0),
    fanrpm: orZero(s.fanRpm, 1, 0),
    blockFound: c.blocksFound,
    networkDifficulty: snapshot.network?.difficulty ?? 0,
    blockHeight: snapshot.network?.height ?? 0,
    version: snapshot.version,
    boardVersion: board.name,
    // HashDeck's own keys (AxeOS clients ignore unknown keys).
    boardId: board.id,
    boardState: board.state,
    emulated: board.emulated,
    scaleBits: board.scaleBits,
  };
}
