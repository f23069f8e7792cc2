/**
 * StratumSource ↔ the test pool over loopback, no chips: shares are found by brute force on a low
 * difficulty with the real header builder, and the pool validates each one on its own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '@shared/bus.js';
import { StratumSource, type StratumSourceOptions } from '../../../../src-main/work/stratum/stratum-source.js';
import { StratumTestServer, type StratumServerOptions } from '../../../fixtures/stratum-server.js';
import { findShare, MinerHarness } from '../../../fixtures/stratum/miner-harness.js';

/** 2^-20: about a million times easier than difficulty 1, ~2^12 hashes per share. */
const EASY = 2 ** -20;
const USER = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080.rig1';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(serverOptions: StratumServerOptions, sourceOptions: Partial<StratumSourceOptions> = {}, waitForWork = true) {
  const server = new StratumTestServer({ difficulty: EASY, ...serverOptions });
  await server.start();
  const bus = new EventBus();
  const harness = new MinerHarness(bus);
  server.on('share', () => harness.poke());
  server.on('request', () => harness.poke());
  server.on('disconnect', () => harness.poke());
  const source = new StratumSource({
    pools: [{ url: server.url, user: USER, password: 'secret-pw' }],
    bus,
    userAgent: 'hashdeck/0.1.0-test',
    timers: { backoffBaseMs: 50, backoffMaxMs: 200, connectTimeoutMs: 3000 },
    stopDrainMs: 500,
    ...sourceOptions,
  });
  cleanups.push(async () => {
    await source.stop();
    await server.stop();
  });
  await source.start(harness);
  if (waitForWork) await harness.until(() => harness.templates.length > 0, 'first template');
  return { server, bus, harness, source };
}

function poolTotals(source: StratumSource) {
  const p = source.poolSnapshots()[0]!;
  return { accepted: p.sharesAccepted, rejected: p.sharesRejected, stale: p.sharesStale };
}

describe('StratumSource session against a public-pool style server', () => {
  it('handshake order, fractional suggested difficulty, and accepted shares counted on both sides', async () => {
    const { server, harness, source } = await setup({ mode: 'public-pool' }, { suggestDifficulty: 0.0000015, extranonceSubscribe: true });
    // public-pool answers suggest_difficulty with set_difficulty and a clean job.
    await harness.until(() => harness.templates.some((t) => t.shareDifficulty === 0.0000015), 'template at the suggested difficulty');
    const methods = server.requests.map((r) => [r.id, r.method]);
    expect(methods.slice(0, 5)).toEqual([
      [1, 'mining.configure'],
      [2, 'mining.subscribe'],
      [3, 'mining.authorize'],
      [4, 'mining.suggest_difficulty'],
      [5, 'mining.extranonce.subscribe'],
    ]);
    expect(server.requests[0]!.params).toEqual([['version-rolling'], { 'version-rolling.mask': 'ffffffff' }]);
    expect(server.requests[1]!.params).toEqual(['hashdeck/0.1.0-test']);
    expect(server.requests[3]!.line).toContain('"params":[0.0000015]');
    const t = harness.latest;
    expect(t.extranonce2Size).toBe(4);
    expect(t.versionMask).toBe(0x1fffe000);
    expect(source.isTemplateLive(t)).toBe(true);

    // Five shares, some with rolled version bits.
    for (let i = 0; i < 5; i++) source.submitShare(findShare(harness.latest, { extranonce2: i, versionBits: i % 2 ? i << 13 : 0 }));
    await harness.until(() => harness.shareEvents('accepted').length === 5, 'five accepted shares');
    expect(server.accepted).toBe(5);
    expect(server.shares.filter((s) => s.versionBits !== '00000000').length).toBe(2);
    expect(poolTotals(source)).toEqual({ accepted: 5, rejected: 0, stale: 0 });
    const snap = source.poolSnapshots()[0]!;
    expect(snap).toMatchObject({ state: 'active', active: true, difficulty: 0.0000015, extranonce2Size: 4, versionMask: '1fffe000', payoutShare: 1 });
    expect(snap.responseTimeMs).not.toBeNull();
    expect(harness.shareEvents('pending').length).toBe(5);
  });

  it('never sends a duplicate; a share below target is rejected with the pool reason', async () => {
    const { server, harness, source } = await setup({ mode: 'public-pool' });
    const share = findShare(harness.latest, { extranonce2: 1 });
    source.submitShare(share);
    source.submitShare(share);
    source.submitShare(findShare(harness.latest, { extranonce2: 2, meets: false }));
    await harness.until(() => server.shares.length === 2 && harness.shareEvents().filter((e) => e.result !== 'pending').length === 2, 'two replies');
    expect(server.shares.map((s) => s.result).sort()).toEqual(['accepted', 'rejected']);
    expect(source.poolSnapshots()[0]!.rejectReasons).toEqual({ 'Difficulty too low': 1 });
    expect(poolTotals(source)).toEqual({ accepted: 1, rejected: 1, stale: 0 });
  });

  it('clean_jobs invalidates templates; old shares are stale locally and a clean race counts as stale', async () => {
    const { server, harness, source } = await setup({ mode: 'public-pool' });
    const old = harness.latest;
    const count = harness.templates.length;
    server.newJob({ clean: true, newBlock: true });
    await harness.until(() => harness.templates.length > count, 'clean job');
    expect(harness.latest.cleanJobs).toBe(true);
    expect(harness.invalidations).toContain('clean_jobs');
    expect(source.isTemplateLive(old)).toBe(false);
    expect(source.isTemplateLive(harness.latest)).toBe(true);
    source.submitShare(findShare(old, { extranonce2: 9 }));
    expect(poolTotals(source).stale).toBe(1);
    // Race: the pool drops its jobs before the client hears about it.
    server.newJob({ silentClean: true, newBlock: true });
    source.submitShare(findShare(harness.latest, { extranonce2: 10 }));
    await harness.until(() => poolTotals(source).stale === 2, 'stale reply');
    expect(server.shares.map((s) => s.reason)).toEqual(['Job not found']);
    expect(poolTotals(source)).toEqual({ accepted: 0, rejected: 0, stale: 2 });
  });

  it('answers ping and get_version, shows pool messages, survives garbage and oversized lines', async () => {
    const { server, harness, source } = await setup({ mode: 'public-pool' }, { maxLineBytes: 4096 });
    server.sendRequest('mining.ping', 77);
    server.sendRequest('client.get_version', 78);
    server.sendShowMessage('hello miners');
    server.sendRaw('this is not json\n{"id":null,"method":"mining.notify","params":[]}\n' + 'x'.repeat(10_000) + '\n');
    await harness.until(() => server.requests.filter((r) => r.method === '(reply)').length === 2, 'two replies from the client');
    const replies = server.requests.filter((r) => r.method === '(reply)').map((r) => JSON.parse(r.line));
    expect(replies).toEqual([
      { id: 77, result: 'pong', error: null },
      { id: 78, result: 'hashdeck/0.1.0-test', error: null },
    ]);
    await harness.until(() => harness.logs(/oversized/).length === 1, 'oversize log');
    expect(harness.logs(/malformed/).length).toBe(2);
    expect(source.poolSnapshots()[0]!.message).toBe('hello miners');
    source.submitShare(findShare(harness.latest, { extranonce2: 3 }));
    await harness.until(() => server.accepted === 1 && poolTotals(source).accepted === 1, 'share after garbage');
  });

  it('never logs the password', async () => {
    const { harness, source } = await setup({ mode: 'public-pool', authorize: (_u, p) => p === 'nope' }, {}, false);
    await harness.until(() => harness.logs(/refused worker/).length >= 2, 'two refused attempts');
    expect(harness.events.filter((e) => JSON.stringify(e).includes('secret-pw'))).toEqual([]);
    expect(harness.templates.length).toBe(0);
    expect(source.poolSnapshots()[0]!.state).toMatch(/backoff|connecting|subscribing/);
  }, 15_000);
});

describe('StratumSource against a ckpool style server', () => {
  it('work before the authorize reply, 8-byte extranonce2, reject-reason shape, integer suggest', async () => {
    const { server, harness, source } = await setup({ mode: 'ckpool' }, { suggestDifficulty: 2 });
    const t = harness.latest;
    expect(t.extranonce2Size).toBe(8);
    // The first notify came before the authorize reply and still made a template.
    const authorizeAt = server.requests.findIndex((r) => r.method === 'mining.authorize');
    expect(authorizeAt).toBe(2);
    // ckpool applies the integer suggestion to the next job; this one keeps the easy difficulty.
    expect(t.shareDifficulty).toBe(EASY);
    await harness.until(() => source.poolSnapshots()[0]!.difficulty === 2, 'suggested difficulty applied');
    for (let i = 0; i < 3; i++) source.submitShare(findShare(t, { extranonce2: i, versionBits: 0x2000 * (i + 1) }));
    source.submitShare(findShare(t, { extranonce2: 7, meets: false }));
    await harness.until(() => server.shares.length === 4 && poolTotals(source).accepted + poolTotals(source).rejected === 4, 'four replies');
    expect(server.accepted).toBe(3);
    expect(poolTotals(source)).toEqual({ accepted: 3, rejected: 1, stale: 0 });
    expect(source.poolSnapshots()[0]!.rejectReasons).toEqual({ 'Above target': 1 });
    expect(server.shares.every((s) => s.extranonce2.length === 16)).toBe(true);
  });

  it('refused version rolling: no 6th submit param, template mask 0', async () => {
    const { server, harness, source } = await setup({ mode: 'ckpool', versionMask: 0 });
    expect(harness.latest.versionMask).toBe(0);
    source.submitShare(findShare(harness.latest, { extranonce2: 1 }));
    await harness.until(() => server.accepted === 1, 'accepted');
    expect(server.shares[0]!.versionBits).toBeNull();
  });
});
