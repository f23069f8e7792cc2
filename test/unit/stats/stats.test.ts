import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '@shared/bus.js';
import type { EngineEvent } from '@shared/contract';
import { hashFromDisplayHex } from '../../../src-main/bitcoin/sha256d.js';
import type { Job, ValidatedNonce, NonceVerdict } from '../../../src-main/work/job.js';
import { Stats, explainReject, rejectReasonKey } from '../../../src-main/stats/stats.js';
import { Ledger } from '../../../src-main/stats/ledger.js';
import { HASHES_PER_DIFFICULTY } from '@shared/economics.js';

const T0 = 1_760_000_000_000;
const POOL = 'stratum+tcp://pool.example:3333';
const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function job(boardId: string): Job {
  // Only the fields stats reads are meaningful here.
  return { id: 1, boardId, sentAtMs: T0, extranonce2: Buffer.alloc(4), merkleRoot: Buffer.alloc(32), template: { sourceId: POOL } as Job['template'], ntime: 0 };
}

function nonce(boardId: string, chipIndex: number, atMs: number, verdict: NonceVerdict, difficulty = 300, weight = 256, hashHex?: string): ValidatedNonce {
  return {
    chipNonce: { boardId, chipIndex, coreId: 0, smallCoreId: 0, chipJobId: 0, nonce: 0, version: 0x20000000, receivedAtMs: atMs },
    job: verdict === 'stale' ? undefined : job(boardId),
    verdict,
    hash: hashHex ? hashFromDisplayHex(hashHex) : undefined,
    difficulty,
    weight,
    meetsShareTarget: false,
    meetsNetworkTarget: false,
  };
}

function share(overrides: Partial<Extract<EngineEvent, { type: 'share' }>>): EngineEvent {
  return { type: 'share', atMs: T0, boardId: 'b1', pool: POOL, difficulty: 2000, targetDifficulty: 1000, result: 'accepted', reason: null, responseMs: 40, ...overrides };
}

describe('Stats', () => {
  it('counts nonces per board and chip and measures hashrate from the first job', () => {
    const clock = { now: T0 };
    const stats = new Stats({ bus: new EventBus(), nowMs: () => clock.now });
    expect(stats.hashrate()['1m']).toBeNull();
    stats.recordJobStart('b1', T0, 256);
    stats.recordJobStart('b1', T0 + 5000); // later jobs do not move the clock
    for (let i = 1; i <= 20; i++) stats.recordNonce(nonce('b1', i % 2, T0 + i * 1000, 'valid'));
    stats.recordNonce(nonce('b1', 1, T0 + 20_500, 'hw-error'));
    stats.recordNonce(nonce('b1', 0, T0 + 20_600, 'stale'));
    clock.now = T0 + 30_000;

    expect(stats.boardCounters('b1')).toMatchObject({ nonces: 22, validNonces: 20, hwErrors: 1 });
    expect(stats.chipCounters('b1', 1)).toEqual({ nonces: 11, validNonces: 10, hwErrors: 1 });
    expect(stats.chipIndexes('b1')).toEqual([0, 1]);
    const expectedHs = (20 * 256 * HASHES_PER_DIFFICULTY) / 30;
    expect(stats.hashrateSinceStartHs()).toBeCloseTo(expectedHs, 0);
    expect(stats.hashrateSinceStartHs('b1')).toBeCloseTo(expectedHs, 0);
    const w = stats.hashrate('b1');
    expect(w['1m']).toMatchObject({ coveredS: 30, windowS: 60, samples: 20 });
    expect(w['1m']!.valueHs).toBeCloseTo(expectedHs, 0);
    // Chips started with their board: chip 0 has half the nonces over the same 30 s.
    expect(stats.hashrate('b1', 0)['1m']!.valueHs).toBeCloseTo(expectedHs / 2, 0);
    expect(stats.firstJobAtMs()).toBe(T0);
    expect(stats.hashrate('nope')['1m']).toBeNull();
  });

  it('tracks session best, the all-time top 20 and carries the best across restarts via the ledger', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hashdeck-stats-'));
    dirs.push(dir);
    const clock = { now: T0 };
    let ledger = Ledger.open(dir, { nowMs: () => clock.now, flushIntervalMs: 0 });
    let stats = new Stats({ bus: new EventBus(), ledger, nowMs: () => clock.now });
    stats.recordJobStart('b1', T0, 256);
    const bestHash = '00000000000000000001c6b0fb1a0fe8d6e3f0e5b1a0c0d0e0f0a0b0c0d0e0f0';
    for (let i = 0; i < 30; i++) stats.recordNonce(nonce('b1', 0, T0 + i, 'valid', 1000 + i));
    stats.recordNonce(nonce('b1', 3, T0 + 99, 'valid', 8_589_934_592_123, 256, bestHash)); // > 2^32
    expect(stats.bestSession()).toMatchObject({ difficulty: 8_589_934_592_123, boardId: 'b1', chipIndex: 3, pool: POOL, atMs: T0 + 99, hash: bestHash });
    expect(stats.boardCounters('b1').bestDifficulty).toBe(8_589_934_592_123);
    const top = stats.topShares();
    expect(top).toHaveLength(20);
    expect(top[0]!.difficulty).toBe(8_589_934_592_123);
    expect(top[19]!.difficulty).toBe(1011);
    stats.dispose();
    ledger.close();

    ledger = Ledger.open(dir, { nowMs: () => clock.now, flushIntervalMs: 0 });
    stats = new Stats({ bus: new EventBus(), ledger, nowMs: () => clock.now });
    expect(stats.bestSession()).toBeNull();
    expect(stats.totals().bestDifficulty).toBe(0);
    expect(stats.bestDifficultyAllTime()).toBe(8_589_934_592_123);
    expect(stats.topShares()[0]!.hash).toBe(bestHash);
    stats.recordNonce(nonce('b2', 0, T0 + 200, 'valid', 5000));
    expect(stats.bestDifficultyAllTime()).toBe(8_589_934_592_123);
    expect(stats.bestSession()!.difficulty).toBe(5000);

    stats.resetAllTime();
    expect(stats.bestDifficultyAllTime()).toBe(0);
    expect(stats.topShares()).toEqual([]);
    expect(ledger.bestDifficultyAllTime()).toBe(0);
    stats.dispose();
    ledger.close();
  });

  it('counts pool verdicts from the bus: accepted, rejected by reason, stale (incl. "job not found")', () => {
    const bus = new EventBus();
    const clock = { now: T0 + 30_000 };
    const stats = new Stats({ bus, nowMs: () => clock.now });
    stats.recordJobStart('b1', T0, 256);
    bus.emit(share({ atMs: T0 + 1000 }));
    bus.emit(share({ atMs: T0 + 2000, targetDifficulty: 2000 }));
    bus.emit(share({ atMs: T0 + 3000, result: 'rejected', reason: 'Duplicate share' }));
    bus.emit(share({ atMs: T0 + 4000, result: 'rejected', reason: 'Job not found' }));
    bus.emit(share({ atMs: T0 + 5000, result: 'stale', reason: null }));
    bus.emit(share({ atMs: T0 + 6000, result: 'pending' }));
    bus.emit({ type: 'block', atMs: T0 + 7000, boardId: 'b1', height: 925_000, hash: 'aa', result: 'accepted', accepted: true, source: 'node' });
    bus.emit({ type: 'block', atMs: T0 + 8000, boardId: 'b1', height: 925_000, hash: 'bb', result: 'inconclusive', accepted: false, source: 'node' });

    expect(stats.boardCounters('b1')).toMatchObject({ sharesAccepted: 2, sharesRejected: 1, sharesStale: 2, blocksFound: 1 });
    expect(stats.totals()).toMatchObject({ sharesAccepted: 2, sharesRejected: 1, sharesStale: 2, blocksFound: 1 });
    stats.dispose();
    bus.emit(share({ atMs: T0 + 9000 }));
    expect(stats.totals().sharesAccepted).toBe(2);
  });

  it('resetSession clears session figures and restarts the clock now', () => {
    const clock = { now: T0 };
    const stats = new Stats({ bus: new EventBus(), nowMs: () => clock.now });
    stats.recordJobStart('b1', T0, 256);
    for (let i = 0; i < 10; i++) stats.recordNonce(nonce('b1', 0, T0 + i * 100, 'valid', 700));
    clock.now = T0 + 10_000;
    stats.resetSession();
    expect(stats.boardCounters('b1')).toMatchObject({ nonces: 0, validNonces: 0, bestDifficulty: 0 });
    expect(stats.bestSession()).toBeNull();
    expect(stats.bestDifficultyAllTime()).toBe(700); // all-time is not a session figure
    expect(stats.firstJobAtMs()).toBe(T0 + 10_000);
    clock.now = T0 + 12_000;
    stats.recordNonce(nonce('b1', 0, T0 + 11_000, 'valid'));
    expect(stats.hashrateSinceStartHs('b1')).toBeCloseTo((256 * HASHES_PER_DIFFICULTY) / 2, 0);
    expect(stats.hashrate('b1', 0)['1m']!.coveredS).toBe(2);
  });

  it('feeds counter hashrate per chip and writes history samples', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hashdeck-stats-'));
    dirs.push(dir);
    const clock = { now: T0 };
    const ledger = Ledger.open(dir, { nowMs: () => clock.now, flushIntervalMs: 0 });
    const stats = new Stats({ bus: new EventBus(), ledger, nowMs: () => clock.now });
    stats.recordJobStart('b1', T0, 256);
    stats.recordCounter('b1', 0, 1000, T0);
    stats.recordCounter('b1', 1, 5000, T0);
    stats.recordCounter('b1', 0, 1100, T0 + 1000);
    stats.recordCounter('b1', 1, 5050, T0 + 1000);
    expect(stats.counterHashrateHs('b1', 0)).toBeCloseTo(100 * 2 ** 32, 0);
    expect(stats.counterHashrateHs('b1')).toBeCloseTo(150 * 2 ** 32, 0);
    for (let i = 0; i < 5; i++) stats.recordNonce(nonce('b1', 0, T0 + i * 1000, 'valid'));
    clock.now = T0 + 5000;
    stats.sampleToLedger([{ boardId: 'b1', powerW: 14, asicTempC: 58, vrTempC: 61, fanRpm: 3900 }]);
    const board = ledger.history('1h', 'b1').points;
    const total = ledger.history('1h').points;
    expect(board).toHaveLength(1);
    expect(board[0]!.hashrateHs).toBeCloseTo((5 * 256 * HASHES_PER_DIFFICULTY) / 5, 0);
    expect(total[0]).toMatchObject({ powerW: 14, asicTempC: 58, vrTempC: 61, fanRpm: null });
    stats.dispose();
    ledger.close();
  });

  it('explains reject reasons in plain language', () => {
    expect(explainReject('Job not found')).toBe('the pool had already moved to a new block; this share arrived too late');
    expect(explainReject('21 job-not-found')).toMatch(/too late/);
    expect(explainReject('Low difficulty share')).toMatch(/difficulty the pool asked for/);
    expect(explainReject('Above target')).toMatch(/difficulty/);
    expect(explainReject('Duplicate share')).toMatch(/twice/);
    expect(explainReject('Unauthorized worker')).toMatch(/worker/);
    expect(explainReject('ntime out of range')).toMatch(/clock/);
    expect(explainReject(null)).toMatch(/without giving a reason/);
    expect(explainReject('Quantum flux')).toBe('the pool rejected this share: "Quantum flux"');
    expect(rejectReasonKey('Stale share')).toBe('stale');
    expect(rejectReasonKey('Quantum flux')).toBe('other');
  });
});
