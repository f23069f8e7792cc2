import { describe, expect, it } from 'vitest';
import { EventBus } from '@shared/bus.js';
import { isStaleReject, staleRejectKind } from '../../../../src-main/work/stratum/stale-reject.js';
import { ShareBook } from '../../../../src-main/work/stratum/share-book.js';
import { explainReject, rejectReasonKey } from '../../../../src-main/stats/reject-reasons.js';
import { Stats } from '../../../../src-main/stats/stats.js';
import { POOL_URLS, bookShare } from '../../../fixtures/stratum/book-share.js';

/** Pool replies as parseRejectReason returns them (docs/stratum-and-gbt.md §1.9), and the verdict expected. */
const REPLIES: Array<{ code: number | null; reason: string; stale: boolean }> = [
  { code: 21, reason: 'Job not found', stale: true },
  { code: 21, reason: 'error 21', stale: true },
  { code: null, reason: 'Job not found', stale: true },
  { code: null, reason: 'Stale', stale: true },
  { code: null, reason: 'too late', stale: true },
  { code: null, reason: 'Invalid JobID', stale: true },
  { code: null, reason: 'job expired', stale: true },
  { code: 22, reason: 'Duplicate share', stale: false },
  { code: 23, reason: 'Difficulty too low', stale: false },
  { code: null, reason: 'Above target 2', stale: false },
  { code: 24, reason: 'Unauthorized worker', stale: false },
  { code: null, reason: 'Ntime out of range', stale: false },
];

describe('the stale-reject rule', () => {
  it('counts job-gone and too-late replies as stale, by code 21 or by wording', () => {
    expect(staleRejectKind(21, 'Job not found')).toBe('job-not-found');
    expect(staleRejectKind(21, 'whatever the pool says')).toBe('job-not-found');
    expect(staleRejectKind(21, null)).toBe('job-not-found');
    expect(staleRejectKind(null, 'Job not found')).toBe('job-not-found');
    expect(staleRejectKind(null, '21 job-not-found')).toBe('job-not-found');
    expect(staleRejectKind(null, 'Job ID not found')).toBe('job-not-found');
    expect(staleRejectKind(null, 'Invalid JobID')).toBe('job-not-found');
    expect(staleRejectKind(null, 'unknown job')).toBe('job-not-found');
    expect(staleRejectKind(null, 'Stale')).toBe('stale');
    expect(staleRejectKind(null, 'stale share')).toBe('stale');
    expect(staleRejectKind(null, 'too late')).toBe('stale');
    expect(staleRejectKind(null, 'Share is too-late')).toBe('stale');
    expect(staleRejectKind(null, 'job expired')).toBe('stale');
  });

  it('keeps real rejections as rejected', () => {
    for (const [code, reason] of [
      [22, 'Duplicate share'],
      [23, 'Difficulty too low'],
      [null, 'Above target 2'],
      [24, 'Unauthorized worker'],
      [25, 'Not subscribed'],
      [null, 'Ntime out of range'],
      [null, 'Invalid version mask'],
      [null, 'Invalid nonce2 length'],
      [20, 'Other/Unknown'],
      [null, 'rejected (no reason given)'],
      [null, null],
      [null, ''],
    ] as const) {
      expect(isStaleReject(code, reason), `${code} ${reason}`).toBe(false);
    }
  });

  it('stats explains exactly the stale replies as "too late"', () => {
    const reasons = ['Job not found', 'Invalid JobID', 'Stale', 'too late', 'job expired', 'Duplicate share', 'Above target 2', 'Invalid nonce2 length', 'Quantum flux'];
    for (const reason of reasons) {
      const stale = isStaleReject(null, reason);
      expect(explainReject(reason).includes('too late'), reason).toBe(stale);
      expect(['job-not-found', 'stale'].includes(rejectReasonKey(reason)), reason).toBe(stale);
    }
  });
});

describe('pool panel and board totals agree', () => {
  it("the Stratum source's counters and the stats totals classify every reply the same way", () => {
    const bus = new EventBus();
    const stats = new Stats({ bus });
    const book = new ShareBook({ bus, log: () => {}, nowMs: () => 0, poolUrl: (i) => POOL_URLS[i], resubmitWindowMs: 120_000 });
    REPLIES.forEach((r, i) => {
      const before = { panel: book.poolCounters(0), board: stats.totals() };
      book.sent(1, i + 10, 0, bookShare({ nonce: i }), false);
      book.reply(1, i + 10, { code: r.code, reason: r.reason }, 30);
      const panel = book.poolCounters(0);
      const board = stats.totals();
      const label = `${r.code} ${r.reason}`;
      expect(panel.sharesStale - before.panel.sharesStale, label).toBe(r.stale ? 1 : 0);
      expect(panel.sharesRejected - before.panel.sharesRejected, label).toBe(r.stale ? 0 : 1);
      expect(board.sharesStale - before.board.sharesStale, label).toBe(r.stale ? 1 : 0);
      expect(board.sharesRejected - before.board.sharesRejected, label).toBe(r.stale ? 0 : 1);
    });
    const staleCount = REPLIES.filter((r) => r.stale).length;
    expect(book.poolCounters(0)).toMatchObject({ sharesStale: staleCount, sharesRejected: REPLIES.length - staleCount });
    expect(stats.totals()).toMatchObject({ sharesStale: staleCount, sharesRejected: REPLIES.length - staleCount });
    stats.dispose();
  });

  it('stats applies the same rule to a "rejected" verdict that carries a too-late reason', () => {
    const bus = new EventBus();
    const stats = new Stats({ bus });
    for (const r of REPLIES) {
      bus.emit({ type: 'share', atMs: 0, boardId: 'b1', pool: 'p', difficulty: 1, targetDifficulty: 1, result: 'rejected', reason: r.reason, responseMs: null });
    }
    // Without the code, only the wording counts: "error 21" is the one reply it cannot recognise.
    const byWording = REPLIES.filter((r) => isStaleReject(null, r.reason)).length;
    expect(byWording).toBe(REPLIES.filter((r) => r.stale).length - 1);
    expect(stats.totals()).toMatchObject({ sharesStale: byWording, sharesRejected: REPLIES.length - byWording });
    stats.dispose();
  });
});
