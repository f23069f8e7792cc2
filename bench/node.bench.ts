/**
 * Solo mining host cost: getblocktemplate result (3000 transactions) → WorkTemplate, and the
 * full block assembly for submitblock. Prints figures; asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import { parsePayoutAddress } from '../src-main/work/address.js';
import { assembleBlock } from '../src-main/work/node/block.js';
import { buildNodeWork, parseBlockTemplate } from '../src-main/work/node/template.js';
import { isEntryPoint, median, runStandalone } from './helpers.js';
import type { BenchRow } from './table.js';

function fakeTemplate(txCount: number) {
  const transactions = Array.from({ length: txCount }, () => ({
    data: randomBytes(250).toString('hex'),
    txid: randomBytes(32).toString('hex'),
    hash: randomBytes(32).toString('hex'),
  }));
  return {
    version: 0x20000000,
    previousblockhash: randomBytes(32).toString('hex'),
    transactions,
    coinbasevalue: 312_500_000 + txCount * 2_000,
    height: 900_000,
    bits: '17034219',
    curtime: Math.floor(Date.now() / 1000),
    mintime: Math.floor(Date.now() / 1000) - 3600,
    longpollid: 'x',
    default_witness_commitment: '6a24aa21a9ed' + randomBytes(32).toString('hex'),
    rules: ['csv', '!segwit', 'taproot'],
  };
}

export async function run(): Promise<BenchRow[]> {
  const payout = parsePayoutAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4').script;
  const raw = fakeTemplate(3000);
  const json = JSON.stringify(raw);
  const parseMs: number[] = [];
  const buildMs: number[] = [];
  const blockMs: number[] = [];
  // One warm-up round (JIT), then 5 measured.
  for (let i = -1; i < 5; i++) {
    let t0 = performance.now();
    const gbt = parseBlockTemplate(JSON.parse(json));
    if (i >= 0) parseMs.push(performance.now() - t0);
    t0 = performance.now();
    const work = buildNodeWork(gbt, { key: `b${i}`, sourceId: 'bench', sourceJobId: String(i), payoutScript: payout, tag: '/HashDeck/', versionMask: 0x1fffe000, cleanJobs: true, nowMs: Date.now() });
    if (i >= 0) buildMs.push(performance.now() - t0);
    t0 = performance.now();
    assembleBlock(
      work.template,
      work.segwit,
      gbt.transactions.map((t) => t.data),
      { extranonce2: Buffer.alloc(8), version: work.template.version, ntime: work.template.ntime, nonce: 0 },
    );
    if (i >= 0) blockMs.push(performance.now() - t0);
  }
  return [
    { name: 'node.template.parse', value: median(parseMs), unit: 'ms', note: `JSON.parse + zod, 3000 txs, ${(json.length / 1e6).toFixed(1)} MB, median of 5` },
    { name: 'node.template.build', value: median(buildMs), unit: 'ms', note: 'GBT → WorkTemplate (coinbase + merkle branches), 3000 txs, median of 5' },
    { name: 'node.block.assemble', value: median(blockMs), unit: 'ms', note: 'full block bytes for submitblock, 3000 txs, median of 5' },
  ];
}

// Run directly: npx tsx bench/node.bench.ts
if (isEntryPoint(import.meta.url)) runStandalone(run);
