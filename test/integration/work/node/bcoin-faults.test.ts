/**
 * Faults against a real bcoin regtest node: the node vanishes while a block is being submitted
 * (a loopback proxy in front of it goes down), wrong-network payout, bad credentials, and
 * cookie auth re-read after a 401.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payments } from 'bitcoinjs-lib';
import { EventBus } from '@shared/bus.js';
import type { EngineEvent } from '@shared/contract/index';
import type { WorkTemplate } from '../../../../src-main/work/job.js';
import { NodeConfigError, NodeSource } from '../../../../src-main/work/node/node-source.js';
import { RpcClient } from '../../../../src-main/work/node/rpc.js';
import type { StoredBlock } from '../../../../src-main/work/block-store.js';
import { startBcoinRegtest, type BcoinRegtest } from '../../../fixtures/bcoin-regtest.js';
import { solveTemplate } from '../../../fixtures/node/solve.js';
import { startTcpProxy, type TcpProxy } from '../../../fixtures/node/tcp-proxy.js';
import { waitFor } from '../../../fixtures/node/wait.js';

const payoutAddress = payments.p2wpkh({
  hash: Buffer.alloc(20, 3),
  network: { messagePrefix: '', bech32: 'rb', bip32: { public: 0, private: 0 }, pubKeyHash: 0x3c, scriptHash: 0x26, wif: 0 },
}).address!;
const timers = { refreshMs: 600_000, retryMs: 50, maxRetryMs: 400 };

describe('NodeSource faults against bcoin regtest', () => {
  let node: BcoinRegtest;
  let proxy: TcpProxy;
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'hashdeck-node-'));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    node = await startBcoinRegtest();
    proxy = await startTcpProxy(node.port);
  });
  afterAll(async () => {
    await proxy?.close();
    await node?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('node down during submitblock: the block file is kept and resubmitted when the node returns (same run and next start)', async () => {
    const dataDir = tmp();
    const bus = new EventBus();
    const blocks: Extract<EngineEvent, { type: 'block' }>[] = [];
    bus.on('block', (e) => blocks.push(e));
    const templates: WorkTemplate[] = [];
    const url = `http://127.0.0.1:${proxy.port}`;
    const a = new NodeSource({ url, rpcPassword: node.apiKey, payoutAddress, dataDir, bus, timers });
    await a.start({ onTemplate: (t) => templates.push(t), onInvalidateAll: () => undefined });
    expect(templates[0]!.height).toBe(1);

    const readStored = (): StoredBlock[] => {
      try {
        return readdirSync(path.join(dataDir, 'blocks'))
          .filter((f) => f.endsWith('.json'))
          .map((f) => JSON.parse(readFileSync(path.join(dataDir, 'blocks', f), 'utf8')) as StoredBlock);
      } catch {
        return [];
      }
    };

    // 1. Retried by the running source.
    await proxy.down();
    const share1 = solveTemplate(templates[0]!);
    a.submitShare(share1);
    // The file exists at once (written before the first attempt), pending, with failed attempts.
    expect(readStored()).toHaveLength(1);
    await waitFor(() => (readStored()[0]?.attempts.length ?? 0) >= 2, 'failed submit attempts on disk');
    const pending = readStored()[0]!;
    expect(pending).toMatchObject({ status: 'pending', result: null, height: 1 });
    expect(pending.attempts.every((x) => x.outcome === 'error' && /connection refused|closed the connection/.test(x.detail ?? ''))).toBe(true);
    expect(a.nodeSnapshot().state).toBe('error');
    expect(blocks).toHaveLength(0);
    await proxy.up();
    await waitFor(() => blocks.length === 1, 'block accepted after the node returned');
    expect(blocks[0]).toMatchObject({ height: 1, result: 'accepted', accepted: true });
    expect(readStored()[0]).toMatchObject({ status: 'done', result: 'accepted', accepted: true });
    expect(readStored()[0]!.attempts.at(-1)!.outcome).toBe('answer');
    expect(await node.rpc('getblockcount')).toBe(1);

    // 2. Node down, then the engine stops: the file stays pending and the next start resubmits it.
    await waitFor(() => templates.at(-1)!.height === 2, 'template for height 2');
    await proxy.down();
    a.submitShare(solveTemplate(templates.at(-1)!));
    await waitFor(() => readStored().some((b) => b.height === 2 && b.attempts.length >= 1), 'failed attempt for block 2');
    await a.stop();
    const left = readStored().find((b) => b.height === 2)!;
    expect(left.status).toBe('pending');
    await proxy.up();

    const b = new NodeSource({ url, rpcPassword: node.apiKey, payoutAddress, dataDir, bus, timers });
    await b.start({ onTemplate: () => undefined, onInvalidateAll: () => undefined });
    await waitFor(() => blocks.length === 2, 'resubmitted block 2');
    expect(blocks[1]).toMatchObject({ height: 2, hash: left.hash, result: 'accepted', accepted: true });
    expect(readStored().find((x) => x.height === 2)).toMatchObject({ status: 'done', accepted: true });
    expect(await node.rpc('getblockcount')).toBe(2);
    await b.stop();
  });

  it('refuses a payout address of another network at start with one sentence', async () => {
    const s = new NodeSource({ url: node.url, rpcPassword: node.apiKey, payoutAddress: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', dataDir: tmp(), bus: new EventBus(), timers });
    await expect(s.start({ onTemplate: () => undefined, onInvalidateAll: () => undefined })).rejects.toThrow(NodeConfigError);
    await expect(s.start({ onTemplate: () => undefined, onInvalidateAll: () => undefined })).rejects.toThrow(/is a mainnet address but the node is on regtest\.$/);
    expect(s.nodeSnapshot().state).toBe('error');
  });

  it('bad credentials: reported clearly (never the password), not fatal', async () => {
    const bus = new EventBus();
    const logs: string[] = [];
    bus.on('log', (e) => logs.push(e.text));
    const s = new NodeSource({ url: node.url, rpcUser: 'u', rpcPassword: 'wrong-secret-123', payoutAddress, dataDir: tmp(), bus, timers });
    await s.start({ onTemplate: () => undefined, onInvalidateAll: () => undefined });
    expect(s.nodeSnapshot()).toMatchObject({ state: 'error' });
    expect(s.nodeSnapshot().message).toMatch(/refused the RPC user name and password \(HTTP 401\)/);
    await s.stop();
    expect(logs.join('\n')).not.toContain('wrong-secret-123');
  });

  it('cookie auth: the cookie is re-read after a 401 (node restarted with a new cookie)', async () => {
    const dir = tmp();
    const cookie = path.join(dir, '.cookie');
    writeFileSync(cookie, '__cookie__:stale0000\n');
    const rpc = new RpcClient({ url: node.url, cookieFile: cookie });
    rpc.loadCredentials();
    writeFileSync(cookie, `__cookie__:${node.apiKey}\n`);
    expect(await rpc.call('getblockcount')).toBeGreaterThanOrEqual(0);

    const templates: WorkTemplate[] = [];
    const s = new NodeSource({ url: node.url, cookieFile: cookie, payoutAddress, dataDir: dir, bus: new EventBus(), timers });
    await s.start({ onTemplate: (t) => templates.push(t), onInvalidateAll: () => undefined });
    expect(templates.length).toBe(1);
    await s.stop();
  });

  it('connection refused: a clear message and retries, not a crash', async () => {
    await proxy.down();
    const s = new NodeSource({ url: `http://127.0.0.1:${proxy.port}`, rpcPassword: node.apiKey, payoutAddress, dataDir: tmp(), bus: new EventBus(), timers });
    const templates: WorkTemplate[] = [];
    await s.start({ onTemplate: (t) => templates.push(t), onInvalidateAll: () => undefined });
    expect(s.nodeSnapshot().message).toMatch(/Cannot connect to the node at http:\/\/127\.0\.0\.1:\d+ \(connection refused/);
    await proxy.up();
    await waitFor(() => templates.length >= 1, 'template after the node came up');
    expect(s.nodeSnapshot().state).toBe('active');
    await s.stop();
  });
});
