/**
 * The one dispatcher: turns the current template into per-board jobs. Each job gets a fresh
 * extranonce2 from one engine-wide counter, so no two boards (or two jobs of one board) ever
 * hash the same coinbase; chips on one chain split the nonce space by chip address, and each
 * chip rolls the version bits itself. A clean template (new block, clean_jobs) or an
 * invalidation reaches every board at once: job slots are cleared and new work is sent in the
 * same tick.
 */
import type { Job, WorkTemplate } from './job.js';
import { extranonce2FromCounter, jobMerkleRoot } from './coinbase.js';

/** What the dispatcher needs from a board. */
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
  private readonly sinks = new Map<string, { sink: JobSink; timer: NodeJS.Timeout | null }>();
  private extranonce2Counter = 0n;
  private nextJobId = 1;
  firstJobAtMs: number | null = null;
  jobsSent = 0;

  constructor(private readonly onJobSent: (job: Job) => void = () => {}) {}

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
    const sent: Array<[JobSink, Job]> = [];
    for (const entry of this.sinks.values()) {
      // A board that has no work yet always gets the first template at once.
      if (!template.cleanJobs && entry.timer !== null) continue;
      const job = this.send(entry);
      if (job) sent.push([entry.sink, job]);
    }
    for (const [sink, job] of sent) this.afterSend(sink, job);
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

  /** Build a job for one board from the current template (exported for benchmarks). */
  makeJob(template: WorkTemplate, boardId: string): Job {
    const extranonce2 = extranonce2FromCounter(this.extranonce2Counter++, template.extranonce2Size);
    return { id: this.nextJobId++, template, extranonce2, merkleRoot: jobMerkleRoot(template, extranonce2), boardId, sentAtMs: Date.now() };
  }

  private feed(sink: JobSink): void {
    const entry = this.sinks.get(sink.id);
    if (!entry) return;
    const job = this.send(entry);
    if (job) this.afterSend(sink, job);
  }

  /** Build and send the next job to one board (null when it takes none now). */
  private send(entry: { sink: JobSink; timer: NodeJS.Timeout | null }): Job | null {
    const sink = entry.sink;
    this.stopTimer(entry);
    if (!this.template || !sink.acceptsJobs) return null;
    const job = this.makeJob(this.template, sink.id);
    sink.sendJob(job);
    return job;
  }

  private afterSend(sink: JobSink, job: Job): void {
    const entry = this.sinks.get(sink.id);
    if (!entry) return;
    this.jobsSent++;
    if (this.firstJobAtMs === null) this.firstJobAtMs = job.sentAtMs;
    this.onJobSent(job);
    // Fresh work before the chip's version/nonce space runs out (docs/bm13xx-protocol.md §3.8).
    entry.timer = setTimeout(() => this.feed(sink), Math.max(10, sink.jobIntervalMs));
    entry.timer.unref?.();
  }

  private stopTimer(entry: { timer: NodeJS.Timeout | null }): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
  }
}
