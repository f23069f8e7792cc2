/**
 * Notify → job at the chip, measured from outside the engine over real PTYs (issue 13, item 1):
 *
 *   this process      a StratumTestServer on 127.0.0.1; the time is taken when its socket write of
 *                     a clean_jobs notify (new prev hash) returns
 *   engine process    the BUILT CLI (`node bin/hashdeck.js mine --pool … --device /dev/pts/N …`)
 *   emulator process  one-chip BM1366 emulators behind PTYs (this file with --emulator-host); the
 *                     time is taken when the first chunk holding a job frame with the new prev hash
 *                     is read from the PTY master (its processing is deferred, so 32 boards read
 *                     in one poll are all stamped before any of them is handled)
 *
 * All three stamp with process.hrtime (CLOCK_MONOTONIC, one clock for every process). The
 * loopback baseline is taken in the same run between the same two processes: a 600-byte line
 * written by this process, its arrival stamped by the emulator process; baseline and notify
 * samples alternate, so both see the same load. Host overhead = notify→job − loopback.
 *
 * `tsx bench/notify-pty.bench.ts` runs it alone (build first: `npm run build`);
 * BENCH_ENGINE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the engine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants as fsConstants, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { JOB_HEADER } from '../src-main/chips/bm13xx/frames.js';
import { bm1366 } from '../src-main/chips/bm1366.js';
import { openPtyPair } from '../src-main/emulator/pty-pair.js';
import { runEmulatorPty, type EmulatorPty } from '../src-main/emulator/run-pty.js';
import { StratumTestServer } from '../test/fixtures/stratum-server.js';
import { isEntryPoint, median, quantile, round, runStandalone, sleep, stopChild, waitFor } from './helpers.js';
import type { BenchRow } from './table.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const USER = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080.bench';
/** A clean mining.notify from the test pool (2 branches) is about this long. */
const LINE_BYTES = 600;
/** Emulated chips hash slowly here: no nonces are needed, and inline hashing must not stall the emulator's reads. */
const EMULATOR_RATE_HS = 2000;

const nowNs = (): bigint => process.hrtime.bigint();

// ── the emulator host (child process) ────────────────────────────────────────────────────────

/** Prev hashes (hex, as the chip decodes them) of the job frames in `buf`, and the bytes left over. */
function scanJobs(buf: Buffer): { prevs: string[]; rest: Buffer } {
  const prevs: string[] = [];
  let i = 0;
  let keepFrom = buf.length;
  for (; i + 4 <= buf.length; i++) {
    if (buf[i] !== 0x55 || buf[i + 1] !== 0xaa || buf[i + 2] !== JOB_HEADER) continue;
    const total = buf[i + 3]! + 2;
    if (i + total > buf.length) {
      keepFrom = i;
      break;
    }
    const job = bm1366.decodeJobFrame(buf.subarray(i, i + total));
    if (job.format === 'full') prevs.push(job.prevHash.toString('hex'));
    i += total - 1;
  }
  if (keepFrom === buf.length) keepFrom = Math.max(i, buf.length - 3);
  return { prevs, rest: Buffer.from(buf.subarray(keepFrom)) };
}

async function emulatorHost(boards: number, baselinePort: number): Promise<void> {
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const ptys: EmulatorPty[] = [];
  for (let i = 0; i < boards; i++) {
    const p = await runEmulatorPty({ chips: 1, model: 'bm1366', scaleBits: 24, hashRateHs: EMULATOR_RATE_HS, hashing: 'inline' });
    const chain = p.chain;
    const handle = chain.write.bind(chain);
    let pending: Buffer = Buffer.alloc(0);
    let lastPrev = '';
    // Stamp first, everything else later: decoding, reporting and the chip's work wait until every
    // PTY ready in this turn of the event loop was stamped.
    chain.write = (bytes: Uint8Array): void => {
      const at = nowNs();
      setImmediate(() => {
        const scanned = scanJobs(Buffer.concat([pending, bytes]));
        pending = scanned.rest;
        for (const prev of scanned.prevs) {
          if (prev === lastPrev) continue;
          lastPrev = prev;
          out(`J ${i} ${prev} ${at}`);
        }
        handle(bytes);
      });
    };
    ptys.push(p);
  }
  // The PTY floor: as many more PTYs as boards; the bench process writes one frame to each, back to
  // back as the engine does, and each arrival is stamped here the same way (deferred handling).
  const probes = await Promise.all(Array.from({ length: boards }, () => openPtyPair()));
  probes.forEach((probe, i) =>
    probe.stream.on('data', () => {
      const at = nowNs();
      setImmediate(() => out(`P ${i} ${at}`));
    }),
  );
  // The loopback baseline: lines from the bench process, stamped on arrival.
  const socket = net.connect(baselinePort, '127.0.0.1');
  socket.setNoDelay(true);
  let buffered = 0;
  socket.on('data', (d: Buffer) => {
    const at = nowNs();
    buffered += d.length;
    if (d[d.length - 1] === 0x0a) {
      out(`L ${buffered} ${at}`);
      buffered = 0;
    }
  });
  await new Promise<void>((r) => socket.once('connect', () => r()));
  out(`READY ${JSON.stringify({ boards: ptys.map((p) => p.path), probes: probes.map((p) => p.path) })}`);
  const tick = setInterval(() => {
    for (const p of ptys) p.chain.runHashes(EMULATOR_RATE_HS / 10);
  }, 100);
  const stop = async (): Promise<void> => {
    clearInterval(tick);
    socket.destroy();
    await Promise.all(probes.map((p) => p.close()));
    await Promise.all(ptys.map((p) => p.close().catch(() => undefined)));
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

// ── the bench ────────────────────────────────────────────────────────────────────────────────

export interface OutsideResult {
  boards: number;
  loopbackUs: number[];
  /** 88-byte frames written back to back to `boards` PTYs by this process → the last one read by the emulator process. */
  ptyUs: number[];
  lastUs: number[];
  firstUs: number[];
  missed: number;
  /** The engine's resident memory at the end of the run (pool mode, built CLI). */
  engineRssMb: number;
  /** Per notify: the pool's write and the last board's arrival (hrtime ns), for tracing. */
  raw: Array<{ sentNs: bigint; lastNs: bigint }>;
}

/** One run: `boards` PTY boards, `samples` notifies alternating with loopback lines. */
export async function notifyOverPty(boards: number, samples: number, engineNodeArgs: string[] = []): Promise<OutsideResult> {
  const cli = path.join(ROOT, 'bin/hashdeck.js');
  if (!existsSync(path.join(ROOT, 'out/main/cli.js'))) throw new Error('the CLI is not built: run npm run build first');
  const pool = new StratumTestServer({ mode: 'public-pool', difficulty: 1 });
  await pool.start();
  let baselineSide: net.Socket | null = null;
  const baselineServer = net.createServer((s) => {
    s.setNoDelay(true);
    baselineSide = s;
  });
  await new Promise<void>((r) => baselineServer.listen(0, '127.0.0.1', r));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hashdeck-bench-'));
  let emu: ChildProcess | null = null;
  let engine: ChildProcess | null = null;
  let probeFds: number[] = [];
  const jobAt = new Map<string, Map<number, bigint>>(); // prev hash → board → arrival
  const lineAt: bigint[] = [];
  const probeAt = new Map<number, bigint>();
  // Woken by the emulator's report lines, so that this process sleeps while it waits.
  let wake: (() => void) | null = null;
  const until = (cond: () => boolean, timeoutMs: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (cond()) return resolve(true);
      const timer = setTimeout(() => {
        wake = null;
        resolve(false);
      }, timeoutMs);
      wake = () => {
        if (!cond()) return;
        clearTimeout(timer);
        wake = null;
        resolve(true);
      };
    });
  const result: OutsideResult = { boards, loopbackUs: [], ptyUs: [], lastUs: [], firstUs: [], missed: 0, engineRssMb: NaN, raw: [] };
  try {
    emu = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--emulator-host', String(boards), String((baselineServer.address() as net.AddressInfo).port)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const ready = await new Promise<{ boards: string[]; probes: string[] }>((resolve, reject) => {
      createInterface({ input: emu!.stdout! }).on('line', (l) => {
        const [kind, a, b, c] = l.split(' ');
        if (kind === 'J') {
          let m = jobAt.get(b!);
          if (!m) jobAt.set(b!, (m = new Map()));
          if (!m.has(Number(a))) m.set(Number(a), BigInt(c!));
        } else if (kind === 'L') lineAt.push(BigInt(b!));
        else if (kind === 'P') probeAt.set(Number(a), BigInt(b!));
        else if (kind === 'READY') resolve(JSON.parse(l.slice(6)) as { boards: string[]; probes: string[] });
        wake?.();
      });
      emu!.once('exit', (code) => reject(new Error(`emulator host exited (${code})`)));
    });
    const paths = ready.boards;
    probeFds = ready.probes.map((p) => openSync(p, fsConstants.O_RDWR | fsConstants.O_NOCTTY | fsConstants.O_NONBLOCK));
    await waitFor(() => baselineSide !== null, 5000, 'the baseline connection');
    const args = [...engineNodeArgs, cli, 'mine'];
    for (const p of paths) args.push('--device', p, '--chip', 'bm1366', '--scale-bits', '24');
    args.push('--pool', pool.url, '--user', USER, '--json', '--data-dir', dataDir);
    engine = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const hashing = new Set<string>();
    createInterface({ input: engine.stdout! }).on('line', (l) => {
      if (!l.startsWith('{"type":"board"')) return;
      const e = JSON.parse(l) as { boardId?: string; state?: string };
      if (e.state === 'hashing' && e.boardId) hashing.add(e.boardId);
    });
    await waitFor(() => hashing.size === boards || engine!.exitCode !== null, 120_000, `${boards} PTY board(s) hashing`);
    if (hashing.size < boards) throw new Error(`only ${hashing.size} of ${boards} boards started`);
    const everyBoardHasWork = (): boolean => [...jobAt.values()].some((m) => m.size === boards);
    await waitFor(everyBoardHasWork, 30_000, 'a job on every board');
    await sleep(3000); // JIT and the first timers settle
    const line = Buffer.from(`${'x'.repeat(LINE_BYTES - 1)}\n`);
    const frame = Buffer.alloc(88, 0x5a);
    for (let i = 0; i < samples; i++) {
      // Loopback delivery between the same two processes.
      const lines = lineAt.length;
      baselineSide!.write(line);
      const l0 = nowNs();
      if (!(await until(() => lineAt.length > lines, 3000))) throw new Error('a baseline line was lost');
      result.loopbackUs.push(Number(lineAt[lines]! - l0) / 1000);
      await sleep(3 + Math.random() * 5);
      // The PTY floor: an 88-byte frame into each probe PTY, back to back, read by the emulator process.
      probeAt.clear();
      const p0 = nowNs();
      for (const fd of probeFds) writeSync(fd, frame);
      if (!(await until(() => probeAt.size === boards, 3000))) throw new Error('a PTY probe frame was lost');
      result.ptyUs.push(Number([...probeAt.values()].reduce((a, b) => (b > a ? b : a)) - p0) / 1000);
      await sleep(3 + Math.random() * 5);
      // A clean notify with a new prev hash; the time is taken when the socket write returns.
      const job = pool.newJob({ clean: true, newBlock: true });
      const t0 = nowNs();
      const prev = job.prevHash.toString('hex');
      await until(() => (jobAt.get(prev)?.size ?? 0) >= boards, 3000);
      const seen = jobAt.get(prev);
      if (!seen || seen.size < boards) result.missed++;
      else {
        const us = [...seen.values()].map((t) => Number(t - t0) / 1000);
        result.lastUs.push(Math.max(...us));
        result.firstUs.push(Math.min(...us));
        result.raw.push({ sentNs: t0, lastNs: [...seen.values()].reduce((a, b) => (b > a ? b : a)) });
      }
      jobAt.clear();
      await sleep(20 + Math.random() * 40);
    }
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${engine.pid!}/status`, 'utf8'));
    if (m) result.engineRssMb = Number(m[1]) / 1024;
  } finally {
    for (const fd of probeFds) closeSync(fd);
    await stopChild(engine);
    await stopChild(emu);
    await pool.stop();
    baselineServer.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (result.lastUs.length === 0) throw new Error(`no notify reached every board (${result.missed} missed): did the prev hash decode match?`);
  return result;
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const engineArgs = (process.env['BENCH_ENGINE_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  for (const [boards, samples] of [
    [1, 200],
    [32, 100],
  ] as const) {
    const r = await notifyOverPty(boards, samples, engineArgs);
    const tag = `${boards} board${boards > 1 ? 's' : ''}`;
    const loop = median(r.loopbackUs);
    const last = median(r.lastUs);
    rows.push({
      name: `PTY: loopback line delivery, ${tag} run (baseline)`,
      value: round(loop),
      unit: 'µs',
      note: `median of ${r.loopbackUs.length}, ${LINE_BYTES}-byte line, pool process → emulator process`,
    });
    rows.push({
      name: `PTY: 88-byte frames into ${boards} PTY${boards > 1 ? 's' : ''} → last one read by the emulator (floor)`,
      value: round(median(r.ptyUs)),
      unit: 'µs',
      note: `median of ${r.ptyUs.length}; this process writes back to back, the emulator process reads: part of every job's way, not the engine's`,
    });
    rows.push({
      name: `PTY: notify→job frame at the emulator, ${tag}, last board median`,
      value: round(last),
      unit: 'µs',
      note: `n=${r.lastUs.length}${r.missed ? `, ${r.missed} missed` : ''}; built CLI, PTYs, emulators in another process`,
    });
    rows.push({ name: `PTY: notify→job frame, ${tag}, last board p99`, value: round(quantile(r.lastUs, 0.99)), unit: 'µs' });
    rows.push({ name: `PTY: notify→job host overhead, ${tag} (median − loopback)`, value: round(last - loop), unit: 'µs', note: 'goal ≤ 300 µs for one board, ≤ 1000 µs for the last of 32' });
    rows.push({ name: `PTY: notify→job host overhead, ${tag}, p99 − loopback median`, value: round(quantile(r.lastUs, 0.99) - loop), unit: 'µs', note: 'goal ≤ 2000 µs' });
    if (boards > 1) rows.push({ name: `PTY: notify→job frame, ${tag}, first board median`, value: round(median(r.firstUs)), unit: 'µs' });
    rows.push({ name: `PTY: engine RSS with a pool, ${tag}`, value: round(r.engineRssMb), unit: 'MB', note: 'built CLI, at the end of the run' });
  }
  return rows;
}

const isMain = isEntryPoint(import.meta.url);
if (isMain && process.argv[2] === '--emulator-host') {
  emulatorHost(Number(process.argv[3]), Number(process.argv[4])).catch((err: unknown) => {
    process.stderr.write(`emulator host failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
} else if (isMain) {
  runStandalone(run);
}
