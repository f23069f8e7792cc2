import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '@shared/bus.js';
import type { EngineEvent } from '@shared/contract/index';
import type { WorkTemplate } from '../../../../src-main/work/job.js';
import { NodeSource } from '../../../../src-main/work/node/node-source.js';
import type { StoredBlock } from '../../../../src-main/work/block-store.js';
import { startFakeRpc, type FakeRpc, type Reply } from '../../../fixtures/node/fake-rpc.js';
import { solveTemplate } from '../../../fixtures/node/solve.js';
import { waitFor } from '../../../fixtures/node/wait.js';

const GENESIS = '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206';
const payoutAddress = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';

function gbt(prev: string, height: number, bits = '207fffff') {
  return {
    version: 0x20000000,
    previousblockhash: prev,
    transactions: [],
    coinbasevalue: 5_000_000_000,
    height,
    bits,
    curtime: 1_700_000_000,
    mintime: 1_600_000_000,
    rules: ['!segwit'],
    default_witness_commitment: '6a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf9',
  };
}

describe('NodeSource (scripted RPC peer)', () => {
  let fake: FakeRpc;
  let dataDir: string;
  let source: NodeSource;
  let template = gbt(GENESIS, 1);
  let gate: Promise<void> | null = null;
  let submitReply: (hex: string) => Reply = () => ({ result: null });
  const bus = new EventBus();
  const blocks: Extract<EngineEvent, { type: 'block' }>[] = [];
  const templates: WorkTemplate[] = [];
  bus.on('block', (e) => blocks.push(e));

  beforeEach(async () => {
    blocks.length = 0;
    templates.length = 0;
    template = gbt(GENESIS, 1);
    gate = null;
    submitReply = () => ({ result: null });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'hashdeck-ns-'));
    fake = await startFakeRpc((call) => {
      switch (call.method) {
        case 'getblockchaininfo':
          return { result: { chain: 'regtest', blocks: template.height - 1 } };
        case 'getblocktemplate': {
          const answer = template;
          if (!gate) return { result: answer };
          const g = gate;
          gate = null;
          return g.then(() => ({ result: answer }));
        }
        case 'getmininginfo':
          return { result: { blocks: template.height - 1, difficulty: 4.6e-10, networkhashps: 12345, chain: 'regtest' } };
        case 'submitblock':
          return submitReply((call.params as string[])[0]!);
        default:
          return { error: { code: -32601, message: 'Method not found' } };
      }
    });
    source = new NodeSource({ url: fake.url, rpcPassword: 'pw', payoutAddress, dataDir, bus, timers: { refreshMs: 600_000, retryMs: 20, maxRetryMs: 100 } });
    await source.start({ onTemplate: (t) => templates.push(t), onInvalidateAll: () => undefined });
  });

  afterEach(async () => {
    await source.stop();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const stored = (): StoredBlock[] => readdirSync(path.join(dataDir, 'blocks')).map((f) => JSON.parse(readFileSync(path.join(dataDir, 'blocks', f), 'utf8')));

  it('asks for the segwit rule with positional params and serves a clean first template', () => {
    const call = fake.calls.find((c) => c.method === 'getblocktemplate')!;
    expect(call.params).toEqual([{ rules: ['segwit'] }]);
    expect(templates).toHaveLength(1);
    expect(templates[0]).toMatchObject({ cleanJobs: true, height: 1, sourceKind: 'node', extranonce2Size: 8, versionMask: 0x1fffe000 });
    expect(source.nodeSnapshot()).toMatchObject({ state: 'active', chain: 'regtest', height: 0, payoutAddress, url: fake.url });
  });

  it('writes the block file (fsynced, pending) before submitblock reaches the node', async () => {
    let sawFile: StoredBlock | null = null;
    submitReply = (hex) => {
      sawFile = stored()[0] ?? null;
      expect(sawFile?.hex).toBe(hex);
      return { result: null };
    };
    const share = solveTemplate(templates[0]!);
    source.submitShare(share);
    await source.settled();
    expect(sawFile).toMatchObject({ status: 'pending', attempts: [] });
    expect(blocks).toEqual([expect.objectContaining({ result: 'accepted', accepted: true, height: 1, boardId: 'test-board', source: fake.url })]);
    expect(stored()[0]).toMatchObject({ status: 'done', result: 'accepted', accepted: true });
    expect(existsSync(path.join(dataDir, 'blocks', `1-${blocks[0]!.hash}.json`))).toBe(true);
  });

  const verdicts: Array<[Reply, string, boolean]> = [
    [{ result: 'rejected: bad-cb-height' }, 'bad-cb-height', false],
    [{ result: 'high-hash' }, 'high-hash', false],
    [{ result: 'inconclusive' }, 'inconclusive', false],
    [{ result: 'duplicate' }, 'duplicate', true],
    [{ error: { code: -22, message: 'Block decode failed' } }, 'error: The node rejected submitblock: Block decode failed (code -22).', false],
  ];
  for (const [reply, result, accepted] of verdicts) {
    it(`surfaces submitblock answer ${JSON.stringify(reply)} as "${result}"`, async () => {
      submitReply = () => reply;
      source.submitShare(solveTemplate(templates[0]!));
      await source.settled();
      expect(blocks).toEqual([expect.objectContaining({ result, accepted })]);
      expect(stored()[0]).toMatchObject({ status: 'done', result, accepted });
    });
  }

  it('retries a 5xx without a JSON body until the node answers', async () => {
    let n = 0;
    submitReply = () => (++n < 3 ? { status: 503, body: 'busy' } : { result: null });
    source.submitShare(solveTemplate(templates[0]!));
    await source.settled();
    expect(n).toBe(3);
    expect(blocks[0]).toMatchObject({ accepted: true });
    expect(stored()[0]!.attempts.map((a) => a.outcome)).toEqual(['error', 'error', 'answer']);
  });

  it('a share whose rebuilt header misses the network target is not submitted', async () => {
    template = gbt(GENESIS, 1, '1d00ffff'); // difficulty 1: a random header will not meet it
    await source.refreshTemplate();
    const t = templates.at(-1)!;
    const share = { ...solveTemplate(templates[0]!), job: { ...solveTemplate(templates[0]!).job, template: t } };
    source.submitShare(share);
    await source.settled();
    expect(fake.calls.some((c) => c.method === 'submitblock')).toBe(false);
    expect(existsSync(path.join(dataDir, 'blocks'))).toBe(false);
  });

  it('new tip → cleanJobs and older templates die; same tip → not clean; a slow answer about a left tip is dropped', async () => {
    // A refresh that is answered late, about the old tip.
    let release!: () => void;
    gate = new Promise<void>((r) => (release = r));
    const slow = source.refreshTemplate();
    await waitFor(() => gate === null, 'slow request in flight');
    await source.refreshTemplate();
    expect(templates.at(-1)!.cleanJobs).toBe(false);
    expect(source.isTemplateLive(templates[0]!)).toBe(true);
    const newTip = 'aa'.repeat(32);
    template = gbt(newTip, 2);
    await source.refreshTemplate();
    expect(templates.at(-1)).toMatchObject({ cleanJobs: true, height: 2 });
    expect(source.isTemplateLive(templates[0]!)).toBe(false);
    expect(source.nodeSnapshot()).toMatchObject({ height: 1, networkHashrateHs: 12345 });
    const count = templates.length;
    release();
    await slow;
    expect(templates.length).toBe(count);
    expect(templates.at(-1)!.height).toBe(2);
    // A fresh answer naming the old tip again is a real reorg: taken, clean.
    template = gbt(GENESIS, 1);
    await source.refreshTemplate();
    expect(templates.at(-1)).toMatchObject({ cleanJobs: true, height: 1 });
  });
});
