import { describe, expect, it } from 'vitest';
import { applyMessage, initialState, MAX_EVENTS, MAX_LOGS, mergeBackfilledLogs, type EngineState, type LogEntry } from '../../../src-renderer/src/state/store.js';
import { parseEngineMessage, webSocketUrl } from '../../../src-renderer/src/state/transport.js';
import { normaliseHistory, historyHasData } from '../../../src-renderer/src/lib/history.js';
import { fakeSnapshot } from '../../e2e/fake-engine.js';
import type { EngineMessage } from '@shared/contract';

function run(msgs: EngineMessage[], from: EngineState = initialState): EngineState {
  return msgs.reduce<EngineState>((s, m) => ({ ...s, ...applyMessage(s, m) }), from);
}
const log = (i: number): LogEntry => ({ type: 'log', atMs: i, level: 'info', scope: 's', text: `line ${i}` });

describe('store reducer', () => {
  it('keeps the latest snapshot and one chart point per engine tick', () => {
    const a = fakeSnapshot(2, 1_000_000);
    const b = fakeSnapshot(2, 1_001_000);
    const s = run([
      { kind: 'ready', version: '1.2.3' },
      { kind: 'snapshot', snapshot: a },
      { kind: 'snapshot', snapshot: a },
      { kind: 'snapshot', snapshot: b },
    ]);
    expect(s.engineVersion).toBe('1.2.3');
    expect(s.snapshot).toBe(b);
    expect(s.live.map((p) => p.timeS)).toEqual([1000, 1001]);
    expect(s.live[0]?.hashrateHs).toBe(a.totals.hashrateHs);
    expect(s.live[0]?.asicTempC).toBe(Math.max(...a.boards.map((x) => x.sensors.asicTempC ?? -Infinity)));
  });
  it('bounds events and logs', () => {
    const msgs: EngineMessage[] = [];
    for (let i = 0; i < MAX_LOGS + 10; i++) msgs.push({ kind: 'event', event: log(i) });
    for (let i = 0; i < MAX_EVENTS + 10; i++) msgs.push({ kind: 'event', event: { type: 'pool', atMs: i, url: 'u', state: 'active', detail: null } });
    const s = run(msgs);
    expect(s.logs.length).toBe(MAX_LOGS);
    expect(s.logs[0]?.atMs).toBe(10);
    expect(s.events.length).toBe(MAX_EVENTS);
  });
  it('raises the block banner only for accepted blocks', () => {
    const block = { type: 'block' as const, atMs: 5, boardId: 'b', height: 900_000, hash: '00'.repeat(32), result: 'accepted', accepted: true, source: 'node' };
    expect(run([{ kind: 'event', event: { ...block, accepted: false, result: 'rejected' } }]).blockBanner).toBeNull();
    expect(run([{ kind: 'event', event: block }]).blockBanner).toEqual(block);
  });
  it('merges backfilled logs without duplicates, in time order', () => {
    const merged = mergeBackfilledLogs([log(5), log(6)], [log(1), log(5)]);
    expect(merged.map((l) => l.atMs)).toEqual([1, 5, 6]);
  });
});

describe('transport parsing', () => {
  it('accepts valid engine messages and reports the path of a bad one', () => {
    expect(parseEngineMessage('{"kind":"ready","version":"x"}')).toEqual({ ok: true, msg: { kind: 'ready', version: 'x' } });
    const bad = parseEngineMessage({ kind: 'snapshot', snapshot: { version: 1 } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).toMatch(/snapshot/);
    expect(parseEngineMessage('nope')).toEqual({ ok: false, reason: 'message is not JSON' });
    expect(parseEngineMessage({ kind: 'evil' }).ok).toBe(false);
  });
  it('derives the WebSocket URL from the page location', () => {
    expect(webSocketUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/ws');
    expect(webSocketUrl({ protocol: 'https:', host: 'miner.local' })).toBe('wss://miner.local/ws');
  });
});

describe('history normalisation', () => {
  it('accepts points, wrapped points and columns; sorts by time', () => {
    const pts = [
      { atMs: 2000, hashrateHs: 2, powerW: 10, asicTempC: 50 },
      { atMs: 1000, hashrateHs: 1 },
    ];
    const a = normaliseHistory(pts);
    expect(a).toEqual({ timeS: [1, 2], hashrateHs: [1, 2], powerW: [null, 10], asicTempC: [null, 50] });
    expect(normaliseHistory({ points: pts })).toEqual(a);
    expect(normaliseHistory({ series: { atMs: [1000, 2000], hashrateHs: [1, 2] } })).toEqual({ timeS: [1, 2], hashrateHs: [1, 2], powerW: [null, null], asicTempC: [null, null] });
  });
  it('empty or missing history is empty, not zeros', () => {
    expect(historyHasData(normaliseHistory(null))).toBe(false);
    expect(historyHasData(normaliseHistory([]))).toBe(false);
    expect(historyHasData(normaliseHistory({ points: [{ atMs: 1, hashrateHs: null }] }))).toBe(false);
  });
  it('refuses shapes it does not understand', () => {
    expect(() => normaliseHistory([{ hashrateHs: 1 }])).toThrow(/no time/);
    expect(() => normaliseHistory({ foo: 1 })).toThrow(/no time column/);
    expect(() => normaliseHistory('x')).toThrow();
  });
});

describe('Electron bridge transport', () => {
  it('matches replies to requests, passes other messages on, drops invalid ones', async () => {
    const { createElectronTransport } = await import('../../../src-renderer/src/state/transport.js');
    let deliver: (m: unknown) => void = () => {};
    const sent: unknown[] = [];
    const bridge = {
      send: (m: unknown) => sent.push(m),
      onMessage: (cb: (m: never) => void) => ((deliver = cb as (m: unknown) => void), () => {}),
    };
    const got: EngineMessage[] = [];
    const invalid: string[] = [];
    const t = createElectronTransport(bridge as never, { onMessage: (m) => got.push(m), onState: () => {}, onInvalid: (r) => invalid.push(r) });
    const p = t.request({ type: 'getLogs', limit: 10 });
    expect(sent).toEqual([{ kind: 'request', id: 1, command: { type: 'getLogs', limit: 10 } }]);
    deliver({ kind: 'event', event: log(1) });
    deliver({ kind: 'snapshot', snapshot: { nope: true } });
    deliver({ kind: 'reply', id: 1, ok: true, result: ['x'] });
    await expect(p).resolves.toEqual(['x']);
    const q = t.request({ type: 'stop' });
    deliver({ kind: 'reply', id: 2, ok: false, error: 'read-only' });
    await expect(q).rejects.toThrow('read-only');
    expect(got).toEqual([{ kind: 'event', event: log(1) }]);
    expect(invalid.length).toBe(1);
    t.close();
  });
});
