/**
 * Engine figures (docs/design.md §6), measured from outside the engine so that no
 * src-main code carries benchmark hooks:
 *
 * 1. notify → job bytes: a StratumTestServer on loopback sends clean_jobs notifies (new prevhash
 *    each) to the real Engine + StratumSource driving 1 and 32 in-process emulated boards. The time
 *    is taken after the server's socket write returns and again when each board's job frame with
 *    the new prev hash reaches the emulator binding's port write. Loopback delivery of a
 *    notify-sized line is measured on its own and subtracted for the "host overhead" rows.
 * 2. nonce → validated: from the binding read that returns a nonce frame to the engine bus 'nonce'
 *    event for it (matched by board and nonce value).
 * 3. Engine CPU and RSS with 1, 8 and 32 boards: the built CLI (`node bin/hashdeck.js mine`) in a
 *    child process drives boards behind PTYs served by a second child process (this file with --emulator-host),
 *    so the emulator's hashing and protocol work is not in the measured process at all. CPU comes
 *    from /proc/<pid>/stat over a fixed window after every board is hashing.
 *
 * `tsx bench/engine.bench.ts` runs it on its own; `--emulator-host N` is the PTY emulator child.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { bm1366 } from '../src-main/chips/bm1366.js';
import { ResponseFrameParser } from '../src-main/chips/bm13xx/response-parser.js';
import { JOB_HEADER, RESPONSE_TYPE_NONCE, responseType } from '../src-main/chips/bm13xx/frames.js';
import { createEmulatorBinding } from '../src-main/emulator/binding.js';
import type { SerialBindingPort } from '../src-main/emulator/serial-binding-types.js';
import { runEmulatorPty, type EmulatorPty } from '../src-main/emulator/run-pty.js';
import type { BindingInterface } from '../src-main/boards/transport.js';
import { Engine, type BoardRequest } from '../src-main/engine/engine.js';
import { EventBus } from '@shared/bus.js';
import { StratumSource } from '../src-main/work/stratum/stratum-source.js';
import type { Share, WorkTemplate } from '../src-main/work/job.js';
import type { WorkSource, WorkSourceHandlers } from '../src-main/work/source.js';
import { StratumTestServer } from '../test/fixtures/stratum-server.js';
import { ensureBuilt } from '../test/helpers/cli.js';
import { cpuTicks, CLK_TCK, isEntryPoint, median, quantile, round, rssMb, runStandalone, sleep, stopChild, waitFor } from './helpers.js';
import type { BenchRow } from './table.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
/** Wire time of one 88-byte BM1366 job frame at 1 Mbaud, 8N1 (10 bits a byte). */
const JOB_WIRE_US = (88 * 10 * 1e6) / 1_000_000;
const USER = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080.bench';

// ── instrumented emulator boards ─────────────────────────────────────────────────────────────

interface Probe {
  /** A job frame reached the port (prev hash as hex, internal order). */
  onJob?: (boardId: string, prevHashHex: string, atMs: number) => void;
  /** A nonce frame was returned by the port's read. */
  onNonceRead?: (boardId: string, nonce: number, atMs: number) => void;
}

/** Scan a write for BM13xx job frames (55 AA 21 len …) and decode their prev hash. */
function jobPrevHashes(buf: Buffer): string[] {
  const out: string[] = [];
  for (let i = 0; i + 4 <= buf.length; i++) {
    if (buf[i] !== 0x55 || buf[i + 1] !== 0xaa || buf[i + 2] !== JOB_HEADER) continue;
    const total = buf[i + 3]! + 2;
    if (i + total > buf.length) break;
    const job = bm1366.decodeJobFrame(buf.subarray(i, i + total));
    if (job.format === 'full') out.push(job.prevHash.toString('hex'));
    i += total - 1;
  }
  return out;
}

/**
 * An in-process emulator binding whose port write and read are timestamped. The wrapped calls are
 * the exact points where bytes leave and enter the host's serial stack.
 */
function instrumentedBoard(boardId: string, probe: Probe, emu: { scaleBits: number; hashRateHs: number }): BoardRequest {
  const inner = createEmulatorBinding({ chips: 1, model: 'bm1366', scaleBits: emu.scaleBits, hashRateHs: emu.hashRateHs });
  const parser = new ResponseFrameParser({ length: 11 });
  const binding = {
    openChains: inner.openChains,
    list: () => inner.list(),
    async open(options: Parameters<typeof inner.open>[0]): Promise<SerialBindingPort> {
      const port = await inner.open(options);
      const write = port.write.bind(port);
      const read = port.read.bind(port);
      port.write = async (buffer: Buffer): Promise<void> => {
        const at = performance.now();
        if (probe.onJob) for (const prev of jobPrevHashes(buffer)) probe.onJob(boardId, prev, at);
        return write(buffer);
      };
      port.read = async (buffer: Buffer, offset: number, length: number) => {
        const r = await read(buffer, offset, length);
        const at = performance.now();
        if (probe.onNonceRead && r.bytesRead > 0) {
          for (const f of parser.push(r.buffer.subarray(offset, offset + r.bytesRead))) {
            if (f.length === 11 && responseType(f) === RESPONSE_TYPE_NONCE) probe.onNonceRead(boardId, f.readUInt32LE(2), at);
          }
        }
        return r;
      };
      return port;
    },
  };
  return {
    id: boardId,
    name: `bench ${boardId}`,
    path: 'emulator:1:bm1366',
    model: 'bm1366',
    emulated: true,
    scaleBits: emu.scaleBits,
    expectedChips: 1,
    binding: binding as unknown as BindingInterface,
  };
}

/** A work source that notes when each template is handed to the engine (the split point). */
class TimedSource implements WorkSource {
  constructor(
    private readonly inner: WorkSource,
    private readonly onTemplateAt: (atMs: number) => void,
  ) {}
  get kind(): WorkSource['kind'] {
    return this.inner.kind;
  }
  start(h: WorkSourceHandlers): Promise<void> {
    return this.inner.start({
      onTemplate: (t) => {
        this.onTemplateAt(performance.now());
        h.onTemplate(t);
      },
      onInvalidateAll: (reason) => h.onInvalidateAll(reason),
    });
  }
  stop(): Promise<void> {
    return this.inner.stop();
  }
  isTemplateLive(t: WorkTemplate): boolean {
    return this.inner.isTemplateLive(t);
  }
  submitShare(share: Share): void {
    this.inner.submitShare(share);
  }
  poolSnapshots(): ReturnType<WorkSource['poolSnapshots']> {
    return this.inner.poolSnapshots();
  }
  nodeSnapshot(): ReturnType<WorkSource['nodeSnapshot']> {
    return this.inner.nodeSnapshot();
  }
}

// ── 1. notify → job bytes ────────────────────────────────────────────────────────────────────

/** Loopback delivery of one notify-sized line: socket.write on one side → complete line read on the other. */
async function loopbackBaselineUs(lineBytes: number, samples: number): Promise<number> {
  const line = `${'x'.repeat(lineBytes - 1)}\n`;
  let serverSide: net.Socket | null = null;
  const server = net.createServer((s) => (serverSide = s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  client.setNoDelay(true);
  await waitFor(() => serverSide !== null, 5000, 'loopback connection');
  const out: number[] = [];
  let pending = '';
  let resolveLine: (() => void) | null = null;
  client.on('data', (d: Buffer) => {
    pending += d.toString('latin1');
    if (pending.endsWith('\n')) {
      pending = '';
      resolveLine?.();
    }
  });
  for (let i = 0; i < samples; i++) {
    const got = new Promise<void>((r) => (resolveLine = r));
    const t0 = performance.now();
    serverSide!.write(line);
    await got;
    out.push((performance.now() - t0) * 1000);
    await sleep(2);
  }
  client.destroy();
  serverSide!.destroy();
  await new Promise<void>((r) => server.close(() => r()));
  return median(out.slice(Math.floor(samples / 10))); // first tenth is warm-up
}

interface NotifyResult {
  /** Notify sent → template handed to the engine (loopback, line parse, template build). */
  templateUs: number[];
  lastUs: number[];
  firstUs: number[];
  allUs: number[];
  missed: number;
}

async function notifyToJob(boards: number, notifies: number): Promise<NotifyResult> {
  const server = new StratumTestServer({ mode: 'public-pool', difficulty: 1 });
  await server.start();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hashdeck-bench-'));
  const lastPrev = new Map<string, string>();
  let pending: { t0: number; seen: Map<string, number>; templateAt: number | null } | null = null;
  const probe: Probe = {
    onJob(boardId, prev, at) {
      const before = lastPrev.get(boardId);
      lastPrev.set(boardId, prev);
      if (pending && before !== undefined && before !== prev && !pending.seen.has(boardId)) pending.seen.set(boardId, at);
    },
  };
  const requests = Array.from({ length: boards }, (_, i) => instrumentedBoard(`b${i}`, probe, { scaleBits: 24, hashRateHs: 50_000 }));
  const bus = new EventBus();
  const stratum = new StratumSource({ pools: [{ url: server.url, user: USER, password: 'x' }], bus, userAgent: 'hashdeck-bench', stopDrainMs: 200 });
  const source = new TimedSource(stratum, (at) => {
    if (pending && pending.templateAt === null) pending.templateAt = at;
  });
  const engine = new Engine({ boards: requests, source, mode: 'pool', frequencyMhz: null, ticketDifficulty: null, dataDir, bus });
  const result: NotifyResult = { templateUs: [], lastUs: [], firstUs: [], allUs: [], missed: 0 };
  try {
    await engine.start();
    await waitFor(() => lastPrev.size === boards && [...engine.boards.values()].every((b) => b.state === 'hashing'), 90_000, `${boards} board(s) hashing with work`);
    await sleep(2000); // hash workers finish starting
    for (let i = 0; i < notifies; i++) {
      const seen = new Map<string, number>();
      server.newJob({ clean: true, newBlock: true });
      const t0 = performance.now();
      pending = { t0, seen, templateAt: null };
      const until = Date.now() + 3000;
      while (seen.size < boards && Date.now() < until) await sleep(1);
      const templateAt = pending.templateAt;
      pending = null;
      if (seen.size < boards || templateAt === null) {
        result.missed++;
      } else {
        const times = [...seen.values()].map((t) => (t - t0) * 1000);
        result.lastUs.push(Math.max(...times));
        result.templateUs.push((templateAt - t0) * 1000);
        result.firstUs.push(Math.min(...times));
        result.allUs.push(...times);
      }
      await sleep(20 + Math.random() * 40);
    }
  } finally {
    await engine.stop();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return result;
}

// ── 2. nonce → validated ─────────────────────────────────────────────────────────────────────

async function nonceToVerdict(boards: number, seconds: number): Promise<{ us: number[]; unmatched: number }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hashdeck-bench-'));
  const readAt = new Map<string, number>();
  let recording = false;
  const probe: Probe = {
    onNonceRead(boardId, nonce, at) {
      if (recording) readAt.set(`${boardId}:${nonce}`, at);
    },
  };
  // K=28 at 100 kH/s: ~24 nonces/s per board (ticket difficulty 256 → 2^12 hashes a nonce).
  const requests = Array.from({ length: boards }, (_, i) => instrumentedBoard(`n${i}`, probe, { scaleBits: 28, hashRateHs: 100_000 }));
  const bus = new EventBus();
  const engine = new Engine({ boards: requests, source: null, mode: 'benchmark', frequencyMhz: null, ticketDifficulty: null, dataDir, bus });
  const us: number[] = [];
  let unmatched = 0;
  // The bus 'nonce' event is the verdict; the board's own 'nonce' listener registered after the
  // engine's runs right after it in the same emit and carries the nonce value to match the read.
  const verdictAt = new Map<string, number>();
  bus.on('nonce', (e) => {
    if (recording) verdictAt.set(e.boardId, performance.now());
  });
  try {
    await engine.start();
    await waitFor(() => engine.boards.size === boards && [...engine.boards.values()].every((b) => b.state === 'hashing'), 90_000, `${boards} board(s) hashing`);
    for (const b of engine.boards.values()) {
      b.on('nonce', (n) => {
        const tVerdict = verdictAt.get(n.boardId);
        verdictAt.delete(n.boardId);
        if (!recording || tVerdict === undefined) return;
        const key = `${n.boardId}:${n.nonce >>> 0}`;
        const tRead = readAt.get(key);
        readAt.delete(key);
        if (tRead === undefined) unmatched++;
        else us.push((tVerdict - tRead) * 1000);
      });
    }
    await sleep(2000);
    recording = true;
    await sleep(seconds * 1000);
    recording = false;
  } finally {
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { us, unmatched };
}

// ── 3. engine CPU and RSS (child processes) ──────────────────────────────────────────────────

function lines(child: ChildProcess, onLine: (line: string) => void): void {
  createInterface({ input: child.stdout! }).on('line', onLine);
}

interface LoadRun {
  cpuPct: number;
  rssMb: number;
  noncesPerS: number;
}

/** One run: emulator host with `boards` PTYs, then `hashdeck mine` on them; CPU over `windowS` once all hash. */
async function engineLoad(boards: number, windowS: number, hashRateHs: number): Promise<LoadRun> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hashdeck-bench-'));
  const emu = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--emulator-host', String(boards), String(hashRateHs)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  ensureBuilt();
  let engine: ChildProcess | null = null;
  try {
    const paths = await new Promise<string[]>((resolve, reject) => {
      lines(emu, (l) => {
        if (l.startsWith('{')) resolve((JSON.parse(l) as { paths: string[] }).paths);
      });
      emu.once('exit', (code) => reject(new Error(`emulator host exited (${code})`)));
    });
    // The built CLI in one process, as users run it (bin/hashdeck.js → out/main/cli.js).
    const args = [path.join(ROOT, 'bin/hashdeck.js'), 'mine'];
    for (const p of paths) args.push('--device', p, '--chip', 'bm1366', '--scale-bits', '24');
    args.push('--json', '--data-dir', dataDir, '--duration', String(windowS + 120));
    engine = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const hashing = new Set<string>();
    let summary: { nonces: number; durationS: number } | null = null;
    lines(engine, (l) => {
      try {
        const e = JSON.parse(l) as { type?: string; boardId?: string; state?: string; nonces?: number; durationS?: number };
        if (e.type === 'board' && e.state === 'hashing' && e.boardId) hashing.add(e.boardId);
        if (e.type === 'summary') summary = e as { nonces: number; durationS: number };
      } catch {
        // not JSON (never expected with --json)
      }
    });
    await waitFor(() => hashing.size === boards || engine!.exitCode !== null, 120_000, `${boards} PTY board(s) hashing`);
    if (hashing.size < boards) throw new Error(`only ${hashing.size} of ${boards} boards started`);
    await sleep(2500); // init traffic and JIT settle
    const pid = engine.pid!;
    const c0 = cpuTicks(pid);
    const t0 = performance.now();
    const rss: number[] = [];
    const until = t0 + windowS * 1000;
    while (performance.now() < until) {
      await sleep(1000);
      rss.push(rssMb(pid));
    }
    const cpuPct = ((cpuTicks(pid) - c0) / CLK_TCK / ((performance.now() - t0) / 1000)) * 100;
    await stopChild(engine);
    const s = summary as { nonces: number; durationS: number } | null;
    return { cpuPct, rssMb: median(rss), noncesPerS: s ? s.nonces / s.durationS : NaN };
  } finally {
    if (engine) await stopChild(engine);
    await stopChild(emu);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Child mode: `boards` one-chip BM1366 emulators behind PTYs, hashing inline at `hashRateHs` each. */
async function emulatorHost(boards: number, hashRateHs: number, scaleBits = 24): Promise<void> {
  const ptys: EmulatorPty[] = [];
  for (let i = 0; i < boards; i++) ptys.push(await runEmulatorPty({ chips: 1, model: 'bm1366', scaleBits, hashRateHs, hashing: 'inline' }));
  process.stdout.write(`${JSON.stringify({ paths: ptys.map((p) => p.path) })}\n`);
  // Inline hashing on a 100 ms tick: no worker threads to start, and this process is not measured.
  const tick = setInterval(() => {
    for (const p of ptys) p.chain.runHashes(hashRateHs / 10);
  }, 100);
  const stop = async (): Promise<void> => {
    clearInterval(tick);
    await Promise.all(ptys.map((p) => p.close().catch(() => undefined)));
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

// ── the bench ────────────────────────────────────────────────────────────────────────────────

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const notifyLine = 600; // a clean mining.notify with 2 branches from the test pool is 600 bytes
  const loopUs = await loopbackBaselineUs(notifyLine, 300);
  rows.push({ name: 'loopback TCP line delivery (baseline)', value: round(loopUs), unit: 'µs', note: `median of 270, ${notifyLine}-byte line, subtracted below` });

  for (const [boards, notifies] of [
    [1, 120],
    [32, 60],
  ] as const) {
    const r = await notifyToJob(boards, notifies);
    const p50 = median(r.lastUs);
    const p99 = quantile(r.lastUs, 0.99);
    const host = Math.max(0, p50 - loopUs);
    const tag = `${boards} board${boards > 1 ? 's' : ''}`;
    rows.push({ name: `notify→job bytes, ${tag}, last board median`, value: round(p50), unit: 'µs', note: `n=${r.lastUs.length}${r.missed ? `, ${r.missed} missed` : ''}; emulators at 50 kH/s` });
    rows.push({ name: `notify→job bytes, ${tag}, last board p99`, value: round(p99), unit: 'µs' });
    rows.push({ name: `notify→template handed to engine, ${tag}, median`, value: round(median(r.templateUs)), unit: 'µs', note: 'loopback + line parse + zod + template build' });
    rows.push({
      name: `template→last job bytes at the port, ${tag}, median`,
      value: round(median(r.lastUs.map((u, i) => u - r.templateUs[i]!))),
      unit: 'µs',
      note: 'dispatcher + merkle root + encode + transport + serialport stream',
    });
    rows.push({
      name: `notify→job host overhead, ${tag} (median − loopback)`,
      value: round(host),
      unit: 'µs',
      note: `${round(host / JOB_WIRE_US, 2)}× the 88-byte frame wire time at 1 Mbaud (${JOB_WIRE_US} µs)`,
    });
    if (boards > 1) {
      rows.push({ name: `notify→job bytes, ${tag}, first board median`, value: round(median(r.firstUs)), unit: 'µs' });
      const perBoard = (p50 - median(r.firstUs)) / (boards - 1);
      rows.push({ name: `notify→job, added per board`, value: round(perBoard), unit: 'µs', note: `(last − first) / ${boards - 1}; jobs go out board by board` });
    }
  }

  for (const boards of [1, 8]) {
    const r = await nonceToVerdict(boards, 6);
    const tag = `${boards} board${boards > 1 ? 's' : ''}`;
    rows.push({
      name: `nonce read→validated, ${tag}, median`,
      value: round(median(r.us)),
      unit: 'µs',
      note: `n=${r.us.length}${r.unmatched ? `, ${r.unmatched} unmatched` : ''}; port read → bus 'nonce' verdict (parse, decode, re-hash, stats, ledger)`,
    });
    rows.push({ name: `nonce read→validated, ${tag}, p99`, value: round(quantile(r.us, 0.99)), unit: 'µs' });
  }

  const WINDOW_S = 8;
  const RUNS = 3;
  const HASH_RATE = 50_000; // with K=24: ~0.76 nonces/s a board, close to a real BM1366 at ticket 256
  for (const boards of [1, 8, 32]) {
    const runs: LoadRun[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await engineLoad(boards, WINDOW_S, HASH_RATE));
    const cpu = median(runs.map((r) => r.cpuPct));
    const tag = `${boards} board${boards > 1 ? 's' : ''}`;
    rows.push({
      name: `engine CPU, ${tag}`,
      value: round(cpu),
      unit: '% of a core',
      note: `median of ${RUNS} × ${WINDOW_S} s; hashdeck mine over PTYs, emulators in another process; ${round(median(runs.map((r) => r.noncesPerS)), 2)} nonces/s`,
    });
    rows.push({ name: `engine CPU per board, ${tag}`, value: round(cpu / boards), unit: '% of a core' });
    rows.push({ name: `engine RSS, ${tag}`, value: round(median(runs.map((r) => r.rssMb))), unit: 'MB', note: 'median over the window, median of runs' });
  }
  return rows;
}

const isMain = isEntryPoint(import.meta.url);
if (isMain && process.argv[2] === '--emulator-host') {
  const boards = Number(process.argv[3]);
  const rate = Number(process.argv[4] ?? 50_000);
  const scaleBits = Number(process.argv[5] ?? 24);
  if (!Number.isInteger(boards) || boards < 1 || !(rate > 0) || !Number.isInteger(scaleBits)) {
    process.stderr.write('usage: engine.bench.ts --emulator-host <boards> [hashRateHs] [scaleBits]\n');
    process.exit(2);
  }
  emulatorHost(boards, rate, scaleBits).catch((err: unknown) => {
    process.stderr.write(`emulator host failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
} else if (isMain) {
  runStandalone(run);
}
