/**
 * The long versions of test/reliability's listener attacks, on the built CLI (`mine --device
 * emulator:1 --http … --cgminer-api …`) with its default limits: 100 slowloris sockets kept up for
 * 30 s (reopened whenever the server cuts one, as an attacker would), then 5 000 of them held at once,
 * then 5 000 silent cgminer clients, while a normal request goes out every 200 ms. Figures: the
 * normal requests' latency during each attack, how many requests failed, and the engine's memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpGet } from '../test/reliability/helpers/slow-clients.js';
import type { BenchRow } from './table.js';
import { quantile, rssMb } from './helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOLD_MS = 30_000;

async function startEngine(): Promise<{ child: ChildProcess; httpPort: number; cgminerPort: number }> {
  if (!existsSync(path.join(ROOT, 'out/main/cli.js'))) throw new Error('build first (npm run build)');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hashdeck-bench-rel-'));
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin/hashdeck.js'), 'mine', '--device', 'emulator:1', '--http', '127.0.0.1:0', '--cgminer-api', '127.0.0.1:0', '--json', '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const h = /dashboard at http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
    const c = /cgminer API on 127\.0\.0\.1:(\d+)"/.exec(out);
    if (h && c && /"state":"hashing"/.test(out)) return { child, httpPort: Number(h[1]), cgminerPort: Number(c[1]) };
    if (Date.now() > deadline) throw new Error(`the engine did not start:\n${out.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sockets that dribble a request that never ends; with `reopen`, one that is closed is opened again while `running`. */
function slowloris(port: number, count: number, running: () => boolean, reopen = true): { cut: () => number; stop: () => void } {
  let cut = 0;
  const sockets = new Set<net.Socket>();
  const open = (): void => {
    if (!running()) return;
    const s = net.connect(port, '127.0.0.1');
    sockets.add(s);
    s.resume();
    s.on('error', () => {});
    const drip = setInterval(() => !s.destroyed && s.write('a'), 1000);
    s.on('connect', () => s.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `));
    s.on('close', () => {
      clearInterval(drip);
      sockets.delete(s);
      if (running()) {
        cut++;
        if (reopen) setTimeout(open, 50);
      }
    });
  };
  for (let i = 0; i < count; i++) open();
  return { cut: () => cut, stop: () => sockets.forEach((s) => s.destroy()) };
}

/** A normal request every 200 ms for `ms`: latencies of those answered, and how many were not. */
async function probe(port: number, ms: number): Promise<{ latencies: number[]; failed: number }> {
  const latencies: number[] = [];
  let failed = 0;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await httpGet(port, '/api/snapshot');
      if (r.status === 200) latencies.push(r.elapsedMs);
      else failed++;
    } catch {
      failed++;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { latencies, failed };
}

function cgminerSummary(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const s = net.connect(port, '127.0.0.1', () => s.end('{"command":"summary"}'));
    let n = 0;
    s.on('data', (d: Buffer) => (n += d.length));
    s.on('error', reject);
    s.on('close', () => (n > 0 ? resolve(performance.now() - t0) : reject(new Error('no answer'))));
  });
}

export async function run(): Promise<BenchRow[]> {
  const { child, httpPort, cgminerPort } = await startEngine();
  const rows: BenchRow[] = [];
  try {
    const rssStart = rssMb(child.pid!);
    rows.push({ name: 'engine memory at start (1 emulated board, web server, cgminer API)', value: rssStart, unit: 'MB' });

    let running = true;
    const loris = slowloris(httpPort, 100, () => running);
    const held = await probe(httpPort, HOLD_MS);
    running = false;
    loris.stop();
    rows.push({
      name: 'request latency, 100 slowloris sockets kept up for 30 s (median)',
      value: quantile(held.latencies, 0.5),
      unit: 'ms',
      note: `${held.latencies.length} requests, ${held.failed} failed`,
    });
    rows.push({ name: 'request latency, 100 slowloris sockets kept up for 30 s (max)', value: Math.max(...held.latencies), unit: 'ms' });
    rows.push({ name: 'slowloris sockets cut by the header timeout in 30 s', value: loris.cut(), unit: 'sockets', note: 'each reopened at once' });

    // 5 000 at once, held (the ones dropped to make room are not reopened: that would be a
    // connection flood, a CPU contest rather than slowloris).
    running = true;
    const flood = slowloris(httpPort, 5000, () => running, false);
    await new Promise((r) => setTimeout(r, 2000));
    const during = await probe(httpPort, 10_000);
    const rssFlood = rssMb(child.pid!);
    running = false;
    flood.stop();
    rows.push({
      name: 'request latency, 5 000 slowloris sockets (median)',
      value: quantile(during.latencies, 0.5),
      unit: 'ms',
      note: `${during.latencies.length} requests, ${during.failed} failed; the cap holds 512, ${flood.cut()} dropped for room`,
    });
    rows.push({ name: 'request latency, 5 000 slowloris sockets (p99)', value: quantile(during.latencies, 0.99), unit: 'ms' });
    rows.push({ name: 'engine memory during 5 000 slowloris sockets', value: rssFlood, unit: 'MB' });

    const idle: net.Socket[] = [];
    for (let i = 0; i < 5000; i++) {
      const s = net.connect(cgminerPort, '127.0.0.1');
      s.resume();
      s.on('error', () => {});
      idle.push(s);
    }
    await new Promise((r) => setTimeout(r, 1000));
    const cg: number[] = [];
    for (let i = 0; i < 20; i++) cg.push(await cgminerSummary(cgminerPort));
    for (const s of idle) s.destroy();
    rows.push({ name: 'cgminer summary latency, 5 000 silent clients (median of 20)', value: quantile(cg, 0.5), unit: 'ms', note: 'the cap holds 256' });
    rows.push({ name: 'engine memory at the end', value: rssMb(child.pid!), unit: 'MB' });
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('close', r));
  }
  return rows;
}
