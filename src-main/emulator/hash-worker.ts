/**
 * Worker thread body: runs the sweep scheduler on a timer at a capped rate and reports hits and hash
 * counts to the chain. Started by WorkerHashEngine (through hash-worker-boot.cjs when running from
 * TypeScript source).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scannerKind } from '../scanner/scanner.js';
import type { ScannerKind } from '../scanner/scan-types.js';
import type { HashWorkerCommand, HashWorkerReport } from './hash-engine.js';
import { SweepScheduler } from './sweep-scheduler.js';

interface HashWorkerData {
  hashRateHs: number;
  scanner?: ScannerKind;
}

const TICK_MS = 25;
/** Never bank more than this much unspent time (a stalled tick must not cause a burst). */
const MAX_BACKLOG_MS = 200;

function start(port: NonNullable<typeof parentPort>, data: HashWorkerData): void {
  const scheduler = new SweepScheduler(data.scanner);
  let rate = data.hashRateHs;
  let credit = 0;
  let last = performance.now();
  const post = (m: HashWorkerReport): void => port.postMessage(m);

  const tick = (): void => {
    const now = performance.now();
    credit = Math.min(credit + ((now - last) / 1000) * rate, (rate * MAX_BACKLOG_MS) / 1000);
    last = now;
    if (scheduler.activeChips === 0) {
      credit = 0;
      return;
    }
    const budget = Math.floor(credit);
    if (budget < 1) return;
    try {
      const { hits, progress } = scheduler.run(budget);
      for (const p of progress) credit -= p.hashes;
      if (hits.length > 0 || progress.length > 0) post({ type: 'result', hits, progress });
    } catch (err) {
      post({ type: 'error', message: (err as Error).message });
      scheduler.clear();
    }
  };
  const timer = setInterval(tick, TICK_MS);

  port.on('message', (m: HashWorkerCommand) => {
    switch (m.type) {
      case 'work':
        scheduler.setWork(m.work);
        break;
      case 'target':
        scheduler.setTarget(m.chipIndex, m.target);
        break;
      case 'stop-chip':
        scheduler.stopChip(m.chipIndex);
        break;
      case 'clear':
        scheduler.clear();
        break;
      case 'rate':
        rate = m.hashRateHs;
        break;
      case 'shutdown':
        clearInterval(timer);
        scheduler.clear();
        port.close();
        break;
    }
  });
  post({ type: 'ready', scanner: data.scanner ?? scannerKind() });
}

if (parentPort) start(parentPort, workerData as HashWorkerData);
