/**
 * Frames per second through the real host serial path: SerialTransport (serialport stream stack)
 * plus the response parser, over
 *  - the in-process emulator binding (bytes injected on the virtual chain's output), and
 *  - a pseudo-terminal pair with the OS serial binding (src-main/emulator/pty-pair.ts), the same
 *    path a USB CDC board takes from the kernel up.
 * Also: job frames per second written to a PTY, and the latency of one response frame through it.
 * For scale, 1 Mbaud 8N1 carries at most 9,091 11-byte responses or 1,136 88-byte jobs a second.
 */
import { performance } from 'node:perf_hooks';
import { bm1366 } from '../src-main/chips/bm1366.js';
import { buildNonceResponse } from '../src-main/chips/bm13xx/frames.js';
import { ResponseFrameParser } from '../src-main/chips/bm13xx/response-parser.js';
import { SerialTransport, type BindingInterface } from '../src-main/boards/transport.js';
import { createEmulatorBinding } from '../src-main/emulator/binding.js';
import type { VirtualChain } from '../src-main/emulator/chain.js';
import { openPtyPair } from '../src-main/emulator/pty-pair.js';
import { isEntryPoint, quantile, round, runStandalone, sleep } from './helpers.js';
import type { BenchRow } from './table.js';

const FRAME_BYTES = 11;
const WIRE_FRAMES_PER_S = 1_000_000 / (FRAME_BYTES * 10);
const WIRE_JOBS_PER_S = 1_000_000 / (88 * 10);
/** 968 bytes: two chunks in flight stay well inside a PTY's kernel buffer. */
const RX_CHUNK_FRAMES = 88;

/** `count` distinct, CRC-valid BM1366 nonce responses back to back. */
function nonceStream(count: number): Buffer {
  const out = Buffer.alloc(count * FRAME_BYTES);
  for (let i = 0; i < count; i++) {
    buildNonceResponse({ nonce: (i * 2654435761) >>> 0, jobByte: bm1366.responseJobByte((i * 8) & 0x78, i & 7), versionField: i & 0xffff }).copy(out, i * FRAME_BYTES);
  }
  return out;
}

/** Counts parsed frames from a transport; `until(n)` resolves once n frames have arrived in total. */
function frameCounter(transport: SerialTransport): { count: () => number; until: (n: number, timeoutMs: number) => Promise<void>; bad: () => number } {
  const parser = new ResponseFrameParser({ length: 11, detectResetFormat: false });
  let frames = 0;
  let waiter: { n: number; resolve: () => void } | null = null;
  transport.on('data', (chunk) => {
    frames += parser.push(chunk).length;
    if (waiter && frames >= waiter.n) {
      const w = waiter;
      waiter = null;
      w.resolve();
    }
  });
  return {
    count: () => frames,
    bad: () => parser.framesBad,
    until: (n, timeoutMs) =>
      frames >= n
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`only ${frames} of ${n} frames arrived in ${timeoutMs} ms`)), timeoutMs);
            waiter = {
              n,
              resolve: () => {
                clearTimeout(timer);
                resolve();
              },
            };
          }),
  };
}

/** Emulator binding: `frames` responses injected in chunks of `perChunk` frames; frames/s at the parser. */
async function emulatorRx(frames: number, perChunk: number): Promise<number> {
  let chain: VirtualChain | null = null;
  const binding = createEmulatorBinding({ chips: 1, hashing: 'inline', onOpen: (c) => (chain = c) });
  const transport = new SerialTransport({ path: 'emulator:1', baudRate: 1_000_000, binding: binding as unknown as BindingInterface });
  await transport.open();
  const counter = frameCounter(transport);
  const stream = nonceStream(frames);
  const c = chain as VirtualChain | null;
  if (!c) throw new Error('emulator chain did not open');
  const t0 = performance.now();
  for (let i = 0; i < frames; i += perChunk) c.emit('data', stream.subarray(i * FRAME_BYTES, Math.min(frames, i + perChunk) * FRAME_BYTES));
  await counter.until(frames, 60_000);
  const s = (performance.now() - t0) / 1000;
  await transport.close();
  return frames / s;
}

interface PtyFigures {
  rxFramesPerS: number;
  txJobsPerS: number;
  latencyUs: number[];
  kind: string;
}

async function ptyFigures(rxFrames: number, txJobs: number, pings: number): Promise<PtyFigures> {
  const pair = await openPtyPair();
  const transport = new SerialTransport({ path: pair.path, baudRate: 1_000_000 });
  try {
    await transport.open();
    const counter = frameCounter(transport);
    let masterBytes = 0;
    pair.stream.on('data', (d: Buffer) => (masterBytes += d.length));

    // One frame at a time: master write → parsed frame on the host.
    const latencyUs: number[] = [];
    const one = nonceStream(1);
    for (let i = 0; i < pings; i++) {
      const before = counter.count();
      const t0 = performance.now();
      pair.stream.write(one);
      await counter.until(before + 1, 5000);
      latencyUs.push((performance.now() - t0) * 1000);
      await sleep(1);
    }

    // Bulk receive from the "chip" side. Writes to the PTY master block the whole thread once the
    // kernel buffer (~4 KB) is full, and the host reading it is this same thread: keep at most two
    // 88-frame chunks in flight (a sliding window) so the buffer never fills.
    const stream = nonceStream(rxFrames);
    const base = counter.count();
    const t0 = performance.now();
    for (let sent = 0; sent < rxFrames; sent += RX_CHUNK_FRAMES) {
      if (sent >= 2 * RX_CHUNK_FRAMES) await counter.until(base + sent - RX_CHUNK_FRAMES, 10_000);
      pair.stream.write(stream.subarray(sent * FRAME_BYTES, Math.min(rxFrames, sent + RX_CHUNK_FRAMES) * FRAME_BYTES));
    }
    await counter.until(base + rxFrames, 60_000);
    const rxFramesPerS = rxFrames / ((performance.now() - t0) / 1000);

    // Bulk send: job frames queued through the transport, counted on the "chip" side.
    const job = bm1366.encodeJob({
      chipJobId: 0x18,
      version: 0x20000000,
      versionMask: 0x1fffe000,
      prevHash: Buffer.alloc(32, 0x11),
      merkleRoot: Buffer.alloc(32, 0x22),
      ntime: 0x64af16e0,
      nbits: 0x192495f8,
    });
    const want = masterBytes + txJobs * job.length;
    const t1 = performance.now();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < txJobs; i++) writes.push(transport.write(job));
    await Promise.all(writes);
    const until = Date.now() + 30_000;
    while (masterBytes < want && Date.now() < until) await sleep(1);
    if (masterBytes < want) throw new Error(`PTY received ${masterBytes} of ${want} bytes`);
    const txJobsPerS = txJobs / ((performance.now() - t1) / 1000);
    if (counter.bad() > 0) throw new Error(`${counter.bad()} bad frames on a clean PTY`);
    return { rxFramesPerS, txJobsPerS, latencyUs: latencyUs.slice(Math.floor(pings / 10)), kind: pair.kind };
  } finally {
    await transport.close();
    await pair.close();
  }
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  await emulatorRx(5000, 64); // warm-up (JIT)
  const bulk = [await emulatorRx(50_000, 64), await emulatorRx(50_000, 64), await emulatorRx(50_000, 64)].sort((a, b) => a - b)[1]!;
  const single = [await emulatorRx(10_000, 1), await emulatorRx(10_000, 1), await emulatorRx(10_000, 1)].sort((a, b) => a - b)[1]!;
  rows.push({
    name: 'emulator binding → transport → parser, 64-frame reads',
    value: Math.round(bulk),
    unit: 'frames/s',
    note: `median of 3 × 50k; ${round(bulk / WIRE_FRAMES_PER_S, 3)}× the 1 Mbaud wire maximum`,
  });
  rows.push({ name: 'emulator binding → transport → parser, 1 frame a read', value: Math.round(single), unit: 'frames/s', note: 'median of 3 × 10k; one stream read per frame' });

  const pty = await ptyFigures(100_000, 3000, 300);
  rows.push({
    name: 'PTY → OS serial binding → transport → parser',
    value: Math.round(pty.rxFramesPerS),
    unit: 'frames/s',
    note: `100k frames, ≤ 2 × 968-byte writes in flight (${pty.kind} PTY); ${round(pty.rxFramesPerS / WIRE_FRAMES_PER_S, 3)}× the 1 Mbaud wire maximum`,
  });
  rows.push({
    name: 'PTY one response frame, write → parsed, median',
    value: round(quantile(pty.latencyUs, 0.5)),
    unit: 'µs',
    note: `n=${pty.latencyUs.length}; the wire time of 11 bytes at 1 Mbaud is 110 µs`,
  });
  rows.push({ name: 'PTY one response frame, write → parsed, p99', value: round(quantile(pty.latencyUs, 0.99)), unit: 'µs' });
  rows.push({
    name: 'transport → PTY, 88-byte job frames',
    value: Math.round(pty.txJobsPerS),
    unit: 'jobs/s',
    note: `3000 queued writes until all bytes reached the other side; ${round(pty.txJobsPerS / WIRE_JOBS_PER_S, 3)}× the 1 Mbaud wire maximum`,
  });
  return rows;
}

if (isEntryPoint(import.meta.url)) runStandalone(run);
