/**
 * Which names a connection's miner is listed under (listing.ts): the names it submits shares under;
 * before its first share, the first name it authorised. Checked against the real statistics.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '@shared/bus.js';
import { NetworkMinerStats } from '../../../../src-main/stats/network-miners.js';
import { MinerListing } from '../../../../src-main/work/stratum-server/listing.js';

const T0 = 1_760_000_000_000;
const arrival = (worker: string, connectionId: number, atMs = T0) => ({ worker, connectionId, address: '192.168.1.42', userAgent: 'hashdeck/0.1.0', payoutAddress: null, difficulty: 0.5, atMs });
const share = (atMs: number) => ({ creditedDifficulty: 0.5, difficulty: 0.7, hash: 'ab'.repeat(32), isBlock: false, atMs });
const refusal = (atMs: number) => ({ reason: 'Difficulty too low', stale: false, difficulty: 0.1, targetDifficulty: 0.5, atMs });

function setUp(): { stats: NetworkMinerStats; listing: MinerListing; names: () => string[] } {
  const stats = new NetworkMinerStats({ bus: new EventBus(), nowMs: () => T0 + 60_000 });
  return { stats, listing: new MinerListing(stats), names: () => stats.snapshots().map((m) => m.worker) };
}

describe('network miner listing per connection', () => {
  it('a miner that authorised once is listed before its first share, and stays listed after it leaves', () => {
    const { stats, listing, names } = setUp();
    listing.connected(arrival('bitaxe-living-room', 1));
    expect(stats.snapshots()).toEqual([expect.objectContaining({ worker: 'bitaxe-living-room', connections: 1, sharesAccepted: 0 })]);
    listing.difficulty(1, 2);
    listing.disconnected(1, T0 + 30_000);
    expect(stats.snapshots()).toEqual([expect.objectContaining({ worker: 'bitaxe-living-room', connections: 0, difficulty: 2 })]);
    listing.accepted(1, 'bitaxe-living-room', share(T0 + 31_000));
    expect(names()).toEqual(['bitaxe-living-room']);
  });

  it('the session user gives way to the <user>.<board> names the shares come under; each board is its own miner on the connection', () => {
    const { stats, listing, names } = setUp();
    listing.connected(arrival('kitchen', 1));
    expect(names()).toEqual(['kitchen']);
    listing.accepted(1, 'kitchen.emu0', share(T0 + 10_000));
    expect(names()).toEqual(['kitchen.emu0']);
    listing.rejected(1, 'kitchen.emu1', refusal(T0 + 11_000));
    listing.accepted(1, 'kitchen.emu1', share(T0 + 12_000));
    listing.accepted(1, 'kitchen.emu0', share(T0 + 13_000));
    // A share under a worker the connection never authorised counts against its first listed name.
    listing.rejected(1, null, refusal(T0 + 14_000));
    listing.difficulty(1, 4);
    expect(stats.snapshots()).toEqual([
      expect.objectContaining({ worker: 'kitchen.emu0', connections: 1, sharesAccepted: 2, sharesRejected: 1, difficulty: 4, firstSeenAtMs: T0, userAgent: 'hashdeck/0.1.0' }),
      expect.objectContaining({ worker: 'kitchen.emu1', connections: 1, sharesAccepted: 1, sharesRejected: 1, difficulty: 4 }),
    ]);
    expect(stats.snapshots()[0]!.hashrateHs).toBeGreaterThan(0);
    listing.disconnected(1, T0 + 20_000);
    expect(stats.snapshots().map((m) => [m.worker, m.connections])).toEqual([
      ['kitchen.emu0', 0],
      ['kitchen.emu1', 0],
    ]);
  });

  it('the first name stays when it submits first; another name then joins it', () => {
    const { listing, names } = setUp();
    listing.connected(arrival('rig.a', 1));
    listing.accepted(1, 'rig.a', share(T0 + 1_000));
    listing.accepted(1, 'rig.b', share(T0 + 2_000));
    expect(names()).toEqual(['rig.a', 'rig.b']);
  });

  it('a withdrawn name that another connection still mines under, or that has shares of its own, stays listed', () => {
    const { stats, listing } = setUp();
    listing.connected(arrival('shared', 1));
    listing.connected(arrival('shared', 2));
    listing.accepted(1, 'shared.emu0', share(T0 + 1_000));
    expect(stats.snapshots().map((m) => [m.worker, m.connections])).toEqual([
      ['shared', 1],
      ['shared.emu0', 1],
    ]);
    listing.accepted(2, 'shared', share(T0 + 2_000));
    listing.disconnected(2, T0 + 3_000);
    listing.connected(arrival('shared', 3));
    listing.accepted(3, 'shared.emu1', share(T0 + 4_000));
    expect(stats.snapshots().map((m) => [m.worker, m.connections, m.sharesAccepted])).toEqual([
      ['shared', 0, 1],
      ['shared.emu0', 1, 1],
      ['shared.emu1', 1, 1],
    ]);
  });
});
