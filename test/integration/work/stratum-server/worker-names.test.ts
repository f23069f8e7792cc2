/**
 * The names network miners are listed under, through the real server on loopback: a miner that
 * authorises its session user and then `<user>.<board>` per board (as HashDeck's own Stratum client
 * does) is listed under the board names its shares come under, not also under the idle session user;
 * a miner that authorised once is listed before its first share.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '@shared/bus.js';
import { NetworkMinerStats } from '../../../../src-main/stats/network-miners.js';
import { StratumServer } from '../../../../src-main/work/stratum-server/server.js';
import { TestMiner } from '../../../fixtures/stratum/test-miner.js';
import { nodeTemplate } from '../../../fixtures/work/node-template.js';

const MIN = 1e-6;
const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function start(): Promise<{ port: number; stats: NetworkMinerStats }> {
  const stats = new NetworkMinerStats({ bus: new EventBus() });
  const t = nodeTemplate();
  const server = new StratumServer({
    host: '127.0.0.1',
    port: 0,
    minDifficulty: MIN,
    startDifficulty: MIN,
    backend: { kind: 'node', isTemplateLive: (x) => x.key === t.key, submit: () => undefined, chain: () => 'regtest' },
    miners: stats,
    log: () => undefined,
  });
  server.setTemplate(t);
  const { port } = await server.start();
  closers.push(() => server.stop());
  return { port, stats };
}

async function miner(port: number): Promise<TestMiner> {
  const m = await TestMiner.connect(port);
  closers.push(() => m.destroy());
  return m;
}

const listed = (stats: NetworkMinerStats) => stats.snapshots().map((s) => ({ worker: s.worker, connections: s.connections, sharesAccepted: s.sharesAccepted }));

describe('Stratum server: which worker names are listed', () => {
  it('a HashDeck miner (session user, then <user>.<board> before each board’s first share) is listed under its boards’ names only', async () => {
    const { port, stats } = await start();
    const bitaxe = await miner(port);
    await bitaxe.handshake({ user: 'bitaxe-living-room', suggestDifficulty: MIN });
    const hd = await miner(port);
    await hd.handshake({ user: 'kitchen', suggestDifficulty: MIN });
    // Before any share each connection is listed under the name it authorised.
    expect(listed(stats)).toEqual([
      { worker: 'bitaxe-living-room', connections: 1, sharesAccepted: 0 },
      { worker: 'kitchen', connections: 1, sharesAccepted: 0 },
    ]);
    for (const board of ['emu0', 'emu1']) {
      expect((await hd.reply(hd.send('mining.authorize', [`kitchen.${board}`, 'x']))).result).toBe(true);
      expect((await hd.reply(hd.submit(hd.grind(), `kitchen.${board}`))).result).toBe(true);
    }
    expect((await hd.reply(hd.submit(hd.grind(), 'kitchen.emu0'))).result).toBe(true);
    expect(listed(stats)).toEqual([
      { worker: 'bitaxe-living-room', connections: 1, sharesAccepted: 0 },
      { worker: 'kitchen.emu0', connections: 1, sharesAccepted: 2 },
      { worker: 'kitchen.emu1', connections: 1, sharesAccepted: 1 },
    ]);
    hd.destroy();
    await bitaxe.until(() => stats.snapshots().every((s) => s.worker.startsWith('bitaxe') || s.connections === 0), 5000, 'the HashDeck miner to leave');
    expect(listed(stats).map((s) => [s.worker, s.connections])).toEqual([
      ['bitaxe-living-room', 1],
      ['kitchen.emu0', 0],
      ['kitchen.emu1', 0],
    ]);
  });
});
