/**
 * One channel's outbox: notifications are pushed synchronously (O(1), never awaited by the engine)
 * and sent one at a time in the background. Duplicates (same key within the dedupe window) are
 * dropped; a token bucket limits the rate (urgent ones, blocks and losses, go ahead of it); a failed
 * send is retried with exponential backoff and then given up; the queue is bounded, and when it is
 * full the oldest non-urgent message goes. A channel that fails never holds up mining: nothing here
 * runs on the nonce path and nothing waits on it but stop().
 */
import type { Notification } from './events.js';
import type { NotifyChannel } from './channels/channel.js';
import { ChannelError } from './channels/http.js';

export interface QueueOptions {
  maxQueued: number;
  dedupeWindowMs: number;
  /** Token bucket: this many at once, refilled at ratePerMinute. */
  burst: number;
  ratePerMinute: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Sends tried per message before it is given up. */
  maxAttempts: number;
}

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = {
  maxQueued: 100,
  dedupeWindowMs: 10 * 60_000,
  burst: 5,
  ratePerMinute: 6,
  retryBaseMs: 1_000,
  retryMaxMs: 60_000,
  maxAttempts: 6,
};

export type QueueLog = (level: 'info' | 'warn' | 'error', text: string) => void;

export interface QueueCounters {
  sent: number;
  failed: number;
  deduplicated: number;
  dropped: number;
}

export class NotifyQueue {
  readonly counters: QueueCounters = { sent: 0, failed: 0, deduplicated: 0, dropped: 0 };
  private readonly options: QueueOptions;
  private readonly pending: Notification[] = [];
  private readonly seen = new Map<string, number>();
  private tokens: number;
  private refilledAtMs: number;
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> | null = null;
  private droppedSinceLastSend = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly channel: NotifyChannel,
    private readonly log: QueueLog,
    options: Partial<QueueOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...DEFAULT_QUEUE_OPTIONS, ...options };
    this.tokens = this.options.burst;
    this.refilledAtMs = now();
  }

  get queued(): number {
    return this.pending.length;
  }

  /** Take a notification; false when it was a duplicate, not for this channel, or the queue is stopped. */
  push(n: Notification): boolean {
    if (this.stopped) return false;
    if (n.kind !== 'test' && !this.channel.events.has(n.kind)) return false;
    const t = this.now();
    const last = this.seen.get(n.key);
    if (last !== undefined && t - last < this.options.dedupeWindowMs) {
      this.counters.deduplicated++;
      return false;
    }
    this.seen.set(n.key, t);
    if (this.seen.size > 1000) for (const [k, at] of this.seen) if (t - at >= this.options.dedupeWindowMs) this.seen.delete(k);
    this.pending.push(n);
    while (this.pending.length > this.options.maxQueued) {
      const i = this.pending.findIndex((p) => !p.urgent);
      this.pending.splice(i === -1 ? 0 : i, 1);
      this.counters.dropped++;
      this.droppedSinceLastSend++;
    }
    // An urgent message does not wait for a rate-limit timer.
    if (n.urgent && this.timer && !this.sending) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.kick(0);
    return true;
  }

  /** Wait until everything queued was sent or given up, at most `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.pending.length === 0 && !this.sending) return;
    await new Promise<void>((resolve) => {
      // Not unref'd: the process stays up (at most timeoutMs) for the last messages.
      const t = setTimeout(resolve, timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** No more sends; what is left is dropped. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.length = 0;
    this.settleIdle();
  }

  private kick(delayMs: number): void {
    if (this.stopped || this.sending || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, delayMs);
    this.timer.unref();
  }

  private refill(): void {
    const t = this.now();
    const perMs = this.options.ratePerMinute / 60_000;
    this.tokens = Math.min(this.options.burst, this.tokens + (t - this.refilledAtMs) * perMs);
    this.refilledAtMs = t;
  }

  private pump(): void {
    if (this.stopped || this.sending) return;
    if (this.pending.length === 0) return this.settleIdle();
    this.refill();
    // Urgent messages jump the queue and the rate limit.
    const urgentAt = this.pending.findIndex((p) => p.urgent);
    if (urgentAt === -1 && this.tokens < 1) {
      const waitMs = Math.ceil((1 - this.tokens) / (this.options.ratePerMinute / 60_000));
      return this.kick(waitMs);
    }
    const [n] = this.pending.splice(urgentAt === -1 ? 0 : urgentAt, 1);
    this.tokens = Math.max(0, this.tokens - 1);
    this.sending = this.deliver(n!).finally(() => {
      this.sending = null;
      this.pump();
    });
  }

  private async deliver(n: Notification): Promise<void> {
    const dropped = this.droppedSinceLastSend;
    const message = dropped > 0 ? { ...n, text: `${n.text}\n(${dropped} earlier notification${dropped === 1 ? '' : 's'} dropped: too many at once)` } : n;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.channel.send(message);
        this.counters.sent++;
        this.droppedSinceLastSend -= dropped;
        return;
      } catch (err) {
        const why = (err as Error).message;
        if (this.stopped) return;
        if (attempt >= this.options.maxAttempts) {
          this.counters.failed++;
          this.log('error', `${this.channel.label}: gave up on "${n.title}" after ${attempt} tries: ${why}`);
          return;
        }
        const backoffMs = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (attempt - 1));
        const waitMs = Math.max(backoffMs, err instanceof ChannelError && err.retryAfterMs !== null ? Math.min(err.retryAfterMs, this.options.retryMaxMs) : 0);
        this.log('warn', `${this.channel.label}: "${n.title}" not sent (${why}); retry ${attempt + 1} of ${this.options.maxAttempts} in ${Math.round(waitMs / 1000)} s`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, waitMs);
          t.unref();
        });
        if (this.stopped) return;
      }
    }
  }

  private settleIdle(): void {
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
