/**
 * The Stratum server under load, in the real engine process (`hashdeck mine --node … --serve-stratum`
 * against a scripted node on loopback): 200 idle miners on one event loop, misbehaving clients
 * (garbage, oversized lines, submit floods, wrong job ids, duplicate shares) next to a well-behaved
 * miner. The well-behaved miner's shares must all be accepted and the idle miners left alone; its
 * share latency and the engine's memory for 200 connections are printed as figures (no timed
 * assertions, docs/design.md §5).
 */
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mineSummarySchema } from '@shared/contract';
import { startFakeRpc, type FakeRpc } from '../../../fixtures/node/fake-rpc.js';
import { TestMiner, type FoundShare } from '../../../fixtures/stratum/test-miner.js';
import { REGTEST_PAYOUT } from '../../../fixtures/work/node-template.js';
import { jsonLines, spawnCli, tempDir } from '../../../helpers/cli.js';

const IDLE = 200;
const MIN = 1e-6;

function template() {
  return {
    version: 0x20000000,
    previousblockhash: '00'.repeat(31) + '2a',
    transactions: [],
    coinbasevalue: 312_500_000,
    height: 201,
    bits: '1d00ffff',
    curtime: Math.floor(Date.now() / 1000),
    rules: ['csv', '!segwit', 'taproot'],
    default_witness_commitment: '6a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf9',
  };
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

function stats(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(2);
  return `n=${s.length} p50=${at(0.5)} ms p95=${at(0.95)} ms max=${s.at(-1)!.toFixed(2)} ms`;
}

let rpc: FakeRpc;
let engine: ChildProcess;
let out = '';
let port = 0;
const clients: TestMiner[] = [];

beforeAll(async () => {
  rpc = await startFakeRpc((call) => {
    switch (call.method) {
      case 'getblockchaininfo':
        return { result: { chain: 'regtest', blocks: 200 } };
      case 'getblocktemplate':
        return { result: template() };
      case 'getmininginfo':
        return { result: { blocks: 200, difficulty: 1, networkhashps: 1e6 } };
      default:
        return { result: null };
    }
  });
  engine = spawnCli([
    'mine',
    '--node',
    rpc.url,
    '--payout',
    REGTEST_PAYOUT,
    '--rpc-user',
    'u',
    '--rpc-password',
    'p',
    '--serve-stratum',
    '127.0.0.1:0',
    '--stratum-min-difficulty',
    String(MIN),
    '--json',
    '--data-dir',
    tempDir(),
    '--duration',
    '300',
  ]);
  engine.stdout!.on('data', (d) => (out += d));
  const deadline = Date.now() + 30_000;
  while (port === 0) {
    const m = /Stratum server listening on 127\.0\.0\.1:(\d+)/.exec(out);
    if (m) port = Number(m[1]);
    else if (Date.now() > deadline) throw new Error(`the engine did not start serving:\n${out}`);
    else await new Promise((r) => setTimeout(r, 100));
  }
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  if (engine && engine.exitCode === null) {
    engine.kill('SIGKILL');
  }
  await rpc?.close();
});

async function connect(): Promise<TestMiner> {
  const m = await TestMiner.connect(port);
  clients.push(m);
  return m;
}

async function submitPaced(m: TestMiner, shares: FoundShare[], gapMs: number): Promise<{ latencies: number[]; results: unknown[] }> {
  const latencies: number[] = [];
  const results: unknown[] = [];
  for (const s of shares) {
    const r = await m.reply(m.submit(s, 'good'), 20_000);
    latencies.push(r.latencyMs);
    results.push(r.result);
    await new Promise((res) => setTimeout(res, gapMs));
  }
  return { latencies, results };
}

describe('Stratum server under load (real engine process)', () => {
  it('serves 200 idle miners and a good one while misbehaving clients are contained', async () => {
    const rssBefore = rssKb(engine.pid!);
    const idle: TestMiner[] = [];
    for (let i = 0; i < IDLE; i++) idle.push(await connect());
    await Promise.all(idle.map((m, i) => m.handshake({ user: `idle-${i}`, suggestDifficulty: 1, versionRolling: i % 2 === 0 })));
    await new Promise((r) => setTimeout(r, 500));
    const rssAfter = rssKb(engine.pid!);
    expect(new Set(idle.map((m) => m.extranonce1)).size).toBe(IDLE);

    const good = await connect();
    await good.handshake({ user: 'good', suggestDifficulty: MIN });
    const job = good.latest!;
    const shares = Array.from({ length: 40 }, () => good.grind({ job }));
    const quiet = await submitPaced(good, shares.slice(0, 15), 40);

    // The misbehaving clients, all at once.
    const garbage = await connect();
    const oversize = await connect();
    const flood = await connect();
    const wrongIds = await connect();
    const dup = await connect();
    await wrongIds.handshake({ user: 'wrong-ids', suggestDifficulty: MIN });
    await dup.handshake({ user: 'dup', suggestDifficulty: MIN });
    await flood.handshake({ user: 'flood', suggestDifficulty: MIN });
    const dupShare = dup.grind();
    let stop = false;
    const loops = [
      (async () => {
        while (!stop && !garbage.closed) {
          garbage.sendRaw('%%% not json at all %%%\n{"id":1,"method":\n');
          await new Promise((r) => setTimeout(r, 5));
        }
      })(),
      (async () => {
        const blob = 'z'.repeat(1024 * 1024);
        while (!stop && !oversize.closed) {
          oversize.sendRaw(blob + '\n');
          await new Promise((r) => setTimeout(r, 20));
        }
      })(),
      (async () => {
        const line = JSON.stringify({ id: 9, method: 'mining.submit', params: ['flood', 'nope', '00000000', '00000000', '00000000', '00000000'] }) + '\n';
        while (!stop && !flood.closed) {
          flood.sendRaw(line.repeat(2000));
          await new Promise((r) => setTimeout(r, 10));
        }
      })(),
      (async () => {
        for (let i = 0; !stop && !wrongIds.closed; i++) {
          wrongIds.submit({ ...wrongIds.grind({ meets: false }), jobId: `bad${i}` }, 'wrong-ids');
          await new Promise((r) => setTimeout(r, 2));
        }
      })(),
      (async () => {
        while (!stop && !dup.closed) {
          dup.submit(dupShare, 'dup');
          await new Promise((r) => setTimeout(r, 2));
        }
      })(),
    ];
    const busy = await submitPaced(good, shares.slice(15), 100);
    stop = true;
    await Promise.all(loops);

    expect([...quiet.results, ...busy.results].every((r) => r === true)).toBe(true);
    // The flooders were cut off; the idle miners were not disturbed.
    await garbage.until(() => garbage.closed, 10_000, 'the garbage sender to be closed');
    await flood.until(() => flood.closed, 10_000, 'the flooder to be closed');
    expect(idle.filter((m) => m.closed)).toHaveLength(0);
    // Duplicates and wrong ids are refused with their codes, not by closing.
    await dup.until(() => [...dup.replies.values()].some((r) => Array.isArray(r.error) && r.error[0] === 22), 10_000, 'a duplicate refusal');
    await wrongIds.until(() => [...wrongIds.replies.values()].some((r) => Array.isArray(r.error) && r.error[0] === 21), 10_000, 'a job-not-found refusal');

    console.log(
      `[stratum load] engine RSS ${(rssBefore / 1024).toFixed(1)} MB before, ${(rssAfter / 1024).toFixed(1)} MB with ${IDLE} subscribed connections (+${((rssAfter - rssBefore) / 1024).toFixed(1)} MB, ${((rssAfter - rssBefore) / IDLE).toFixed(1)} kB each)`,
    );
    console.log(`[stratum load] good miner share latency, quiet: ${stats(quiet.latencies)}`);
    console.log(`[stratum load] good miner share latency, with 5 misbehaving clients: ${stats(busy.latencies)}`);

    engine.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => engine.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    const summary = mineSummarySchema.parse(jsonLines(out).at(-1));
    const goodSummary = summary.networkMiners.find((m) => m.worker === 'good');
    expect(goodSummary).toMatchObject({ sharesAccepted: 40, sharesRejected: 0, blocksFound: 0 });
    expect(goodSummary!.hashrateHs).toBeGreaterThan(0);
    expect(summary.networkMiners.find((m) => m.worker === 'dup')!.sharesRejected).toBeGreaterThan(0);
    expect(summary.networkMiners.filter((m) => m.worker.startsWith('idle-'))).toHaveLength(IDLE);
  }, 240_000);
});
