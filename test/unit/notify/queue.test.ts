import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_NOTIFY_EVENTS, type NotifyEventKind } from '@shared/contract';
import type { NotifyChannel } from '../../../src-main/notify/channels/channel.js';
import { ChannelError } from '../../../src-main/notify/channels/http.js';
import type { Notification } from '../../../src-main/notify/events.js';
import { NotifyQueue } from '../../../src-main/notify/queue.js';

/** TEST DOUBLE: a channel that records what it was given and fails on request. */
function fakeChannel(events: readonly NotifyEventKind[] = DEFAULT_NOTIFY_EVENTS) {
  const sent: Notification[] = [];
  let attempts = 0;
  let failures = 0;
  let error: Error = new ChannelError('HTTP 500');
  const channel: NotifyChannel & { sent: Notification[]; attempts(): number; fail(n: number, e?: Error): void } = {
    kind: 'webhook',
    label: 'webhook test',
    secrets: [],
    events: new Set(events),
    sent,
    attempts: () => attempts,
    fail(n, e) {
      failures = n;
      if (e) error = e;
    },
    async send(n) {
      attempts++;
      if (failures > 0) {
        failures--;
        throw error;
      }
      sent.push(n);
    },
  };
  return channel;
}

function note(key: string, kind: NotifyEventKind = 'pool-down', urgent = false): Notification {
  return { kind, key, title: key, text: key, atMs: Date.now(), urgent };
}

describe('NotifyQueue', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('push returns at once; sending happens afterwards', async () => {
    const ch = fakeChannel();
    const q = new NotifyQueue(ch, () => undefined);
    expect(q.push(note('a'))).toBe(true);
    expect(ch.sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(ch.sent.map((n) => n.key)).toEqual(['a']);
  });

  it('drops duplicates within the window and takes them again after it', async () => {
    const ch = fakeChannel();
    const q = new NotifyQueue(ch, () => undefined, { dedupeWindowMs: 60_000 });
    q.push(note('same'));
    expect(q.push(note('same'))).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(q.push(note('same'))).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(ch.sent).toHaveLength(2);
    expect(q.counters.deduplicated).toBe(1);
  });

  it('ignores events the channel did not choose', () => {
    const q = new NotifyQueue(fakeChannel(['block']), () => undefined);
    expect(q.push(note('p', 'pool-down'))).toBe(false);
    expect(q.push(note('b', 'block', true))).toBe(true);
  });

  it('rate limit: a burst goes at once, the rest at the refill rate, urgent ones ahead', async () => {
    const ch = fakeChannel();
    const q = new NotifyQueue(ch, () => undefined, { burst: 2, ratePerMinute: 6 });
    for (const k of ['n1', 'n2', 'n3', 'n4']) q.push(note(k));
    await vi.advanceTimersByTimeAsync(0);
    expect(ch.sent.map((n) => n.key)).toEqual(['n1', 'n2']);
    q.push(note('blk', 'block', true));
    await vi.advanceTimersByTimeAsync(0);
    expect(ch.sent.map((n) => n.key)).toEqual(['n1', 'n2', 'blk']);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(ch.sent).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(ch.sent.map((n) => n.key)).toEqual(['n1', 'n2', 'blk', 'n3']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ch.sent.map((n) => n.key)).toEqual(['n1', 'n2', 'blk', 'n3', 'n4']);
  });

  it('retries with exponential backoff, then delivers', async () => {
    const ch = fakeChannel();
    const logs: string[] = [];
    const q = new NotifyQueue(ch, (_l, t) => logs.push(t), { retryBaseMs: 1_000 });
    ch.fail(3);
    q.push(note('x', 'block', true));
    await vi.advanceTimersByTimeAsync(0);
    expect(ch.attempts()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ch.attempts()).toBe(2);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(ch.attempts()).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(ch.attempts()).toBe(3);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(ch.sent.map((n) => n.key)).toEqual(['x']);
    expect(logs[0]).toMatch(/not sent \(HTTP 500\); retry 2 of 6 in 1 s/);
  });

  it('honours Retry-After and gives up after maxAttempts', async () => {
    const ch = fakeChannel();
    const logs: string[] = [];
    const q = new NotifyQueue(ch, (_l, t) => logs.push(t), { retryBaseMs: 100, maxAttempts: 2 });
    ch.fail(5, new ChannelError('HTTP 429', 5_000));
    q.push(note('y', 'block', true));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(ch.attempts()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(ch.attempts()).toBe(2);
    expect(q.counters.failed).toBe(1);
    expect(logs.at(-1)).toMatch(/gave up on "y" after 2 tries/);
  });

  it('is bounded: the oldest non-urgent message goes, and the next message says so', async () => {
    const ch = fakeChannel();
    const q = new NotifyQueue(ch, () => undefined, { maxQueued: 3, burst: 0.0001, ratePerMinute: 0.0001 });
    q.push(note('u1', 'block', true));
    for (const k of ['a', 'b', 'c', 'd']) q.push(note(k));
    expect(q.queued).toBeLessThanOrEqual(3);
    expect(q.counters.dropped).toBeGreaterThan(0);
    q.push(note('u2', 'block', true));
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(0);
    const withNote = ch.sent.find((n) => /earlier notifications? dropped/.test(n.text));
    expect(withNote).toBeDefined();
  });

  it('a channel that never answers does not block push', () => {
    const ch = fakeChannel();
    ch.send = () => new Promise(() => undefined);
    const q = new NotifyQueue(ch, () => undefined, { maxQueued: 10 });
    for (let i = 0; i < 1000; i++) q.push(note(`k${i}`));
    expect(q.queued).toBeLessThanOrEqual(10);
    q.stop();
    expect(q.push(note('late'))).toBe(false);
  });
});
