/**
 * The share book of a Stratum source: every share from submission to verdict (docs/stratum-and-gbt.md
 * §1.8, §1.9, §4). It filters duplicates (a bounded key set), tracks shares sent and waiting for a
 * reply (given up after the reply time-out, so a pool that never answers cannot grow memory),
 * queues shares found while reconnecting and decides which a new session can still take (same
 * extranonce1, same block, within the resubmit window), keeps the per-pool counters, and reports
 * each verdict as a 'share' event (and a 'block' event for a block candidate). The clock is
 * injected so every rule runs under a fake clock in tests.
 */
import type { EventBus } from '@shared/bus.js';
import { headerPrevHashToStratum } from '../../bitcoin/prevhash.js';
import { hashToDisplayHex } from '../../bitcoin/sha256d.js';
import { hashMeetsTarget } from '../../bitcoin/target.js';
import type { Share } from '../job.js';
import type { RejectReason } from './messages.js';
import type { SessionLogLevel } from './session.js';
import { isStaleReject } from './stale-reject.js';
import { hex8, shareKey } from './submit-params.js';

export type ShareVerdict = 'accepted' | 'rejected' | 'stale';

/** Share outcomes of one pool, as shown on its panel (PoolSnapshot). */
export interface PoolShareCounters {
  sharesAccepted: number;
  sharesRejected: number;
  sharesStale: number;
  /** Σ pool difficulty of the accepted shares (what the pool credits). */
  acceptedDifficulty: number;
  /** Rejected shares per reason as the pool worded it. */
  rejectReasons: Record<string, number>;
  /** Round trip of the last submit that got a reply. */
  responseTimeMs: number | null;
}

/** What a new session offers: a queued share is resubmitted only when it matches. */
export interface ResubmitTarget {
  poolIndex: number;
  extranonce1: Buffer | null;
  /** prevhash of the session's first job, in Stratum word order. */
  prevHashHex: string;
}

export interface ShareBookOptions {
  bus: EventBus;
  log: (level: SessionLogLevel, text: string) => void;
  nowMs: () => number;
  /** The pool URL reported in share events, by pool index (undefined: the template's source). */
  poolUrl: (poolIndex: number) => string | undefined;
  /** How long a share found while reconnecting may still be resubmitted (StratumTimers.resubmitWindowMs). */
  resubmitWindowMs: number;
  /** A submit without a reply for this long is given up: rejected, "no reply from pool". */
  replyTimeoutMs?: number;
  maxQueued?: number;
  maxDedupKeys?: number;
}

interface Inflight {
  poolIndex: number;
  share: Share;
  sentAtMs: number;
  resubmitted: boolean;
}

interface Queued {
  poolIndex: number;
  share: Share;
  queuedAtMs: number;
}

export const DEFAULT_REPLY_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_QUEUED_SHARES = 1000;
export const DEFAULT_MAX_DEDUP_KEYS = 65_536;
/** Distinct reject-reason texts kept per pool before the rest are lumped as "other". */
export const MAX_REASON_KEYS = 32;

export class ShareBook {
  private readonly sentKeys = new Set<string>();
  /** Per session id: submit request id → share waiting for its reply (in send order). */
  private readonly inflight = new Map<number, Map<number, Inflight>>();
  private readonly queue: Queued[] = [];
  private readonly counters = new Map<number, PoolShareCounters>();
  private readonly replyTimeoutMs: number;
  private readonly maxQueued: number;
  private readonly maxDedupKeys: number;

  constructor(private readonly options: ShareBookOptions) {
    this.replyTimeoutMs = options.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS;
    this.maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED_SHARES;
    this.maxDedupKeys = options.maxDedupKeys ?? DEFAULT_MAX_DEDUP_KEYS;
  }

  /** A share from the validator: false (nothing reported) when it was already submitted, else it is reported 'pending'. */
  open(poolIndex: number, share: Share): boolean {
    const key = shareKey(share);
    const t = share.job.template;
    if (this.sentKeys.has(key)) {
      this.options.log('debug', `duplicate share ignored (job ${t.sourceJobId}, nonce ${hex8(share.nonce)})`);
      return false;
    }
    this.sentKeys.add(key);
    if (this.sentKeys.size > this.maxDedupKeys) this.sentKeys.delete(this.sentKeys.values().next().value!);
    if (isBlockCandidate(share)) {
      this.options.log('error', `BLOCK CANDIDATE: hash ${hashToDisplayHex(share.hash)} meets the network target (job ${t.sourceJobId}, height ${t.height ?? 'unknown'}) — submitting to ${t.sourceId}`);
    }
    this.emitShare(poolIndex, share, 'pending', null, null);
    return true;
  }

  /** All work was invalidated: the keys of its shares can never come back. */
  forgetSubmitted(): void {
    this.sentKeys.clear();
  }

  /** The share went out as request `requestId` of session `sessionId`; replies overdue on that session are given up first. */
  sent(sessionId: number, requestId: number, poolIndex: number, share: Share, resubmitted: boolean): void {
    const now = this.options.nowMs();
    let waiting = this.inflight.get(sessionId);
    if (!waiting) this.inflight.set(sessionId, (waiting = new Map()));
    for (const [id, f] of waiting) {
      if (now - f.sentAtMs < this.replyTimeoutMs) break;
      waiting.delete(id);
      this.finish(f.poolIndex, f.share, 'rejected', 'no reply from pool', null);
    }
    waiting.set(requestId, { poolIndex, share, sentAtMs: now, resubmitted });
  }

  /** The pool answered a submit (reject null = accepted). Unknown ids (given up, or not a share) are ignored. */
  reply(sessionId: number, requestId: number, reject: RejectReason | null, latencyMs: number): void {
    const waiting = this.inflight.get(sessionId);
    const f = waiting?.get(requestId);
    if (!waiting || !f) return;
    waiting.delete(requestId);
    if (waiting.size === 0) this.inflight.delete(sessionId);
    this.countersOf(f.poolIndex).responseTimeMs = Math.round(latencyMs * 10) / 10;
    if (reject === null) this.finish(f.poolIndex, f.share, 'accepted', null, latencyMs);
    // A resubmitted share the pool calls a duplicate had reached it before the disconnect.
    else if (isStaleReject(reject.code, reject.reason) || (f.resubmitted && /duplicate/i.test(reject.reason))) this.finish(f.poolIndex, f.share, 'stale', reject.reason, latencyMs);
    else this.finish(f.poolIndex, f.share, 'rejected', reject.reason, latencyMs);
  }

  /** Shares of a session still waiting for a reply. */
  awaitingReply(sessionId: number): number {
    return this.inflight.get(sessionId)?.size ?? 0;
  }

  /** The session is left on purpose: its unanswered shares are stale. */
  abandon(sessionId: number, reason: string): void {
    const waiting = this.inflight.get(sessionId);
    this.inflight.delete(sessionId);
    for (const f of waiting?.values() ?? []) this.finish(f.poolIndex, f.share, 'stale', reason, null);
  }

  /** The session dropped: unanswered shares may never have reached the pool, so they are queued. Returns how many. */
  requeue(sessionId: number): number {
    const waiting = this.inflight.get(sessionId);
    this.inflight.delete(sessionId);
    for (const f of waiting?.values() ?? []) this.enqueue(f.poolIndex, f.share);
    return waiting?.size ?? 0;
  }

  /** Keep a share found while reconnecting; beyond the bound the oldest is given up as stale. */
  enqueue(poolIndex: number, share: Share): void {
    this.queue.push({ poolIndex, share, queuedAtMs: this.options.nowMs() });
    while (this.queue.length > this.maxQueued) {
      const old = this.queue.shift()!;
      this.finish(old.poolIndex, old.share, 'stale', 'resubmit queue full', null);
    }
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  /** First work on a new session: hand back the queued shares it can still take; the rest are stale, with the reason. */
  flushQueue(target: ResubmitTarget, resubmit: (share: Share) => void): void {
    const now = this.options.nowMs();
    for (const q of this.queue.splice(0)) {
      const t = q.share.job.template;
      const samePool = q.poolIndex === target.poolIndex;
      const sameSession = target.extranonce1 !== null && t.extranonce1.equals(target.extranonce1);
      const sameBlock = headerPrevHashToStratum(t.prevHash) === target.prevHashHex;
      const inWindow = now - q.queuedAtMs <= this.options.resubmitWindowMs;
      if (samePool && sameSession && sameBlock && inWindow) {
        this.options.log('info', `resubmitting a share found while reconnecting (job ${t.sourceJobId})`);
        resubmit(q.share);
      } else {
        const why = !samePool
          ? 'the pool changed while reconnecting'
          : !sameSession
            ? 'new session has a different extranonce1'
            : !sameBlock
              ? 'the block changed while reconnecting'
              : 'too old to resubmit';
        this.finish(q.poolIndex, q.share, 'stale', why, null);
      }
    }
  }

  /** Give up every queued share (switch, stop, pool unreachable). */
  dropQueue(reason: string): void {
    for (const q of this.queue.splice(0)) this.finish(q.poolIndex, q.share, 'stale', reason, null);
  }

  /** The verdict on a share: counted for its pool and reported. */
  finish(poolIndex: number, share: Share, result: ShareVerdict, reason: string | null, responseMs: number | null): void {
    const c = this.countersOf(poolIndex);
    if (result === 'accepted') {
      c.sharesAccepted++;
      c.acceptedDifficulty += share.job.template.shareDifficulty;
    } else if (result === 'stale') c.sharesStale++;
    else {
      c.sharesRejected++;
      let r = reason ?? 'unknown';
      if (!(r in c.rejectReasons) && Object.keys(c.rejectReasons).length >= MAX_REASON_KEYS) r = 'other';
      c.rejectReasons[r] = (c.rejectReasons[r] ?? 0) + 1;
    }
    this.emitShare(poolIndex, share, result, reason, responseMs);
    if (!isBlockCandidate(share)) return;
    const accepted = result === 'accepted';
    this.options.log('error', `BLOCK CANDIDATE ${hashToDisplayHex(share.hash)} ${accepted ? 'ACCEPTED by the pool' : `NOT accepted: ${result} (${reason ?? ''})`}`);
    const t = share.job.template;
    const blockResult = accepted ? 'accepted' : `${result}: ${reason ?? ''}`;
    this.options.bus.emit({
      type: 'block',
      atMs: this.options.nowMs(),
      boardId: share.boardId,
      height: t.height ?? null,
      hash: hashToDisplayHex(share.hash),
      result: blockResult,
      accepted,
      source: t.sourceId,
    });
  }

  /** A copy of one pool's counters (zeros before its first share). */
  poolCounters(poolIndex: number): PoolShareCounters {
    const c = this.countersOf(poolIndex);
    return { ...c, rejectReasons: { ...c.rejectReasons } };
  }

  private countersOf(poolIndex: number): PoolShareCounters {
    let c = this.counters.get(poolIndex);
    if (!c) this.counters.set(poolIndex, (c = { sharesAccepted: 0, sharesRejected: 0, sharesStale: 0, acceptedDifficulty: 0, rejectReasons: {}, responseTimeMs: null }));
    return c;
  }

  private emitShare(poolIndex: number, share: Share, result: ShareVerdict | 'pending', reason: string | null, responseMs: number | null): void {
    this.options.bus.emit({
      type: 'share',
      atMs: this.options.nowMs(),
      boardId: share.boardId,
      pool: this.options.poolUrl(poolIndex) ?? share.job.template.sourceId,
      difficulty: share.difficulty,
      targetDifficulty: share.job.template.shareDifficulty,
      result,
      reason,
      responseMs: responseMs === null ? null : Math.round(responseMs * 10) / 10,
    });
  }
}

/** Exact integer comparison, never a float difficulty (§1.7). */
function isBlockCandidate(share: Share): boolean {
  return share.isBlockCandidate || hashMeetsTarget(share.hash, share.job.template.networkTarget);
}
