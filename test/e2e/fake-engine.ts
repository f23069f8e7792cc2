/**
 * TEST DOUBLE. A fake EngineApi that serves fixed, realistic snapshots (BM1366 boards, a pool,
 * warnings, history) so that the web server and the renderer can be tested before the real
 * engine is wired in. Nothing here is used by the product. Numbers are chosen so the page's
 * text can be compared with them exactly.
 */
import type { BoardSnapshot, EngineApi, EngineCommand, EngineEvent, EngineSnapshot, Estimate, HashrateWindows } from '@shared/contract';

export const T0_MS = Date.UTC(2026, 0, 15, 12, 0, 0);

function estimate(valueHs: number, halfHs: number, windowS: number, coveredS: number, samples: number): Estimate {
  return { valueHs, lowHs: valueHs - halfHs, highHs: valueHs + halfHs, windowS, coveredS, samples };
}

/** BM1366: 894 small cores × 485 MHz per chip (docs/features.md §(c)1). */
const BM1366_EXPECTED_HS = 894 * 485e6;

export function fakeBoard(i: number, opts: { emulated?: boolean } = {}): BoardSnapshot {
  const emulated = opts.emulated ?? i % 4 === 3;
  const rate = 412.3e9 - i * 1.1e9;
  const windows: HashrateWindows = {
    '1m': estimate(rate * 1.03, 60e9, 60, 60, 240),
    '10m': estimate(rate, 18.2e9, 600, 600, 2400),
    '1h': estimate(rate * 0.99, 6.1e9, 3600, 1800, 7200),
    '24h': null,
  };
  return {
    id: `board-${i}`,
    name: emulated ? `Emulator ${i}` : `Bitaxe Ultra ${i}`,
    path: emulated ? `emulator:${i}` : `/dev/ttyACM${i}`,
    model: 'bm1366',
    emulated,
    scaleBits: emulated ? 16 : 0,
    state: i === 2 ? 'cooling' : 'hashing',
    stateDetail: i === 2 ? 'ASIC 76 °C: paused until below 65 °C' : null,
    chipsExpected: 1,
    chipsFound: 1,
    frequencyMhz: 485,
    ticketDifficulty: 256,
    expectedHashrateHs: BM1366_EXPECTED_HS,
    hashrateHs: rate * 1.01,
    hashrate: windows,
    counters: { nonces: 10_020 + i, validNonces: 10_000 + i, hwErrors: 20, sharesAccepted: 120 + i, sharesRejected: 2, sharesStale: 1, blocksFound: 0, bestDifficulty: 1.234e6 * (i + 1) },
    framesBad: i,
    sensors: { coreVoltageV: 1.2, inputVoltageV: 5.02, currentA: 2.9, powerW: 14.6 + i * 0.1, asicTempC: 58 + (i % 10), vrTempC: 49 + (i % 7), fanRpm: 4200 + i * 10, fanPercent: 55 },
    chips: [{ index: 0, address: 0, validNonces: 10_000 + i, hwErrors: 20, hashrateHs: rate, counterHashrateHs: rate * 1.005 }],
    startedAtMs: T0_MS - 3_600_000,
  };
}

export function fakeSnapshot(boardCount: number, nowMs = T0_MS): EngineSnapshot {
  const boards = Array.from({ length: boardCount }, (_, i) => fakeBoard(i));
  const sum = (f: (b: BoardSnapshot) => number): number => boards.reduce((a, b) => a + f(b), 0);
  const totalRate = sum((b) => b.hashrate['10m']?.valueHs ?? 0);
  return {
    version: '0.1.0-test',
    startedAtMs: T0_MS - 3_600_000,
    nowMs,
    firstJobAtMs: T0_MS - 3_590_000,
    mode: 'pool',
    dataDir: '/tmp/hashdeck-test',
    boards,
    pools: [
      {
        url: 'stratum+tcp://pool.example.com:3333',
        user: 'bc1qexampleaddress.rig1',
        priority: 0,
        state: 'active',
        active: true,
        difficulty: 1024,
        extranonce1: 'a1b2c3d4',
        extranonce2Size: 8,
        versionMask: '1fffe000',
        lastNotifyAtMs: nowMs - 12_000,
        sharesAccepted: 1234,
        sharesRejected: 5,
        sharesStale: 3,
        acceptedDifficulty: 1234 * 1024,
        rejectReasons: { 'Job not found': 3, 'Low difficulty share': 2 },
        responseTimeMs: 42,
        payoutShare: null,
        message: null,
        connectsLastHour: 1,
      },
      {
        url: 'stratum+ssl://backup.example.org:4333',
        user: 'bc1qexampleaddress.rig1',
        priority: 1,
        state: 'idle',
        active: false,
        difficulty: null,
        extranonce1: null,
        extranonce2Size: null,
        versionMask: null,
        lastNotifyAtMs: null,
        sharesAccepted: 0,
        sharesRejected: 0,
        sharesStale: 0,
        acceptedDifficulty: 0,
        rejectReasons: {},
        responseTimeMs: null,
        payoutShare: null,
        message: null,
        connectsLastHour: 1,
      },
    ],
    node: null,
    totals: {
      nonces: sum((b) => b.counters.nonces),
      validNonces: sum((b) => b.counters.validNonces),
      hwErrors: sum((b) => b.counters.hwErrors),
      sharesAccepted: 1234,
      sharesRejected: 5,
      sharesStale: 3,
      blocksFound: 0,
      bestDifficulty: 4.56789e9,
      bestDifficultyAllTime: 1.2e12,
      hashrateHs: totalRate * 1.01,
      hashrate: {
        '1m': estimate(totalRate * 1.02, 30e9 * Math.sqrt(boardCount), 60, 60, 240 * boardCount),
        '10m': estimate(totalRate, 18.2e9 * Math.sqrt(boardCount), 600, 600, 2400 * boardCount),
        '1h': estimate(totalRate * 0.99, 6e9 * Math.sqrt(boardCount), 3600, 1800, 7200 * boardCount),
        '24h': null,
      },
      expectedHashrateHs: BM1366_EXPECTED_HS * boardCount,
      powerW: sum((b) => b.sensors.powerW ?? 0),
    },
    network: { height: 905_123, difficulty: 1.4e14, hashrateHs: 1.0e21 },
    warnings: [{ id: 'w1', level: 'warn', text: 'Bitaxe Ultra 2 is cooling down (ASIC 76 °C)', atMs: nowMs - 30_000, boardId: 'board-2' }],
    axeosDevices: [],
    bestShares: fakeBestShares(boardCount, nowMs),
    networkMiners: [],
    stratumServer: null,
  };
}

/** A scoreboard: pool shares from several boards and one solo share, highest first. */
export function fakeBestShares(boardCount: number, nowMs = T0_MS): EngineSnapshot['bestShares'] {
  const difficulties = [1.2e12, 3.4e11, 9.87e10, 4.56789e9, 2.1e9, 7.7e8, 1.5e8];
  return difficulties.map((difficulty, i) => ({
    atMs: nowMs - (i + 1) * 3_700_000 * (i + 1),
    difficulty,
    deviceId: `board-${i % Math.max(1, boardCount)}`,
    source: i === 2 ? 'http://127.0.0.1:8332' : 'stratum+tcp://pool.example.com:3333',
    work: i === 2 ? 'solo' : 'pool',
    hash: `00000000000${i}a1b2c3d4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd`.slice(0, 64),
  }));
}

/** 5-second points over the range, a gentle daily wave so the chart has shape. */
export function fakeHistory(rangeS: number, stepS: number, endMs: number, boardCount: number): Array<{ atMs: number; hashrateHs: number; powerW: number; asicTempC: number }> {
  const n = Math.floor(rangeS / stepS);
  const out = [];
  for (let k = 0; k < n; k++) {
    const atMs = endMs - (n - 1 - k) * stepS * 1000;
    const phase = (2 * Math.PI * k) / n;
    out.push({
      atMs,
      hashrateHs: boardCount * (410e9 + 15e9 * Math.sin(phase * 7) + 6e9 * Math.sin(k * 0.37)),
      powerW: boardCount * (14.8 + 0.4 * Math.sin(phase * 3)),
      asicTempC: 60 + 3 * Math.sin(phase * 5),
    });
  }
  return out;
}

export interface FakeEngine extends EngineApi {
  commands: EngineCommand[];
  emit(event: EngineEvent): void;
  setSnapshot(s: EngineSnapshot): void;
  /** What getHistory answers; null = engine has nothing recorded yet. */
  history: unknown;
}

export function createFakeEngine(initial: EngineSnapshot): FakeEngine {
  let snapshot = initial;
  let setAtMs = Date.now();
  const listeners = new Set<(e: EngineEvent) => void>();
  const snapListeners = new Set<(s: EngineSnapshot) => void>();
  const engine: FakeEngine = {
    commands: [],
    history: null,
    async command(command) {
      engine.commands.push(command);
      switch (command.type) {
        case 'getHistory':
          return engine.history;
        case 'getLogs':
          return [{ type: 'log', atMs: T0_MS - 5000, level: 'info', scope: 'engine', text: 'engine started (backfilled line)' }];
        case 'setSettings':
          return { ok: true };
        default:
          return null;
      }
    },
    // The engine clock moves like a real one: each call reports the time elapsed since setSnapshot.
    snapshot: () => ({ ...snapshot, nowMs: snapshot.nowMs + (Date.now() - setAtMs) }),
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onSnapshot(l) {
      snapListeners.add(l);
      return () => snapListeners.delete(l);
    },
    emit(e) {
      for (const l of listeners) l(e);
    },
    setSnapshot(s) {
      snapshot = s;
      setAtMs = Date.now();
      for (const l of snapListeners) l(s);
    },
  };
  return engine;
}
