import { describe, expect, it } from 'vitest';
import type { EngineSnapshot } from '@shared/contract';
import { EventWatcher, type Notification } from '../../../src-main/notify/events.js';
import { fakeSnapshot, T0_MS } from '../../e2e/fake-engine.js';

function watch(): { w: EventWatcher; out: Notification[] } {
  const out: Notification[] = [];
  return { w: new EventWatcher((n) => out.push(n), { overTemperatureC: 70, hwErrorPercent: 5, hwErrorMinNonces: 100, hwErrorWindowMs: 600_000 }), out };
}

function withBoard(s: EngineSnapshot, i: number, change: (b: EngineSnapshot['boards'][number]) => void): EngineSnapshot {
  const copy = structuredClone(s);
  change(copy.boards[i]!);
  return copy;
}

describe('EventWatcher: what to say when', () => {
  it('a block names the board, height and hash', () => {
    const { w, out } = watch();
    w.onEvent({ type: 'block', atMs: T0_MS, boardId: 'emu0', height: 905_123, hash: '0000abcd', result: 'accepted', accepted: true, source: 'stratum+tcp://pool:3333' });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'block', key: 'block:0000abcd', urgent: true });
    expect(out[0]!.text).toContain('height 905123 by emu0: 0000abcd');
  });

  it('a lost board, a dead pool, a failover and a failing payout check', () => {
    const { w, out } = watch();
    w.onEvent({ type: 'board', atMs: T0_MS, boardId: 'b1', state: 'lost', detail: 'port closed' });
    w.onEvent({ type: 'pool', atMs: T0_MS, url: 'stratum+tcp://a:1', state: 'active', detail: null });
    w.onEvent({ type: 'pool', atMs: T0_MS, url: 'stratum+tcp://a:1', state: 'dead', detail: 'silent' });
    w.onEvent({ type: 'pool', atMs: T0_MS, url: 'stratum+tcp://b:2', state: 'active', detail: null });
    w.onEvent({ type: 'warning', atMs: T0_MS, warning: { id: 'payout:stratum+tcp://b:2', level: 'warn', text: 'pays 40 % to you', atMs: T0_MS, boardId: null } });
    w.onEvent({ type: 'warning', atMs: T0_MS, warning: { id: 'other', level: 'warn', text: 'x', atMs: T0_MS, boardId: null } });
    expect(out.map((n) => n.kind)).toEqual(['board-lost', 'pool-down', 'failover', 'payout-check']);
    expect(out[2]!.text).toBe('Mining moved from stratum+tcp://a:1 to stratum+tcp://b:2');
  });

  it('best difficulty: the first snapshot sets the bar; rises after it are news', () => {
    const { w, out } = watch();
    const s0 = fakeSnapshot(2);
    w.onSnapshot(s0);
    expect(out).toHaveLength(0);
    const s1 = structuredClone(s0);
    s1.totals.bestDifficulty = s0.totals.bestDifficulty * 2;
    w.onSnapshot(s1);
    expect(out.map((n) => n.kind)).toEqual(['best-session']);
    const s2 = structuredClone(s1);
    s2.totals.bestDifficultyAllTime = 5e12;
    s2.bestShares[0] = { ...s2.bestShares[0]!, difficulty: 5e12, deviceId: 'board-1', work: 'pool' };
    w.onSnapshot(s2);
    expect(out.at(-1)).toMatchObject({ kind: 'best-all-time' });
    expect(out.at(-1)!.text).toMatch(/by board-1 \(pool\)/);
  });

  it('over temperature once per excursion (5 °C hysteresis)', () => {
    const { w, out } = watch();
    let s = fakeSnapshot(1);
    const at = (t: number): EngineSnapshot => (s = withBoard(s, 0, (b) => (b.sensors.asicTempC = t)));
    for (const t of [60, 71, 72, 68, 71, 64, 70]) w.onSnapshot(at(t));
    expect(out.filter((n) => n.kind === 'over-temperature')).toHaveLength(2);
  });

  it('hardware-error rate over the window, with a minimum of nonces', () => {
    const { w, out } = watch();
    let s = fakeSnapshot(1);
    const step = (valid: number, hw: number, dtMs: number): void => {
      s = withBoard(s, 0, (b) => {
        b.counters.validNonces += valid;
        b.counters.hwErrors += hw;
      });
      s.nowMs += dtMs;
      w.onSnapshot(s);
    };
    step(0, 0, 0);
    step(50, 10, 60_000); // 60 nonces: too few to judge
    expect(out.filter((n) => n.kind === 'hw-errors')).toHaveLength(0);
    step(100, 2, 60_000); // 162 judged, 12 errors = 7.4 %
    expect(out.filter((n) => n.kind === 'hw-errors')).toHaveLength(1);
    step(100, 1, 60_000); // still high: no repeat
    expect(out.filter((n) => n.kind === 'hw-errors')).toHaveLength(1);
  });

  it('a node that stops answering, once until it answers again', () => {
    const { w, out } = watch();
    const s = fakeSnapshot(1);
    s.node = { url: 'http://127.0.0.1:8332', state: 'active', chain: 'main', height: 1, networkDifficulty: 1, networkHashrateHs: 1, payoutAddress: 'bc1q', message: null, lastTemplateAtMs: null };
    w.onSnapshot(s);
    const down = structuredClone(s);
    down.node!.state = 'error';
    down.node!.message = 'ECONNREFUSED';
    w.onSnapshot(down);
    w.onSnapshot(down);
    expect(out.filter((n) => n.kind === 'node-unreachable')).toHaveLength(1);
    w.onSnapshot(s);
    w.onSnapshot(down);
    expect(out.filter((n) => n.kind === 'node-unreachable')).toHaveLength(2);
  });
});
