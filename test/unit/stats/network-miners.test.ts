import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '@shared/bus.js';
import { HASHES_PER_DIFFICULTY } from '@shared/economics.js';
import { Ledger } from '../../../src-main/stats/ledger.js';
import { NETWORK_SHARES_POOL, NetworkMinerStats } from '../../../src-main/stats/network-miners.js';
import { Stats } from '../../../src-main/stats/stats.js';

const T0 = 1_760_000_000_000;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function ledger(): { ledger: Ledger; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hashdeck-netminers-'));
  dirs.push(dir);
  return { ledger: Ledger.open(dir, { flushIntervalMs: 0, nowMs: () => T0 + 600_000 }), dir };
}

const arrival = (worker: string, connectionId: number, atMs = T0) => ({ worker, connectionId, address: '192.168.1.42', userAgent: 'bitaxe/BM1370/v2.4.0', payoutAddress: null, difficulty: 512, atMs });

describe('network miner statistics', () => {
  it('counts shares, hashrate from credited difficulty, best, reasons and connections per worker', () => {
    const bus = new EventBus();
    let now = T0;
    const s = new NetworkMinerStats({ bus, nowMs: () => now });
    s.connected(arrival('bitaxe', 1));
    s.connected(arrival('bitaxe', 2));
    // 40 shares of difficulty 1000 over 600 s: 40 000 · 2^32 / 600 hashes per second.
    for (let i = 1; i <= 40; i++) s.accepted('bitaxe', { creditedDifficulty: 1000, difficulty: 1000 + i * 10, hash: 'ab'.repeat(32), isBlock: false, atMs: T0 + i * 15_000 });
    s.rejected('bitaxe', { reason: 'Duplicate share', stale: false, difficulty: 1200, targetDifficulty: 1000, atMs: T0 + 1 });
    s.rejected('bitaxe', { reason: 'Job not found (stale)', stale: true, difficulty: null, targetDifficulty: 1000, atMs: T0 + 2 });
    s.rejected('bitaxe', { reason: 'Duplicate share', stale: false, difficulty: 1200, targetDifficulty: 1000, atMs: T0 + 3 });
    s.difficulty('bitaxe', 1024);
    s.disconnected('bitaxe', 1, T0 + 500_000);
    now = T0 + 600_000;
    const [m] = s.snapshots();
    expect(m).toMatchObject({
      id: 'net:bitaxe',
      worker: 'bitaxe',
      connections: 1,
      address: '192.168.1.42',
      userAgent: 'bitaxe/BM1370/v2.4.0',
      difficulty: 1024,
      sharesAccepted: 40,
      sharesRejected: 3,
      rejectReasons: { 'Duplicate share': 2, 'Job not found (stale)': 1 },
      bestDifficulty: 1400,
      bestDifficultyAllTime: 1400,
      blocksFound: 0,
      lastShareAtMs: T0 + 600_000,
    });
    expect(m!.hashrateHs).toBeCloseTo((40_000 * HASHES_PER_DIFFICULTY) / 600, 0);
    // The 10 minute window holds them with an interval around the value.
    const w = m!.hashrate['10m']!;
    expect(w.samples).toBe(40);
    expect(w.lowHs).toBeLessThan(w.valueHs);
    expect(w.highHs).toBeGreaterThan(w.valueHs);
  });

  it('counts its blocks and the pool’s verdicts on forwarded shares from the bus; board ids are not its business', () => {
    const bus = new EventBus();
    const s = new NetworkMinerStats({ bus });
    s.connected(arrival('nerd', 1));
    bus.emit({ type: 'block', atMs: T0, boardId: 'net:nerd', height: 101, hash: 'cd'.repeat(32), result: 'accepted', accepted: true, source: 'http://node' });
    bus.emit({ type: 'block', atMs: T0, boardId: 'net:nerd', height: 102, hash: 'ce'.repeat(32), result: 'high-hash', accepted: false, source: 'http://node' });
    bus.emit({ type: 'block', atMs: T0, boardId: 'board-1', height: 103, hash: 'cf'.repeat(32), result: 'accepted', accepted: true, source: 'http://node' });
    for (const result of ['accepted', 'accepted', 'rejected', 'stale', 'pending'] as const) {
      bus.emit({ type: 'share', atMs: T0, boardId: 'net:nerd', pool: 'stratum+tcp://pool:3333', difficulty: 2, targetDifficulty: 1, result, reason: null, responseMs: 10 });
    }
    const [m] = s.snapshots();
    expect(m!.blocksFound).toBe(1);
    expect(m!.forwarded).toEqual({ accepted: 2, rejected: 1, stale: 1 });
  });

  it('keeps its shares and samples in the ledger under net:<worker>; the all-time best survives a restart', () => {
    const { ledger: l } = ledger();
    const bus = new EventBus();
    const s = new NetworkMinerStats({ bus, ledger: l });
    s.connected(arrival('avalon', 1));
    s.accepted('avalon', { creditedDifficulty: 5000, difficulty: 123_456.5, hash: 'ab'.repeat(32), isBlock: false, atMs: T0 + 10_000 });
    s.rejected('avalon', { reason: 'Difficulty too low', stale: false, difficulty: 12, targetDifficulty: 5000, atMs: T0 + 20_000 });
    s.sampleToLedger(T0 + 30_000);
    const csv = l.exportCsv('shares', T0, T0 + 60_000, 'net:avalon');
    expect(csv).toContain(`net:avalon,${NETWORK_SHARES_POOL},12,5000,rejected,Difficulty too low`);
    expect(l.history('1h', 'net:avalon').points.length).toBe(1);
    expect(l.bestShareDifficulty('net:avalon')).toBe(123_456.5);
    const again = new NetworkMinerStats({ bus: new EventBus(), ledger: l });
    again.connected(arrival('avalon', 7));
    expect(again.snapshots()[0]).toMatchObject({ bestDifficulty: 0, bestDifficultyAllTime: 123_456.5 });
    l.close();
  });

  it('Stats: a network miner’s block counts in the totals, its forwarded shares do not count as a board’s', () => {
    const bus = new EventBus();
    const stats = new Stats({ bus });
    bus.emit({ type: 'block', atMs: T0, boardId: 'net:bitaxe', height: 7, hash: 'aa'.repeat(32), result: 'accepted', accepted: true, source: 'http://node' });
    bus.emit({ type: 'share', atMs: T0, boardId: 'net:bitaxe', pool: 'p', difficulty: 2, targetDifficulty: 1, result: 'accepted', reason: null, responseMs: 1 });
    expect(stats.totals()).toMatchObject({ blocksFound: 1, sharesAccepted: 0 });
    expect(stats.boardIds()).toEqual([]);
    stats.resetSession();
    expect(stats.totals().blocksFound).toBe(0);
  });

  it('resets the session but keeps the all-time best', () => {
    const s = new NetworkMinerStats({ bus: new EventBus() });
    s.connected(arrival('w', 1));
    s.accepted('w', { creditedDifficulty: 1, difficulty: 50, hash: 'ab'.repeat(32), isBlock: false, atMs: T0 });
    s.resetSession();
    expect(s.snapshots()[0]).toMatchObject({ sharesAccepted: 0, bestDifficulty: 0, bestDifficultyAllTime: 50, connections: 1 });
  });
});
