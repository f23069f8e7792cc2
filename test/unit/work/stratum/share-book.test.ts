import { describe, expect, it } from 'vitest';
import { EventBus } from '@shared/bus.js';
import type { EngineEvent } from '@shared/contract';
import { headerPrevHashToStratum } from '../../../../src-main/bitcoin/prevhash.js';
import { ShareBook, MAX_REASON_KEYS, type ShareBookOptions } from '../../../../src-main/work/stratum/share-book.js';
import { EN1, POOL_URLS, PREV_HASH, bookShare } from '../../../fixtures/stratum/book-share.js';

const T0 = 1_760_000_000_000;
const WINDOW_MS = 120_000;
const SESSION = 7;

type ShareEvent = Extract<EngineEvent, { type: 'share' }>;

/** A share book on a fake clock, recording every event and log line it produces. */
function setup(overrides: Partial<ShareBookOptions> = {}) {
  const clock = { now: T0 };
  const bus = new EventBus();
  const events: EngineEvent[] = [];
  const logs: string[] = [];
  bus.onAny((e) => events.push(e));
  const book = new ShareBook({ bus, log: (_level, text) => logs.push(text), nowMs: () => clock.now, poolUrl: (i) => POOL_URLS[i], resubmitWindowMs: WINDOW_MS, ...overrides });
  const shares = () => events.filter((e): e is ShareEvent => e.type === 'share');
  const verdicts = () =>
    shares()
      .filter((e) => e.result !== 'pending')
      .map((e) => ({ result: e.result, reason: e.reason }));
  return { clock, book, events, logs, shares, verdicts };
}

describe('ShareBook', () => {
  it('submits each share once: duplicates are dropped, the key set is bounded and forgotten on invalidation', () => {
    const { book, shares, logs } = setup({ maxDedupKeys: 2 });
    expect(book.open(0, bookShare({ nonce: 1 }))).toBe(true);
    expect(book.open(0, bookShare({ nonce: 1 }))).toBe(false);
    expect(logs.filter((l) => l.startsWith('duplicate share ignored'))).toHaveLength(1);
    // Same nonce on another job or session is another share.
    expect(book.open(0, bookShare({ nonce: 1, jobId: 'j2' }))).toBe(true);
    expect(book.open(0, bookShare({ nonce: 1, extranonce1: Buffer.from('ffffffff', 'hex') }))).toBe(true);
    // Bound of 2 keys: the oldest (nonce 1, job j1) was evicted, the newest is still known.
    expect(book.open(0, bookShare({ nonce: 1 }))).toBe(true);
    expect(book.open(0, bookShare({ nonce: 1, extranonce1: Buffer.from('ffffffff', 'hex') }))).toBe(false);
    expect(shares().map((e) => e.result)).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect(shares()[0]).toMatchObject({ atMs: T0, pool: POOL_URLS[0], boardId: 'b1', targetDifficulty: 512 });
    book.forgetSubmitted();
    expect(book.open(0, bookShare({ nonce: 1, extranonce1: Buffer.from('ffffffff', 'hex') }))).toBe(true);
  });

  it('gives up on a reply after the reply time-out (rejected, "no reply from pool") and ignores it when it comes late', () => {
    const { clock, book, verdicts } = setup();
    book.sent(SESSION, 4, 0, bookShare({ nonce: 1 }), false);
    clock.now = T0 + 119_999;
    book.sent(SESSION, 5, 0, bookShare({ nonce: 2 }), false);
    expect(book.awaitingReply(SESSION)).toBe(2);
    expect(verdicts()).toEqual([]);
    clock.now = T0 + 120_000;
    book.sent(SESSION, 6, 0, bookShare({ nonce: 3 }), false);
    expect(verdicts()).toEqual([{ result: 'rejected', reason: 'no reply from pool' }]);
    expect(book.awaitingReply(SESSION)).toBe(2);
    book.reply(SESSION, 4, null, 30);
    expect(verdicts()).toHaveLength(1);
    expect(book.poolCounters(0)).toMatchObject({ sharesAccepted: 0, sharesRejected: 1, rejectReasons: { 'no reply from pool': 1 } });
  });

  it('keeps at most a reply time-out worth of shares in flight when the pool never answers', () => {
    const { clock, book, verdicts } = setup({ replyTimeoutMs: 10_000 });
    for (let i = 0; i < 500; i++) {
      clock.now = T0 + i * 1000;
      book.sent(SESSION, 100 + i, 0, bookShare({ nonce: i }), false);
      expect(book.awaitingReply(SESSION)).toBeLessThanOrEqual(10);
    }
    expect(verdicts()).toHaveLength(490);
    expect(book.poolCounters(0).sharesRejected).toBe(490);
  });

  it('bounds the resubmit queue: the oldest shares are given up as stale', () => {
    const { book, verdicts } = setup({ maxQueued: 3 });
    for (let i = 0; i < 5; i++) book.enqueue(0, bookShare({ nonce: i }));
    expect(book.queuedCount).toBe(3);
    expect(verdicts()).toEqual([
      { result: 'stale', reason: 'resubmit queue full' },
      { result: 'stale', reason: 'resubmit queue full' },
    ]);
    book.dropQueue('pool unreachable');
    expect(book.queuedCount).toBe(0);
    expect(book.poolCounters(0).sharesStale).toBe(5);
  });

  it('resubmits only what the new session can take: same pool, extranonce1 and block, within the window', () => {
    const { clock, book, verdicts, logs } = setup();
    const otherBlock = Buffer.alloc(32, 0x22);
    book.enqueue(0, bookShare({ nonce: 1, jobId: 'old' }));
    clock.now = T0 + 100_000;
    const fits = bookShare({ nonce: 2, jobId: 'fits' });
    book.enqueue(0, fits);
    book.enqueue(0, bookShare({ nonce: 3, extranonce1: Buffer.from('99999999', 'hex') }));
    book.enqueue(0, bookShare({ nonce: 4, prevHash: otherBlock }));
    book.enqueue(1, bookShare({ nonce: 5 }));
    clock.now = T0 + WINDOW_MS + 1;
    const resubmitted: number[] = [];
    book.flushQueue({ poolIndex: 0, extranonce1: EN1, prevHashHex: headerPrevHashToStratum(PREV_HASH) }, (share) => resubmitted.push(share.nonce));
    expect(resubmitted).toEqual([2]);
    expect(logs).toContain('resubmitting a share found while reconnecting (job fits)');
    expect(verdicts()).toEqual([
      { result: 'stale', reason: 'too old to resubmit' },
      { result: 'stale', reason: 'new session has a different extranonce1' },
      { result: 'stale', reason: 'the block changed while reconnecting' },
      { result: 'stale', reason: 'the pool changed while reconnecting' },
    ]);
    expect(book.queuedCount).toBe(0);
    // A session whose extranonce1 is not known yet takes nothing.
    book.enqueue(0, fits);
    book.flushQueue({ poolIndex: 0, extranonce1: null, prevHashHex: headerPrevHashToStratum(PREV_HASH) }, (share) => resubmitted.push(share.nonce));
    expect(resubmitted).toEqual([2]);
    expect(verdicts().at(-1)).toEqual({ result: 'stale', reason: 'new session has a different extranonce1' });
  });

  it('requeues the unanswered shares of a dropped session and abandons those of a session left on purpose', () => {
    const { book, verdicts } = setup();
    book.sent(1, 4, 0, bookShare({ nonce: 1 }), false);
    book.sent(1, 5, 0, bookShare({ nonce: 2 }), false);
    book.sent(2, 4, 0, bookShare({ nonce: 3 }), false);
    expect(book.requeue(1)).toBe(2);
    expect(book.awaitingReply(1)).toBe(0);
    expect(book.queuedCount).toBe(2);
    book.reply(1, 4, null, 10); // the dropped session's reply can no longer count
    expect(verdicts()).toEqual([]);
    book.abandon(2, 'pool switched before a reply');
    expect(verdicts()).toEqual([{ result: 'stale', reason: 'pool switched before a reply' }]);
    expect(book.requeue(3)).toBe(0);
  });

  it('counts verdicts per pool: accepted difficulty, reject reasons (bounded), stale, last response time', () => {
    const { book, shares } = setup();
    let id = 1;
    const reply = (poolIndex: number, reject: { reason: string; code: number | null } | null, opts: { difficulty?: number; resubmitted?: boolean; latencyMs?: number } = {}) => {
      const requestId = id++;
      book.sent(SESSION + poolIndex, requestId, poolIndex, bookShare({ nonce: requestId, shareDifficulty: opts.difficulty ?? 512 }), opts.resubmitted ?? false);
      book.reply(SESSION + poolIndex, requestId, reject, opts.latencyMs ?? 40);
    };
    reply(0, null, { difficulty: 1000 });
    reply(0, null, { difficulty: 2000, latencyMs: 12.345 });
    reply(0, { reason: 'Duplicate share', code: 22 });
    reply(0, { reason: 'Duplicate share', code: 22 }, { resubmitted: true }); // it reached the pool before the drop
    reply(0, { reason: 'Job not found', code: 21 });
    reply(0, { reason: 'Above target 2', code: null });
    reply(1, null, { difficulty: 64 });
    expect(book.poolCounters(0)).toEqual({
      sharesAccepted: 2,
      sharesRejected: 2,
      sharesStale: 2,
      acceptedDifficulty: 3000,
      rejectReasons: { 'Duplicate share': 1, 'Above target 2': 1 },
      responseTimeMs: 40,
    });
    expect(book.poolCounters(1)).toMatchObject({ sharesAccepted: 1, acceptedDifficulty: 64 });
    expect(shares().find((e) => e.result === 'accepted' && e.responseMs !== 40)).toMatchObject({ responseMs: 12.3, pool: POOL_URLS[0] });
    expect(
      shares()
        .filter((e) => e.pool === POOL_URLS[1])
        .map((e) => e.result),
    ).toEqual(['accepted']);
    // A copy: the caller cannot change the book.
    book.poolCounters(0).rejectReasons['Above target 2'] = 99;
    expect(book.poolCounters(0).rejectReasons['Above target 2']).toBe(1);
    // Distinct reason texts are bounded; the rest are lumped as "other".
    for (let i = 0; i < MAX_REASON_KEYS + 5; i++) reply(2, { reason: `odd reason ${i}`, code: null });
    const reasons = book.poolCounters(2).rejectReasons;
    expect(Object.keys(reasons)).toHaveLength(MAX_REASON_KEYS + 1);
    expect(reasons.other).toBe(5);
    expect(book.poolCounters(2).sharesRejected).toBe(MAX_REASON_KEYS + 5);
  });

  it('reports a block candidate as a block event with its verdict', () => {
    const { book, events, logs } = setup();
    const share = bookShare({ nonce: 9, isBlockCandidate: true });
    expect(book.open(0, share)).toBe(true);
    expect(logs.some((l) => l.startsWith('BLOCK CANDIDATE: hash'))).toBe(true);
    book.sent(SESSION, 4, 0, share, false);
    book.reply(SESSION, 4, null, 25);
    expect(events.filter((e) => e.type === 'block')).toEqual([
      { type: 'block', atMs: T0, boardId: 'b1', height: 900_000, hash: 'ff'.repeat(32), result: 'accepted', accepted: true, source: POOL_URLS[0] },
    ]);
    book.finish(0, bookShare({ nonce: 10, isBlockCandidate: true }), 'stale', 'job no longer live', null);
    expect(events.filter((e) => e.type === 'block').at(-1)).toMatchObject({ accepted: false, result: 'stale: job no longer live' });
  });
});
