/**
 * The reconnect backoff is reset only by a session that proved healthy (an accepted share, or
 * healthyAfterMs of work), never by work alone: a pool that closes right after every notify is
 * redialled with growing, capped delays (docs/stratum-and-gbt.md §2). StratumSource ↔ the test
 * pool over loopback with shortened timers; the connection times are the pool's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '@shared/bus.js';
import { StratumSource } from '../../../../src-main/work/stratum/stratum-source.js';
import { StratumTestServer } from '../../../fixtures/stratum-server.js';
import { findShare, MinerHarness } from '../../../fixtures/stratum/miner-harness.js';

const USER = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080.rig1';
const TIMERS = { backoffBaseMs: 100, backoffMaxMs: 800, backoffJitter: 0, connectTimeoutMs: 2000, healthyAfterMs: 400, maxFailures: 3 };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A pool that drops each connection `afterMs` after its first job went out; connection times recorded. */
async function droppingPool(afterMs: () => number): Promise<{ srv: StratumTestServer; connectedAtMs: number[] }> {
  const srv = new StratumTestServer({ difficulty: 2 ** -20, mode: 'ckpool' });
  const connectedAtMs: number[] = [];
  srv.on('connection', () => connectedAtMs.push(Date.now()));
  srv.on('request', (r: { method: string }) => {
    // ckpool sends the job before the authorize reply: the session has work when this fires.
    if (r.method === 'mining.authorize') setTimeout(() => srv.dropConnections(), afterMs());
  });
  await srv.start();
  cleanups.push(() => srv.stop());
  return { srv, connectedAtMs };
}

async function mine(srv: StratumTestServer) {
  const bus = new EventBus();
  const harness = new MinerHarness(bus);
  const source = new StratumSource({ pools: [{ url: srv.url, user: USER }], bus, userAgent: 'hashdeck/test', stopDrainMs: 100, timers: TIMERS });
  cleanups.push(() => source.stop());
  await source.start(harness);
  return { harness, source };
}

const gaps = (at: number[]): number[] => at.slice(1).map((t, i) => t - at[i]!);
/** The retry delays the source announced, in seconds as shown ("retry in 0.4 s"). */
const announcedRetries = (harness: MinerHarness): string[] =>
  harness.events.flatMap((e) => (e.type === 'pool' && e.state === 'backoff' ? [/retry in ([\d.]+) s/.exec(e.detail ?? '')?.[1] ?? '?'] : []));

describe('reconnect storm', () => {
  it('a pool that closes right after each notify is redialled with doubling delays up to the cap, and the rate is shown', async () => {
    const { srv, connectedAtMs } = await droppingPool(() => 5);
    const { harness, source } = await mine(srv);
    await harness.until(() => connectedAtMs.length >= 6, 'six connections');
    const g = gaps(connectedAtMs);
    // 100, 200, 400, 800, 800 ms (plus connect time): each wait at least the backoff, never reset by work.
    expect(g[0]!).toBeGreaterThanOrEqual(100);
    expect(g[1]!).toBeGreaterThanOrEqual(200);
    expect(g[2]!).toBeGreaterThanOrEqual(400);
    expect(g[3]!).toBeGreaterThanOrEqual(800);
    expect(g[4]!).toBeGreaterThanOrEqual(800);
    expect(announcedRetries(harness).slice(0, 5)).toEqual(['0.1', '0.2', '0.4', '0.8', '0.8']);
    expect(harness.templates.length).toBeGreaterThanOrEqual(5);
    expect(source.poolSnapshots()[0]!.connectsLastHour).toBeGreaterThanOrEqual(6);
    const backoff = harness.events.filter((e) => e.type === 'pool' && e.state === 'backoff').at(-1);
    expect(backoff?.type === 'pool' && backoff.detail).toMatch(/retry in 0\.8 s \(\d+ connections in the last hour\)/);
  });

  it('a session that lived healthyAfterMs resets the backoff', async () => {
    let lifeMs = 5;
    const { srv, connectedAtMs } = await droppingPool(() => lifeMs);
    const { harness } = await mine(srv);
    await harness.until(() => connectedAtMs.length >= 4, 'four short sessions');
    // The next session lives past healthyAfterMs: the one after it comes at the base delay again.
    lifeMs = 600;
    const n = connectedAtMs.length;
    await harness.until(() => connectedAtMs.length >= n + 2, 'a long session and the next one');
    expect(connectedAtMs[n + 1]! - connectedAtMs[n]!).toBeGreaterThanOrEqual(600 + 100);
    // Failures had brought the delay to 0.8 s; the healthy session brought it back to the base.
    expect(announcedRetries(harness).slice(0, 3)).toEqual(['0.1', '0.2', '0.4']);
    expect(announcedRetries(harness).at(-1)).toBe('0.1');
  });

  it('an accepted share resets the backoff at once', async () => {
    let lifeMs = 5;
    const { srv, connectedAtMs } = await droppingPool(() => lifeMs);
    const { harness, source } = await mine(srv);
    await harness.until(() => connectedAtMs.length >= 4, 'four short sessions');
    // The next session stays until one of its shares is accepted, then the pool drops it.
    lifeMs = 60_000;
    srv.on('share', (s: { result: string }) => {
      if (s.result === 'accepted') setTimeout(() => srv.dropConnections(), 5);
    });
    const templatesBefore = harness.templates.length;
    await harness.until(() => srv.connectedClients === 1 && harness.templates.length > templatesBefore && source.isTemplateLive(harness.latest), 'work from a lasting session');
    const n = connectedAtMs.length;
    source.submitShare(findShare(harness.latest, { extranonce2: 7 }));
    await harness.until(() => srv.accepted === 1, 'share accepted');
    await harness.until(() => connectedAtMs.length >= n + 1, 'the next session');
    // Base delay (0.1 s) again, after the failures had doubled it.
    expect(announcedRetries(harness)).toContain('0.4');
    expect(announcedRetries(harness).at(-1)).toBe('0.1');
  });
});
