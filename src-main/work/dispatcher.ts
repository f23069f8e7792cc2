/**
 * The one dispatcher: turns the current template into per-board jobs. Each job gets the next
 * unused (extranonce2, ntime) pair of its template (job-space.ts), so no two boards (or two jobs of
 * one board) ever hash the same header; chips on one chain split the nonce space by chip address,
 * and each chip rolls the version bits itself. A clean template (new block, clean_jobs) or an
 * invalidation reaches every board at once: job slots are cleared and new work is sent in the
 * same tick. A template whose space is used up gets no more jobs (the boards keep their last
 * ones) until the next template: said once, never fatal.
 */
import type { LogLevel } from '@shared/log-level.js';
import type { Job, WorkTemplate } from './job.js';
import { jobMerkleRoot } from './coinbase.js';
import { JobSpace, MAX_NTIME_ROLL_S } from './job-space.js';

/** What the dispatcher needs from a board. */
/** A board and its refresh timer (null: no job in flight, so the next template goes out at once). */
interface SinkEntry {
  sink: JobSink;
  timer: NodeJS.Timeout | null;
}

export interface JobSink {
  readonly id: string;
  /** False while initialising, recovering or cooling: no jobs are sent. */
  readonly acceptsJobs: boolean;
  readonly jobIntervalMs: number;
  sendJob(job: Job): void;
  /** Forget every job slot (late nonces for them are stale). */
  invalidateJobs(): void;
}

export class Dispatcher {
  private template: WorkTemplate | null = null;
  private readonly sinks = new Map<string, SinkEntry>();
  private readonly space = new JobSpace();
  private nextJobId = 1;
  /** What was already said about small extranonce2 spaces (once per run each). */
  private readonly told = new Set<'rolling' | 'used-up'>();
  firstJobAtMs: number | null = null;
  jobsSent = 0;

  /**
   * `extranonce2Prefix`: the bytes every board extranonce2 starts with for a template (the
   * Stratum server's slot 0, work/stratum-server/extranonce.ts), so that the boards' coinbases
   * never meet a network miner's; the job space fills the rest.
   */
  constructor(
    private readonly onJobSent: (job: Job) => void = () => {},
    private readonly notice: (level: LogLevel, text: string) => void = () => {},
    private readonly extranonce2Prefix: ((template: WorkTemplate) => Buffer) | null = null,
  ) {}

  get currentTemplate(): WorkTemplate | null {
    return this.template;
  }

  /** A new template from the source. Clean templates replace work on every board now. */
  setTemplate(template: WorkTemplate): void {
    this.template = template;
    if (template.cleanJobs) {
      for (const { sink } of this.sinks.values()) sink.invalidateJobs();
    }
    // Every board's job frame first, the bookkeeping after: the last board of many waits for no one's statistics.
    const fed: Array<[SinkEntry, Job | null]> = [];
    for (const entry of this.sinks.values()) {
      // A board that has no work yet always gets the first template at once.
      if (!template.cleanJobs && entry.timer !== null) continue;
      const sent = this.send(entry);
      if (sent) fed.push([entry, sent.job]);
    }
    for (const [entry, job] of fed) this.afterSend(entry, job);
  }

  /** Everything issued so far is void (reconnect, new extranonce1, failover). */
  invalidateAll(): void {
    this.template = null;
    for (const entry of this.sinks.values()) {
      entry.sink.invalidateJobs();
      this.stopTimer(entry);
    }
  }

  addSink(sink: JobSink): void {
    this.sinks.set(sink.id, { sink, timer: null });
  }

  removeSink(id: string): void {
    const entry = this.sinks.get(id);
    if (entry) this.stopTimer(entry);
    this.sinks.delete(id);
  }

  /** A board became ready (init finished, recovered): give it work now. */
  sinkReady(id: string): void {
    const entry = this.sinks.get(id);
    if (entry) this.feed(entry.sink);
  }

  stop(): void {
    for (const entry of this.sinks.values()) this.stopTimer(entry);
  }

  /** Build a job for one board from the current template, or null when its space is used up (exported for benchmarks). */
  makeJob(template: WorkTemplate, boardId: string): Job | null {
    const slice = this.space.take(template, this.extranonce2Prefix?.(template));
    if (!slice) {
      this.tellOnce(
        'used-up',
        'warn',
        `the pool's extranonce2 (${template.extranonce2Size} byte(s)) and ${MAX_NTIME_ROLL_S} s of ntime rolling are used up for job ${template.sourceJobId}: the boards keep hashing their current jobs until the next job arrives`,
      );
      return null;
    }
    if (slice.ntimeRollS > 0)
      this.tellOnce('rolling', 'info', `the pool's extranonce2 (${template.extranonce2Size} byte(s)) is too small for the boards: rolling ntime (up to ${MAX_NTIME_ROLL_S} s) for more work per job`);
    const { extranonce2, ntime } = slice;
    return { id: this.nextJobId++, template, extranonce2, merkleRoot: jobMerkleRoot(template, extranonce2), boardId, sentAtMs: Date.now(), ntime };
  }

  private feed(sink: JobSink): void {
    const entry = this.sinks.get(sink.id);
    if (!entry) return;
    const sent = this.send(entry);
    if (sent) this.afterSend(entry, sent.job);
  }

  /** Build and send the next job to one board; null when it takes none now, `job: null` when the job space is used up. */
  private send(entry: SinkEntry): { job: Job | null } | null {
    this.stopTimer(entry);
    if (!this.template || !entry.sink.acceptsJobs) return null;
    const job = this.makeJob(this.template, entry.sink.id);
    if (job) entry.sink.sendJob(job);
    return { job };
  }

  private afterSend(entry: SinkEntry, job: Job | null): void {
    if (this.sinks.get(entry.sink.id) !== entry) return;
    if (job) {
      this.jobsSent++;
      if (this.firstJobAtMs === null) this.firstJobAtMs = job.sentAtMs;
      this.onJobSent(job);
    }
    // Fresh work before the chip's version/nonce space runs out (docs/bm13xx-protocol.md §3.8).
    entry.timer = setTimeout(() => this.feed(entry.sink), Math.max(10, entry.sink.jobIntervalMs));
    entry.timer.unref?.();
  }

  private tellOnce(what: 'rolling' | 'used-up', level: LogLevel, text: string): void {
    if (this.told.has(what)) return;
    this.told.add(what);
    this.notice(level, text);
  }

  private stopTimer(entry: SinkEntry): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
  }
}
