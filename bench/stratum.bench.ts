/**
 * Stratum figures: time from a raw mining.notify line (12 branches, the ESP-Miner test vector) to a
 * WorkTemplate — line parse + zod validation + template build — as median and p99 per line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePoolMessage } from '../src-main/work/stratum/messages.js';
import { notifyToTemplate } from '../src-main/work/stratum/template.js';
import { checkPayout } from '../src-main/work/stratum/payout.js';
import { isEntryPoint, quantile, runStandalone } from './helpers.js';
import type { BenchRow } from './table.js';

export async function run(): Promise<BenchRow[]> {
  const vectors = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/vectors/stratum-messages.json');
  const line: string = JSON.parse(readFileSync(vectors, 'utf8')).cases[0].line;
  const extranonce1 = Buffer.from('00112233445566', 'hex');
  const once = (i: number) => {
    const m = parsePoolMessage(line);
    if (!m.ok || m.value.kind !== 'notify') throw new Error('vector did not parse');
    return notifyToTemplate(m.value.params, { sourceId: 'bench', sessionId: 1, sequence: i, extranonce1, extranonce2Size: 8, versionMask: 0x1fffe000, difficulty: 1024, nowMs: 0 });
  };
  for (let i = 0; i < 500; i++) once(i); // warm-up (JIT)
  const samples: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const t0 = process.hrtime.bigint();
    once(i);
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  const t = once(0);
  const payout: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const t0 = process.hrtime.bigint();
    checkPayout(t, '1CK6KHY6MHgYvmRQ4PAafKYDrg1ejbH1cE');
    payout.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  return [
    { name: 'stratum notify→template median', value: quantile(samples, 0.5), unit: 'µs', note: `${line.length}-byte notify, 12 branches, n=${samples.length}` },
    { name: 'stratum notify→template p99', value: quantile(samples, 0.99), unit: 'µs' },
    { name: 'stratum payout check median', value: quantile(payout, 0.5), unit: 'µs', note: 'coinbase decode per new coinbase (cached per job otherwise)' },
  ];
}

// Allow `tsx bench/stratum.bench.ts` on its own.
if (isEntryPoint(import.meta.url)) runStandalone(run);
