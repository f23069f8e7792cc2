/**
 * Solo mining against a real node: bcoin 1.0.2 regtest in a child process. NodeSource gets
 * templates, we brute-force nonces with the real header builder, and the node must accept the
 * blocks: before segwit activation (bcoin's rules [] quirk), after it (commitment + witness), and
 * with a real witness transaction from the mempool in the template.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ecc from '@bitcoinerlab/secp256k1';
import { Block, crypto as bcrypto, payments, script as bscript, Transaction } from 'bitcoinjs-lib';
import { EventBus } from '@shared/bus.js';
import type { EngineEvent } from '@shared/contract/index';
import { hashToDisplayHex } from '../../../../src-main/bitcoin/sha256d.js';
import type { Share, WorkTemplate } from '../../../../src-main/work/job.js';
import { NodeSource } from '../../../../src-main/work/node/node-source.js';
import { startBcoinRegtest, type BcoinRegtest } from '../../../fixtures/bcoin-regtest.js';
import { solveTemplate } from '../../../fixtures/node/solve.js';
import { waitFor } from '../../../fixtures/node/wait.js';

const BCOIN_REGTEST = { messagePrefix: '', bech32: 'rb', bip32: { public: 0, private: 0 }, pubKeyHash: 0x3c, scriptHash: 0x26, wif: 0x5a };
const privateKey = Buffer.alloc(32, 0x11);
const publicKey = Buffer.from(ecc.pointFromScalar(privateKey, true)!);
const payout = payments.p2wpkh({ pubkey: publicKey, network: BCOIN_REGTEST });

describe('NodeSource against bcoin regtest', () => {
  let node: BcoinRegtest;
  let source: NodeSource;
  let dataDir: string;
  const bus = new EventBus();
  const templates: WorkTemplate[] = [];
  const blocks: Extract<EngineEvent, { type: 'block' }>[] = [];
  bus.on('block', (e) => blocks.push(e));

  beforeAll(async () => {
    node = await startBcoinRegtest();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'hashdeck-node-'));
    // Long refresh: new tips must arrive through the longpoll, not the timer.
    source = new NodeSource({ url: node.url, rpcUser: 'hashdeck', rpcPassword: node.apiKey, payoutAddress: payout.address!, dataDir, bus, timers: { refreshMs: 600_000, retryMs: 100 } });
    await source.start({ onTemplate: (t) => templates.push(t), onInvalidateAll: () => undefined });
  });

  afterAll(async () => {
    await source?.stop();
    await node?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  let lastShare: Share | undefined;
  const latest = () => templates[templates.length - 1]!;

  it('mines block 1 before segwit activation (no commitment) and pays the payout address', async () => {
    expect(templates.length).toBe(1);
    const t = latest();
    expect(t.height).toBe(1);
    expect(t.cleanJobs).toBe(true);
    expect(t.coinb2.toString('hex')).not.toContain('6a24aa21a9ed'); // bcoin: rules [] → no commitment
    expect(source.nodeSnapshot()).toMatchObject({ state: 'active', chain: 'regtest', height: 0 });

    const share = solveTemplate(t);
    expect(source.isTemplateLive(t)).toBe(true);
    source.submitShare(share);
    await waitFor(() => blocks.length === 1, 'block event');
    expect(blocks[0]).toMatchObject({ height: 1, hash: hashToDisplayHex(share.hash), result: 'accepted', accepted: true, boardId: 'test-board' });

    expect(await node.rpc('getblockcount')).toBe(1);
    const raw = await node.rpc<string>('getblock', [blocks[0]!.hash, false]);
    const block = Block.fromHex(raw);
    const cb = block.transactions![0]!;
    expect(cb.outs.length).toBe(1);
    expect(cb.outs[0]!.script).toEqual(payout.output);
    expect(cb.outs[0]!.value).toBe(5_000_000_000);
    expect(cb.ins[0]!.script[0]).toBe(0x51); // BIP34 height 1 as OP_1
    expect(cb.ins[0]!.script.toString('latin1')).toContain('/HashDeck/');

    const files = readdirSync(path.join(dataDir, 'blocks'));
    expect(files).toEqual([`1-${blocks[0]!.hash}.json`]);
    const stored = JSON.parse(readFileSync(path.join(dataDir, 'blocks', files[0]!), 'utf8'));
    expect(stored).toMatchObject({ status: 'done', result: 'accepted', accepted: true, height: 1, hex: raw });
  });

  it('the longpoll brings the new tip with cleanJobs; a refresh on the same tip does not', async () => {
    await waitFor(() => latest().height === 2, 'template for height 2');
    // The longpoll answer and the refresh after the accepted block may both arrive: the first
    // template of the new tip cleans, later ones of the same tip do not.
    const tip2 = templates.filter((t) => t.height === 2);
    const t2 = tip2[0]!;
    expect(t2.cleanJobs).toBe(true);
    for (const t of tip2.slice(1)) expect(t.cleanJobs).toBe(false);
    expect(hashToDisplayHex(t2.prevHash)).toBe(blocks[0]!.hash);
    expect(source.isTemplateLive(templates[0]!)).toBe(false);
    const before = templates.length;
    await source.refreshTemplate();
    expect(templates.length).toBe(before + 1);
    expect(latest().cleanJobs).toBe(false);
    expect(latest().prevHash).toEqual(t2.prevHash);
    expect(source.isTemplateLive(t2)).toBe(true);
  });

  it('after segwit activates (height 432 on bcoin regtest) mines with commitment and a witness tx from the mempool', async () => {
    const other = payments.p2wpkh({ hash: Buffer.alloc(20, 7), network: BCOIN_REGTEST }).address!;
    await node.rpc('generatetoaddress', [440, other]);
    await waitFor(() => latest().height === 442, 'template for height 442');
    expect(latest().cleanJobs).toBe(true);
    expect(latest().coinb2.toString('hex')).toContain('6a24aa21a9ed');

    // Spend block 1's coinbase (ours, P2WPKH) with a real signature.
    const block1 = Block.fromHex(await node.rpc<string>('getblock', [blocks[0]!.hash, false]));
    const spend = new Transaction();
    spend.version = 2;
    spend.addInput(block1.transactions![0]!.getHash(), 0, 0xffffffff);
    spend.addOutput(payments.p2wpkh({ hash: Buffer.alloc(20, 8) }).output!, 5_000_000_000 - 100_000);
    const scriptCode = payments.p2pkh({ hash: bcrypto.hash160(publicKey) }).output!;
    const sighash = spend.hashForWitnessV0(0, scriptCode, 5_000_000_000, Transaction.SIGHASH_ALL);
    const sig = bscript.signature.encode(Buffer.from(ecc.sign(sighash, privateKey)), Transaction.SIGHASH_ALL);
    spend.setWitness(0, [sig, publicKey]);

    // bcoin rebuilds its cached template on a new tx only when the cached one is > 10 s old
    // (rpc.js bindChain); then it also answers pending longpolls. So the tx goes in after that.
    const waitMs = latest().createdAtMs + 12_000 - Date.now();
    if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
    const before = templates.length;
    await node.rpc('sendrawtransaction', [spend.toHex()]);
    await waitFor(async () => ((await node.rpc<string[]>('getrawmempool')) ?? []).includes(spend.getId()), 'tx in mempool');
    // No refresh timer here (600 s): the longpoll must deliver the changed template.
    await waitFor(() => templates.length > before && latest().merkleBranches.length === 1, 'template with the mempool tx');
    const t = latest();
    expect(t.cleanJobs).toBe(false);
    expect(hashToDisplayHex(t.merkleBranches[0]!)).toBe(spend.getId()); // txid, not wtxid

    const share = solveTemplate(t, 'board-2');
    lastShare = share;
    source.submitShare(share);
    await waitFor(() => blocks.length === 2, 'second block event');
    expect(blocks[1]).toMatchObject({ height: 442, result: 'accepted', accepted: true });
    const mined = Block.fromHex(await node.rpc<string>('getblock', [blocks[1]!.hash, false]));
    expect(mined.transactions!.length).toBe(2);
    expect(mined.transactions![1]!.getId()).toBe(spend.getId());
    const cb = mined.transactions![0]!;
    expect(cb.ins[0]!.witness).toEqual([Buffer.alloc(32)]);
    expect(cb.outs[0]!.script).toEqual(payout.output);
    expect(cb.outs[0]!.value).toBeGreaterThan(0);
    expect(mined.checkTxRoots()).toBe(true);
    expect(await node.rpc('getblockcount')).toBe(442);
  });

  it('submitting the same block again gets "duplicate" (bcoin: "rejected: duplicate"), which is still ours', async () => {
    expect(lastShare).toBeDefined();
    source.submitShare(lastShare!);
    await waitFor(() => blocks.length === 3, 'third block event');
    expect(blocks[2]).toMatchObject({ hash: blocks[1]!.hash, result: 'duplicate', accepted: true });
  });
});
