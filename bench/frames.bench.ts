/**
 * Chip byte code throughput: the response parser on a realistic stream (USB-sized chunks, some
 * garbage), and per-operation cost of job encoding and response decoding. Prints figures only.
 */
import { performance } from 'node:perf_hooks';
import { bm1366 } from '../src-main/chips/bm1366.js';
import { bm1397 } from '../src-main/chips/bm1397.js';
import { buildNonceResponse } from '../src-main/chips/bm13xx/frames.js';
import { ResponseFrameParser } from '../src-main/chips/bm13xx/response-parser.js';
import { median } from './helpers.js';
import type { BenchRow } from './table.js';

/** A deterministic stream of `count` 11-byte nonce frames with a 3-byte garbage burst every 50 frames. */
function buildStream(count: number): Buffer {
  const parts: Buffer[] = [];
  let seed = 12345;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0);
  for (let i = 0; i < count; i++) {
    parts.push(buildNonceResponse({ nonce: rnd(), byte6: i & 3, jobByte: bm1366.responseJobByte((i * 8) & 0x78, i & 7), versionField: rnd() & 0xffff }));
    if (i % 50 === 49) parts.push(Buffer.from([0x13, 0x00, 0x7f]));
  }
  return Buffer.concat(parts);
}

function timeParser(stream: Buffer, chunk: number, frames: number): number {
  const p = new ResponseFrameParser({ length: 11 });
  const t0 = performance.now();
  let got = 0;
  for (let i = 0; i < stream.length; i += chunk) got += p.push(stream.subarray(i, i + chunk)).length;
  const s = (performance.now() - t0) / 1000;
  if (got !== frames) throw new Error(`parser recovered ${got} of ${frames} frames`);
  return frames / s;
}

function perOpMicros(ops: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(ops, 2000); i++) fn(i); // warm-up
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < ops; i++) fn(i);
    runs.push(((performance.now() - t0) * 1000) / ops);
  }
  return median(runs);
}

export async function run(): Promise<BenchRow[]> {
  const FRAMES = 100_000;
  const stream = buildStream(FRAMES);
  timeParser(stream, 64, FRAMES); // warm-up
  const fps64 = median(Array.from({ length: 5 }, () => timeParser(stream, 64, FRAMES)));
  const fps1 = median(Array.from({ length: 5 }, () => timeParser(stream.subarray(0, 11 * 5000 + 300), 1, 5000)));

  const job = {
    chipJobId: 8,
    version: 0x20000000,
    versionMask: 0x1fffe000,
    prevHash: Buffer.alloc(32, 0x11),
    merkleRoot: Buffer.alloc(32, 0x22),
    ntime: 0x64af16e0,
    nbits: 0x192495f8,
  };
  const encodeUs = perOpMicros(20_000, (i) => bm1366.encodeJob({ ...job, chipJobId: (i * 8) & 0x78 }));
  const encode1397Us = perOpMicros(5_000, (i) => bm1397.encodeJob({ ...job, chipJobId: (i * 4) & 0x7c }));
  const responses = Array.from({ length: 256 }, (_, i) => buildNonceResponse({ nonce: i * 7919, jobByte: i & 0xff, versionField: i }));
  const decodeUs = perOpMicros(50_000, (i) => bm1366.decodeResponse(responses[i & 255]!));

  return [
    { name: 'ResponseFrameParser, 64-byte chunks', value: Math.round(fps64), unit: 'frames/s', note: `median of 5 × ${FRAMES} frames, 3 garbage bytes every 50` },
    { name: 'ResponseFrameParser, 1-byte chunks', value: Math.round(fps1), unit: 'frames/s', note: 'worst case delivery, median of 5' },
    { name: 'bm1366.encodeJob', value: Number(encodeUs.toFixed(3)), unit: 'µs/op', note: '88-byte frame incl. CRC16; median of 5' },
    { name: 'bm1397.encodeJob (4 midstates)', value: Number(encode1397Us.toFixed(3)), unit: 'µs/op', note: 'pure-JS SHA-256 compression ×4; median of 5' },
    { name: 'bm1366.decodeResponse', value: Number(decodeUs.toFixed(3)), unit: 'µs/op', note: 'CRC5 check + field decode; median of 5' },
  ];
}
