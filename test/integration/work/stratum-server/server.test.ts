/**
 * HashDeck's Stratum server on loopback, in process, with a recording work source: message shapes,
 * every refusal code, version rolling, clean jobs to every miner at once, vardiff announcements, paying
 * the username's address, an extranonce change, time-outs, and a miner that leaves mid-share.
 * Miners are the independent test client (test/fixtures/stratum/test-miner.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Transaction } from 'bitcoinjs-lib';
import { EventBus } from '@shared/bus.js';
import { parsePayoutAddress } from '../../../../src-main/work/address.js';
import type { Share, WorkTemplate } from '../../../../src-main/work/job.js';
import { NetworkMinerStats } from '../../../../src-main/stats/network-miners.js';
import { StratumServer, type StratumServerOptions } from '../../../../src-main/work/stratum-server/server.js';
import { TestMiner, type MinerJob } from '../../../fixtures/stratum/test-miner.js';
import { nodeTemplate, REGTEST_PAYOUT } from '../../../fixtures/work/node-template.js';

const MIN = 1e-6;
const logs: string[] = [];

interface Harness {
  server: StratumServer;
  port: number;
  submitted: Share[];
  live: Set<string>;
  stats: NetworkMinerStats;
  feed(t: WorkTemplate): void;
}

const servers: StratumServer[] = [];
const miners: TestMiner[] = [];
afterEach(async () => {
  for (const m of miners.splice(0)) m.destroy();
  for (const s of servers.splice(0)) await s.stop();
});

async function start(o: Partial<StratumServerOptions> = {}, template: WorkTemplate | null = nodeTemplate()): Promise<Harness> {
  const submitted: Share[] = [];
  const live = new Set<string>();
  const stats = new NetworkMinerStats({ bus: new EventBus() });
  const server = new StratumServer({
    host: '127.0.0.1',
    port: 0,
    minDifficulty: MIN,
    startDifficulty: MIN,
    backend: { kind: 'node', isTemplateLive: (t) => live.has(t.key), submit: (s) => void submitted.push(s), chain: () => 'regtest' },
    miners: stats,
    log: (level, text) => void logs.push(`${level} ${text}`),
    ...o,
  });
  servers.push(server);
  const feed = (t: WorkTemplate) => {
    if (t.cleanJobs) live.clear();
    live.add(t.key);
    server.setTemplate(t);
  };
  if (template) feed(template);
  const { port } = await server.start();
  return { server, port, submitted, live, stats, feed };
}

async function miner(port: number): Promise<TestMiner> {
  const m = await TestMiner.connect(port);
  miners.push(m);
  return m;
}

function errorOf(r: { error: unknown }): [number, string] | null {
  return Array.isArray(r.error) ? [r.error[0] as number, r.error[1] as string] : null;
}

describe('Stratum server: handshake and message shapes', () => {
  it('answers configure, subscribe, authorize like a pool and then sends difficulty and a clean job', async () => {
    const h = await start();
    const m = await miner(h.port);
    const conf = m.send('mining.configure', [
      ['version-rolling', 'minimum-difficulty', 'subscribe-extranonce', 'info', 'x-unknown'],
      { 'version-rolling.mask': 'ffffffff', 'minimum-difficulty.value': 0.001 },
    ]);
    const sub = m.send('mining.subscribe', ['bitaxe/BM1370/v2.4.0']);
    const auth = m.send('mining.authorize', ['worker1', 'anything']);
    expect((await m.reply(conf)).result).toEqual({
      'version-rolling': true,
      'version-rolling.mask': '1fffe000',
      'minimum-difficulty': true,
      'subscribe-extranonce': true,
      info: true,
      'x-unknown': false,
    });
    const subscribed = (await m.reply(sub)).result as [Array<[string, string]>, string, number];
    expect(subscribed[1]).toMatch(/^[0-9a-f]{8}$/);
    expect(subscribed[2]).toBe(4);
    expect(subscribed[0]).toEqual([
      ['mining.set_difficulty', subscribed[1]],
      ['mining.notify', subscribed[1]],
    ]);
    expect((await m.reply(auth)).result).toBe(true);
    await m.until(() => m.notifications.some((n) => n.method === 'mining.notify'), 5000, 'notify');
    const methods = m.notifications.map((n) => n.method);
    expect(methods.slice(0, 2)).toEqual(['mining.set_difficulty', 'mining.notify']);
    // minimum-difficulty 0.001 became the floor.
    expect(m.notifications[0]!.params).toEqual([0.001]);
    expect(m.notifications[1]!.params).toHaveLength(9);
    expect(m.notifications[1]!.params[8]).toBe(true);
    // A narrower mask is granted as asked (requested AND 1fffe000).
    const m2 = await miner(h.port);
    const c2 = m2.send('mining.configure', [['version-rolling'], { 'version-rolling.mask': '00ffe000' }]);
    expect((await m2.reply(c2)).result).toEqual({ 'version-rolling': true, 'version-rolling.mask': '00ffe000' });
    const c3 = m2.send('mining.configure', [['version-rolling'], { 'version-rolling.mask': '00001fff' }]);
    expect((await m2.reply(c3)).result).toEqual({ 'version-rolling': false });
  });

  it('answers ping, extranonce.subscribe, unknown methods and garbage in pool shapes; every connection has its own extranonce1', async () => {
    const h = await start();
    const a = await miner(h.port);
    const b = await miner(h.port);
    await a.handshake({ user: 'a', suggestDifficulty: MIN });
    await b.handshake({ user: 'b', suggestDifficulty: MIN });
    expect(a.extranonce1).not.toBe(b.extranonce1);
    expect((await a.reply(a.send('mining.ping', []))).result).toBe('pong');
    expect((await a.reply(a.send('mining.extranonce.subscribe', []))).result).toBe(true);
    expect(errorOf(await a.reply(a.send('mining.get_transactions', [])))).toEqual([20, 'Unknown method mining.get_transactions']);
    a.sendRaw('{"id":77,"method":"mining.submit","params":["a","1"]}\n');
    expect(errorOf(await a.reply(77))?.[0]).toBe(20);
    // An oversized line is dropped unread, so its error carries no id; the connection lives on.
    a.sendRaw('{"id":78,"method":"mining.submit","params":["a","' + 'x'.repeat(20000) + '"]}\n');
    await a.until(() => a.anonymousErrors.length > 0, 5000, 'line too long');
    expect(a.anonymousErrors[0]).toEqual([20, 'Line too long', null]);
    expect((await a.reply(a.send('mining.ping', []))).result).toBe('pong');
    expect(a.replies.has(78)).toBe(false);
  });
});

describe('Stratum server: judging shares', () => {
  it('accepts a good share and refuses with 21, 22, 23, 24, 25 in the pool shapes', async () => {
    const h = await start();
    const pre = await miner(h.port);
    // 25: a submit before subscribe (the connection is then also not authorised).
    expect(errorOf(await pre.reply(pre.send('mining.submit', ['w', '1', '00000000', '00000000', '00000000'])))).toEqual([25, 'Not subscribed']);

    const m = await miner(h.port);
    await m.handshake({ user: 'w', suggestDifficulty: MIN });
    const good = m.grind();
    const ok = await m.reply(m.submit(good, 'w'));
    expect(ok.result).toBe(true);
    expect(ok.error).toBeNull();
    expect(errorOf(await m.reply(m.submit(good, 'w')))).toEqual([22, 'Duplicate share']);
    expect(errorOf(await m.reply(m.submit({ ...m.grind(), jobId: 'ffff' }, 'w')))).toEqual([21, 'Job not found']);
    expect(errorOf(await m.reply(m.submit(m.grind({ meets: false }), 'w')))).toEqual([23, 'Difficulty too low']);
    expect(errorOf(await m.reply(m.submit(m.grind(), 'someone-else')))).toEqual([24, 'Unauthorized worker']);
    const snap = h.stats.snapshots()[0]!;
    // The refused worker name is counted against the connection's miner.
    expect(snap).toEqual(
      expect.objectContaining({ worker: 'w', sharesAccepted: 1, sharesRejected: 4, rejectReasons: { 'Duplicate share': 1, 'Job not found': 1, 'Difficulty too low': 1, 'Unauthorized worker': 1 } }),
    );
    // Not a block and below the node's target: nothing for the work source.
    expect(h.submitted).toHaveLength(0);
  });

  it('takes version-rolled shares (6th param) inside the granted mask and refuses bits outside it', async () => {
    const h = await start();
    const m = await miner(h.port);
    await m.handshake({ user: 'w', suggestDifficulty: MIN });
    expect(m.versionMask).toBe(0x1fffe000);
    expect((await m.reply(m.submit(m.grind({ versionBits: 0x00b6a000 }), 'w'))).result).toBe(true);
    const outside = m.grind({ versionBits: 0x00000001 });
    expect(errorOf(await m.reply(m.submit(outside, 'w')))).toEqual([20, 'Version bits 00000001 outside the mask 1fffe000']);
  });

  it('a new block reaches every miner at once as a clean job, and shares for the old block are stale (21)', async () => {
    const h = await start();
    const ms = await Promise.all([1, 2, 3].map(() => miner(h.port)));
    await Promise.all(ms.map((m, i) => m.handshake({ user: `w${i}`, suggestDifficulty: MIN })));
    const old = ms.map((m) => m.grind());
    const before = ms.map((m) => m.latest!.jobId);
    h.feed(nodeTemplate({ key: 'node#2', height: 201, cleanJobs: true }));
    await Promise.all(ms.map((m, i) => m.until(() => m.latest!.jobId !== before[i], 5000, 'the new block')));
    for (const m of ms) expect(m.latest!.clean).toBe(true);
    expect(errorOf(await ms[0]!.reply(ms[0]!.submit(old[0]!, 'w0')))).toEqual([21, 'Job not found']);
    // A job the source stopped taking (without a clean notify yet) is stale too.
    const fresh = ms[1]!.grind();
    h.live.clear();
    expect(errorOf(await ms[1]!.reply(ms[1]!.submit(fresh, 'w1')))).toEqual([21, 'Job not found (stale)']);
  });

  it('a block from a network miner goes to the work source with the carved extranonce2, even when the miner leaves at once', async () => {
    const h = await start({}, nodeTemplate({ bits: '207fffff' }));
    const m = await miner(h.port);
    await m.handshake({ user: 'leaver', suggestDifficulty: MIN });
    const share = m.grind();
    m.submit(share, 'leaver');
    m.destroy(); // gone before the reply can arrive
    await m.until(() => h.submitted.length > 0, 5000, 'the block to reach the work source');
    const s = h.submitted[0]!;
    expect(s.boardId).toBe('net:leaver');
    expect(s.isBlockCandidate).toBe(true);
    expect(s.job.extranonce2.toString('hex')).toBe(m.extranonce1 + share.extranonce2);
    expect(Buffer.from(s.hash).reverse().toString('hex')).toBe(share.hashHex);
    expect(h.stats.snapshots()[0]).toMatchObject({ sharesAccepted: 1, connections: 0 });
  });

  it('raises the difficulty of a flooding miner with set_difficulty and the job under a new id; shares on older jobs still count', async () => {
    const h = await start();
    const m = await miner(h.port);
    await m.handshake({ user: 'fast', suggestDifficulty: MIN });
    const job: MinerJob = m.latest!;
    const shares = Array.from({ length: 8 }, () => m.grind({ job }));
    for (const s of shares.slice(0, 4)) expect((await m.reply(m.submit(s, 'fast'))).result).toBe(true);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await m.reply(m.submit(shares[4]!, 'fast'))).result).toBe(true);
    await m.until(() => m.difficulty > MIN, 5000, 'a higher difficulty');
    await m.until(() => m.latest!.jobId !== job.jobId, 5000, 'the job under a new id');
    expect(m.latest!.clean).toBe(false);
    // Shares ground on the old job at the old difficulty are still accepted.
    for (const s of shares.slice(5)) expect((await m.reply(m.submit(s, 'fast'))).result).toBe(true);
  });
});

describe('Stratum server: payouts, extranonce changes, time-outs', () => {
  it('--stratum-pay-username: an address username gets a coinbase paying it; anything else is refused at authorize', async () => {
    const h = await start({ payToUsername: true });
    const bad = await miner(h.port);
    bad.send('mining.subscribe', []);
    const r = await bad.reply(bad.send('mining.authorize', ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4.rig', 'x']));
    expect(errorOf(r)?.[0]).toBe(24);
    expect(errorOf(r)?.[1]).toMatch(/pays the address in your username.*mainnet address but the node is on regtest/);
    const nameOnly = await bad.reply(bad.send('mining.authorize', ['bitaxe-in-the-kitchen', 'x']));
    expect(errorOf(nameOnly)?.[1]).toMatch(/not a valid Bitcoin address/);

    const own = 'bcrt1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqc8gma6';
    const m = await miner(h.port);
    await m.handshake({ user: `${own}.rig`, suggestDifficulty: MIN });
    const j = m.latest!;
    const tx = Transaction.fromBuffer(Buffer.from(j.coinb1 + m.extranonce1 + '00'.repeat(m.extranonce2Size) + j.coinb2, 'hex'));
    expect(tx.outs[0]!.script.equals(parsePayoutAddress(own).script)).toBe(true);
    // A miner without its own address in the name pays the default.
    const plain = await miner(h.port);
    await plain.handshake({ user: `${REGTEST_PAYOUT}.other`, suggestDifficulty: MIN });
    const tx2 = Transaction.fromBuffer(Buffer.from(plain.latest!.coinb1 + plain.extranonce1 + '00'.repeat(plain.extranonce2Size) + plain.latest!.coinb2, 'hex'));
    expect(tx2.outs[0]!.script.equals(parsePayoutAddress(REGTEST_PAYOUT).script)).toBe(true);
    expect(h.stats.snapshots().find((s) => s.worker === `${own}.rig`)?.payoutAddress).toBe(own);
  });

  it('a new upstream extranonce: miners that subscribed get set_extranonce and a clean job, the others are closed', async () => {
    const pool = (en1: string, key: string): WorkTemplate => ({ ...nodeTemplate({ key }), sourceKind: 'stratum', extranonce1: Buffer.from(en1, 'hex'), extranonce2Size: 4 });
    const submitted: Share[] = [];
    const live = new Set<string>();
    const server = new StratumServer({
      host: '127.0.0.1',
      port: 0,
      minDifficulty: MIN,
      startDifficulty: MIN,
      backend: { kind: 'stratum', isTemplateLive: (t) => live.has(t.key), submit: (s) => void submitted.push(s), chain: () => null },
      miners: new NetworkMinerStats({ bus: new EventBus() }),
      log: () => {},
    });
    servers.push(server);
    live.add('p#1');
    server.setTemplate(pool('aabbccdd', 'p#1'));
    const { port } = await server.start();
    const follower = await miner(port);
    await follower.handshake({ user: 'f', suggestDifficulty: MIN, extranonceSubscribe: true });
    const other = await miner(port);
    await other.handshake({ user: 'o', suggestDifficulty: MIN });
    expect(follower.extranonce1).toMatch(/^aabbccdd[0-9a-f]{4}$/);
    expect(follower.extranonce2Size).toBe(2);
    const slot = follower.extranonce1.slice(8);
    live.clear();
    live.add('p#2');
    server.setTemplate({ ...pool('11223344', 'p#2'), cleanJobs: false });
    await follower.until(() => follower.notifications.some((n) => n.method === 'mining.set_extranonce'), 5000, 'set_extranonce');
    expect(follower.extranonce1).toBe('11223344' + slot);
    await follower.until(() => follower.latest!.clean, 5000, 'a clean job');
    await other.until(() => other.closed, 5000, 'the other miner to be closed');
    // The share maps back onto the pool's extranonce2: slot ‖ the miner's.
    const s = follower.grind();
    expect((await follower.reply(follower.submit(s, 'f'))).result).toBe(true);
  });

  it('a pool that leaves too little extranonce2 to share: the server says why, refuses subscribes, and the boards keep the whole space', async () => {
    const tight: WorkTemplate = { ...nodeTemplate({ key: 'p#tight' }), sourceKind: 'stratum', extranonce1: Buffer.from('aabbccdd', 'hex'), extranonce2Size: 2 };
    const h = await start({}, tight);
    expect(h.server.snapshot()?.problem).toMatch(/only 2 byte\(s\) of extranonce2, too few to share with network miners \(at least 3 are needed\)/);
    expect(logs.some((l) => l.startsWith('error') && /network miners get no work until it has more/.test(l))).toBe(true);
    expect(h.server.boardExtranonce2Prefix(tight).length).toBe(0);
    const m = await miner(h.port);
    const r = await m.reply(m.send('mining.subscribe', ['x']));
    expect(errorOf(r)?.[0]).toBe(20);
    expect(errorOf(r)?.[1]).toMatch(/too few to share/);
    await m.until(() => m.closed, 5000, 'the refused miner to be closed');
  });

  it('closes a connection that never subscribes, and one that sends only garbage', async () => {
    const h = await start({ limits: { handshakeTimeoutMs: 300 }, tickMs: 100 });
    const idle = await miner(h.port);
    await idle.until(() => idle.closed, 5000, 'the idle connection to be closed');
    const junk = await miner(h.port);
    junk.sendRaw('this is not json\n'.repeat(30));
    await junk.until(() => junk.closed, 5000, 'the garbage sender to be closed');
    expect(logs.some((l) => /too many malformed lines/.test(l))).toBe(true);
  });
});
