/**
 * Hashing in a worker thread at a capped rate, so the host's event loop never stalls.
 *
 * A worker that cannot start (its file missing from a bundle, a load error), that exits, or that
 * holds work and reports no hashing for a long while is a fault reported through the listener and
 * `ready`: an emulated board must never sit there returning no nonces without saying why.
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { hashWorkerFile, typescriptWorkerBoot } from '../runtime/runtime-files.js';
import type { ScannerKind } from '../scanner/scan-types.js';
import type { HashEngine, HashEngineListener, HashWorkerCommand, HashWorkerReport } from './hash-engine.js';
import type { SweepWork } from './sweep.js';

export interface WorkerHashEngineOptions {
  hashRateHs: number;
  scanner?: ScannerKind;
  /** A worker that has not said 'ready' by then failed to start (default 30 s: tsx compiles from source). */
  startTimeoutMs?: number;
  /** Work held and no hashing reported for this long is a stalled worker (default 15 s). */
  stallMs?: number;
}

export class WorkerHashEngine implements HashEngine {
  readonly ready: Promise<void>;
  private readonly worker: Worker | null = null;
  private closed = false;
  private failed = false;
  private exited: Promise<void> = Promise.resolve();
  /** Chips holding work; a worker with none has nothing to report. */
  private readonly chipsWithWork = new Set<number>();
  private lastReportAtMs = Date.now();
  private readonly stallTimer: NodeJS.Timeout;
  private readonly stallMs: number;

  constructor(
    private readonly listener: HashEngineListener,
    opts: WorkerHashEngineOptions,
  ) {
    this.stallMs = opts.stallMs ?? 15_000;
    let markReady: () => void = () => {};
    let markFailed: (err: Error) => void = () => {};
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    // Nobody may be waiting on `ready` (the failure also goes to the listener).
    this.ready.catch(() => undefined);
    let started = false;
    const fail = (why: string): void => {
      if (this.failed || this.closed) return;
      this.failed = true;
      const err = new Error(`the emulator's hash worker ${why}`);
      if (!started) markFailed(err);
      this.listener.onError?.(err);
    };

    const startTimer = setTimeout(() => fail(`did not start within ${Math.round((opts.startTimeoutMs ?? 30_000) / 1000)} s`), opts.startTimeoutMs ?? 30_000);
    startTimer.unref();
    this.stallTimer = setInterval(
      () => {
        if (started && this.chipsWithWork.size > 0 && Date.now() - this.lastReportAtMs > this.stallMs) fail(`reported no hashing for ${Math.round(this.stallMs / 1000)} s while its chips held work`);
      },
      Math.min(1000, this.stallMs),
    );
    this.stallTimer.unref();

    let file: ReturnType<typeof hashWorkerFile>;
    try {
      file = hashWorkerFile();
    } catch (err) {
      clearTimeout(startTimer);
      fail(`could not start: ${(err as Error).message}`);
      return;
    }
    const workerData = { hashRateHs: opts.hashRateHs, scanner: opts.scanner, entryUrl: file.url.href };
    const worker = new Worker(file.typescript ? typescriptWorkerBoot() : file.url, { workerData });
    this.worker = worker;
    worker.unref(); // the chain's own I/O keeps the process alive, not the hashing
    worker.on('message', (m: HashWorkerReport) => {
      this.lastReportAtMs = Date.now();
      if (m.type === 'ready') {
        started = true;
        clearTimeout(startTimer);
        markReady();
      } else if (m.type === 'result') {
        this.listener.onResult(
          m.hits.map((h) => ({ ...h, hash: Buffer.from(h.hash) })),
          m.progress,
        );
      } else if (m.type === 'error') this.listener.onError?.(new Error(`hash worker: ${m.message}`));
    });
    worker.on('error', (err) => {
      clearTimeout(startTimer);
      fail(`${started ? 'failed' : `could not start (${fileURLToPath(file.url)})`}: ${err.message}`);
    });
    this.exited = new Promise((resolve) =>
      worker.once('exit', (code) => {
        clearTimeout(startTimer);
        fail(`exited (code ${code})`);
        resolve();
      }),
    );
  }

  private send(m: HashWorkerCommand): void {
    if (!this.closed && !this.failed) this.worker?.postMessage(m);
  }

  setWork(work: SweepWork): void {
    // The stall clock starts when a chip gets work after holding none.
    if (this.chipsWithWork.size === 0) this.lastReportAtMs = Date.now();
    this.chipsWithWork.add(work.chipIndex);
    this.send({ type: 'work', work });
  }
  setTarget(chipIndex: number, target: bigint): void {
    this.send({ type: 'target', chipIndex, target });
  }
  stopChip(chipIndex: number): void {
    this.chipsWithWork.delete(chipIndex);
    this.send({ type: 'stop-chip', chipIndex });
  }
  clear(): void {
    this.chipsWithWork.clear();
    this.send({ type: 'clear' });
  }
  setRate(hashRateHs: number): void {
    this.send({ type: 'rate', hashRateHs });
  }

  async close(): Promise<void> {
    clearInterval(this.stallTimer);
    if (this.closed) return this.exited;
    this.send({ type: 'shutdown' });
    this.closed = true;
    await this.worker?.terminate();
    await this.exited;
  }
}
