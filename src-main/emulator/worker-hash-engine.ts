/** Hashing in a worker thread at a capped rate, so the host's event loop never stalls. */
import { Worker } from 'node:worker_threads';
import type { ScannerKind } from '../scanner/scan-types.js';
import type { HashEngine, HashEngineListener, HashWorkerCommand, HashWorkerReport } from './hash-engine.js';
import type { SweepWork } from './sweep.js';

export class WorkerHashEngine implements HashEngine {
  private readonly worker: Worker;
  private closed = false;
  private exited: Promise<void>;

  constructor(
    private readonly listener: HashEngineListener,
    opts: { hashRateHs: number; scanner?: ScannerKind },
  ) {
    const fromSource = import.meta.url.endsWith('.ts');
    const entry = new URL(fromSource ? './hash-worker.ts' : './hash-worker.js', import.meta.url);
    const workerData = { hashRateHs: opts.hashRateHs, scanner: opts.scanner, entryUrl: entry.href };
    this.worker = fromSource ? new Worker(new URL('./hash-worker-boot.cjs', import.meta.url), { workerData }) : new Worker(entry, { workerData });
    this.worker.unref(); // the chain's own I/O keeps the process alive, not the hashing
    this.worker.on('message', (m: HashWorkerReport) => {
      if (m.type === 'result') {
        if (m.progress.length > 0) this.listener.onProgress(m.progress);
        if (m.hits.length > 0) this.listener.onHits(m.hits.map((h) => ({ ...h, hash: Buffer.from(h.hash) })));
      } else if (m.type === 'error') this.listener.onError?.(new Error(`hash worker: ${m.message}`));
    });
    this.worker.on('error', (err) => this.listener.onError?.(err));
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
  }

  private send(m: HashWorkerCommand): void {
    if (!this.closed) this.worker.postMessage(m);
  }

  setWork(work: SweepWork): void {
    this.send({ type: 'work', work });
  }
  setTarget(chipIndex: number, target: bigint): void {
    this.send({ type: 'target', chipIndex, target });
  }
  stopChip(chipIndex: number): void {
    this.send({ type: 'stop-chip', chipIndex });
  }
  clear(): void {
    this.send({ type: 'clear' });
  }
  setRate(hashRateHs: number): void {
    this.send({ type: 'rate', hashRateHs });
  }

  async close(): Promise<void> {
    if (this.closed) return this.exited;
    this.send({ type: 'shutdown' });
    this.closed = true;
    await this.worker.terminate();
    await this.exited;
  }
}
