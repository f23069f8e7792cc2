/**
 * The state snapshot and the `mine --json` summary, as pure functions of the engine's state:
 * the boards (read-only), the statistics, the work source's pool and node views, the current
 * template and the standing warnings.
 */
import type {
  AxeosDeviceSnapshot,
  BoardSnapshot,
  EngineSnapshot,
  MineSummary,
  NetworkMinerSnapshot,
  NodeSnapshot,
  PoolSnapshot,
  ScheduleStatus,
  StratumServerSnapshot,
  Warning,
} from '@shared/contract';
import { networkDifficulty } from '../bitcoin/target.js';
import type { Board } from '../boards/board.js';
import type { Stats } from '../stats/stats.js';
import type { WorkTemplate } from '../work/job.js';

export function boardSnapshot(b: Board, stats: Stats): BoardSnapshot {
  return {
    id: b.id,
    name: b.config.name,
    path: b.config.path,
    model: b.model,
    emulated: b.config.emulated,
    scaleBits: b.config.scaleBits,
    state: b.state,
    stateDetail: b.stateDetail,
    chipsExpected: b.config.expectedChips ?? null,
    chipsFound: b.chipCount,
    frequencyMhz: b.frequencyMhz,
    ticketDifficulty: b.effectiveTicketDifficulty,
    expectedHashrateHs: b.expectedHashrateHs,
    hashrateHs: stats.hashrateSinceStartHs(b.id),
    hashrate: stats.hashrate(b.id),
    counters: stats.boardCounters(b.id),
    framesBad: b.framesBad,
    sensors: sensorFigures(b),
    chips: chipSnapshots(b, stats),
    startedAtMs: b.startedAtMs,
    serial: b.config.serial ?? null,
    operating: { ...b.operatingPoint, voltageSettable: b.voltageSettable, source: b.operatingSource, limits: b.limits },
  };
}

function chipSnapshots(b: Board, stats: Stats): BoardSnapshot['chips'] {
  const interval = b.chipCount > 0 ? Math.floor(256 / b.chipCount) : 0;
  return Array.from({ length: b.chipCount }, (_, index) => {
    const c = stats.chipCounters(b.id, index);
    const counterHs = stats.counterHashrateHs(b.id, index);
    return {
      index,
      address: index * interval,
      validNonces: c.validNonces,
      hwErrors: c.hwErrors,
      hashrateHs: stats.hashrateSinceStartHs(b.id, index),
      // Emulated chips count hashes in the scaled unit (2^-K): scale back to true hashes.
      counterHashrateHs: counterHs === null ? null : counterHs * 2 ** -b.config.scaleBits,
    };
  });
}

export function sensorFigures(b: Board): BoardSnapshot['sensors'] {
  const r = b.sensors;
  return {
    coreVoltageV: r?.coreVoltageV ?? null,
    inputVoltageV: r?.inputVoltageV ?? null,
    currentA: r?.currentA ?? null,
    powerW: r?.powerW ?? null,
    asicTempC: r?.asicTempC ?? null,
    vrTempC: r?.vrTempC ?? null,
    fanRpm: r?.fanRpm ?? null,
    fanPercent: r?.fanPercent ?? null,
    ambientTempC: r?.ambientTempC ?? null,
  };
}

export interface EngineState {
  version: string;
  startedAtMs: number;
  nowMs: number;
  firstJobAtMs: number | null;
  mode: EngineSnapshot['mode'];
  dataDir: string | null;
  boards: BoardSnapshot[];
  pools: PoolSnapshot[];
  node: NodeSnapshot | null;
  template: WorkTemplate | null;
  stats: Stats;
  warnings: Warning[];
  axeosDevices: AxeosDeviceSnapshot[];
  schedule?: ScheduleStatus | null;
  networkMiners: NetworkMinerSnapshot[];
  stratumServer: StratumServerSnapshot | null;
}

export function engineSnapshot(s: EngineState): EngineSnapshot {
  const powerValues = s.boards.map((b) => b.sensors.powerW).filter((p): p is number => p !== null);
  return {
    version: s.version,
    startedAtMs: s.startedAtMs,
    nowMs: s.nowMs,
    firstJobAtMs: s.firstJobAtMs,
    mode: s.mode,
    dataDir: s.dataDir,
    boards: s.boards,
    pools: s.pools,
    node: s.node,
    totals: {
      ...s.stats.totals(),
      bestDifficultyAllTime: s.stats.bestDifficultyAllTime(),
      hashrateHs: s.stats.hashrateSinceStartHs(),
      hashrate: s.stats.hashrate(),
      // A paused board is expected to hash nothing.
      expectedHashrateHs: s.boards.reduce((sum, b) => sum + (b.state === 'paused' ? 0 : b.expectedHashrateHs), 0),
      powerW: powerValues.length ? powerValues.reduce((a, b) => a + b, 0) : null,
    },
    network:
      s.node && s.node.networkDifficulty !== null
        ? { height: s.node.height, difficulty: s.node.networkDifficulty, hashrateHs: s.node.networkHashrateHs }
        : s.template && s.mode !== 'benchmark'
          ? { height: s.template.height ?? null, difficulty: networkDifficulty(s.template.nbits), hashrateHs: null }
          : null,
    warnings: s.warnings,
    axeosDevices: s.axeosDevices,
    ...(s.schedule !== undefined ? { schedule: s.schedule } : {}),
    bestShares: s.stats.topShares().map((b) => ({ atMs: b.atMs, difficulty: b.difficulty, deviceId: b.boardId, source: b.pool, work: workKind(b.pool), hash: b.hash })),
    networkMiners: s.networkMiners,
    stratumServer: s.stratumServer,
  };
}

/** Pool, node or synthetic work, from the source a share's template came from. */
function workKind(source: string): 'pool' | 'solo' | 'benchmark' {
  if (/^stratum\+/.test(source)) return 'pool';
  return /^https?:\/\//.test(source) ? 'solo' : 'benchmark';
}

/** The `mine --json` summary line (docs/cli.md §4). */
export function mineSummary(s: EngineSnapshot): MineSummary {
  return {
    type: 'summary',
    durationS: (s.nowMs - s.startedAtMs) / 1000,
    nonces: s.totals.nonces,
    validNonces: s.totals.validNonces,
    hwErrors: s.totals.hwErrors,
    sharesAccepted: s.totals.sharesAccepted,
    sharesRejected: s.totals.sharesRejected,
    sharesStale: s.totals.sharesStale,
    blocksFound: s.totals.blocksFound,
    bestDifficulty: s.totals.bestDifficulty,
    bestDifficultyAllTime: s.totals.bestDifficultyAllTime,
    hashrateHs: s.totals.hashrateHs,
    emulated: s.boards.some((b) => b.emulated),
    boards: s.boards.map((b) => ({
      id: b.id,
      model: b.model,
      chips: b.chipsFound,
      emulated: b.emulated,
      scaleBits: b.scaleBits,
      nonces: b.counters.nonces,
      validNonces: b.counters.validNonces,
      hwErrors: b.counters.hwErrors,
      hashrateHs: b.hashrateHs,
      framesBad: b.framesBad,
    })),
    networkMiners: s.networkMiners.map((m) => ({
      worker: m.worker,
      sharesAccepted: m.sharesAccepted,
      sharesRejected: m.sharesRejected,
      bestDifficulty: m.bestDifficulty,
      hashrateHs: m.hashrateHs,
      blocksFound: m.blocksFound,
    })),
  };
}
