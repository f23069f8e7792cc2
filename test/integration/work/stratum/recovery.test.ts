/**
 * Extranonce changes, reconnects with share resubmission, failover and switching back, TLS, payout
 * check and block candidates: StratumSource ↔ test pools over loopback with shortened timers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '@shared/bus.js';
import { StratumSource, type StratumSourceOptions } from '../../../../src-main/work/stratum/stratum-source.js';
import type { StratumPoolConfig } from '../../../../src-main/work/stratum/pool-list.js';
import { StratumTestServer, type StratumServerOptions } from '../../../fixtures/stratum-server.js';
import { findShare, MinerHarness } from '../../../fixtures/stratum/miner-harness.js';

const EASY = 2 ** -20;
const USER = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080.rig1';
const FAST = { backoffBaseMs: 50, backoffMaxMs: 200, backoffJitter: 0, connectTimeoutMs: 2000 };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(options: StratumServerOptions = {}): Promise<StratumTestServer> {
  const s = new StratumTestServer({ difficulty: EASY, ...options });
  await s.start();
  cleanups.push(() => s.stop());
  return s;
}

async function client(pools: StratumPoolConfig[], options: Partial<StratumSourceOptions> = {}) {
  const bus = new EventBus();
  const harness = new MinerHarness(bus);
  const source = new StratumSource({ pools, bus, userAgent: 'hashdeck/test', stopDrainMs: 300, ...options, timers: { ...FAST, ...options.timers } });
  cleanups.push(() => source.stop());
  await source.start(harness);
  return { bus, harness, source };
}

const pool = (s: StratumTestServer, user = USER): StratumPoolConfig => ({ url: s.url, user, password: 'x' });
const totals = (source: StratumSource, i = 0) => {
  const p = source.poolSnapshots()[i]!;
  return { accepted: p.sharesAccepted, rejected: p.sharesRejected, stale: p.sharesStale };
};

describe('extranonce, version mask and reconnect requests', () => {
  it('set_extranonce invalidates work; the new extranonce1 is used and accepted', async () => {
    const srv = await server({ mode: 'public-pool' });
    const { harness, source } = await client([pool(srv)], { extranonceSubscribe: true });
    await harness.until(() => harness.templates.length > 0, 'work');
    const old = harness.latest;
    srv.setExtranonce('0badcafe');
    await harness.until(() => harness.latest.extranonce1.toString('hex') === '0badcafe', 'template with the new extranonce1');
    expect(harness.invalidations).toContain('pool set a new extranonce');
    expect(harness.latest.cleanJobs).toBe(true);
    expect(source.isTemplateLive(old)).toBe(false);
    source.submitShare(findShare(harness.latest, { extranonce2: 5 }));
    await harness.until(() => srv.accepted === 1 && totals(source).accepted === 1, 'accepted on the new extranonce');
    expect(srv.shares[0]!.extranonce1).toBe('0badcafe');
    expect(source.poolSnapshots()[0]!.extranonce1).toBe('0badcafe');
  });

  it('set_version_mask applies to the next template', async () => {
    const srv = await server({ mode: 'ckpool' });
    const { harness, source } = await client([pool(srv)]);
    await harness.until(() => harness.templates.length > 0, 'work');
    srv.setVersionMask(0x00ffe000);
    await harness.until(() => source.poolSnapshots()[0]!.versionMask === '00ffe000', 'mask in the snapshot');
    srv.newJob();
    await harness.until(() => harness.latest.versionMask === 0x00ffe000, 'template with the new mask');
    source.submitShare(findShare(harness.latest, { extranonce2: 1, versionBits: 0x00402000 }));
    await harness.until(() => srv.accepted === 1, 'accepted');
  });

  it('client.reconnect with a string port moves to the given port and invalidates work', async () => {
    const a = await server({ mode: 'ckpool' });
    const b = await server({ mode: 'ckpool' });
    const { harness, source } = await client([pool(a)]);
    await harness.until(() => harness.templates.length > 0, 'work');
    a.sendReconnect(['127.0.0.1', String(b.port), 0]);
    await harness.until(() => b.connectedClients === 1 && harness.templates.length > 1, 'work from the redirected port');
    expect(harness.invalidations).toContain('pool asked to reconnect');
    source.submitShare(findShare(harness.latest, { extranonce2: 2 }));
    await harness.until(() => b.accepted === 1 && totals(source).accepted === 1, 'accepted after reconnect');
    expect(a.shares.length).toBe(0);
  });
});

describe('shares found while reconnecting', () => {
  it('are resubmitted when the new session has the same extranonce1 and block', async () => {
    const srv = await server({ mode: 'ckpool', extranonce1: 'cafe0001' });
    const { harness, source } = await client([pool(srv)], { timers: { backoffBaseMs: 400 } });
    await harness.until(() => harness.templates.length > 0, 'work');
    const t = harness.latest;
    const share = findShare(t, { extranonce2: 3 });
    const connections = srv.connectionsTotal;
    srv.dropConnections();
    await harness.until(() => source.poolSnapshots()[0]!.state === 'backoff', 'backoff');
    expect(source.isTemplateLive(t)).toBe(true);
    source.submitShare(share);
    expect(srv.shares.length).toBe(0);
    await harness.until(() => totals(source).accepted === 1, 'resubmitted share accepted');
    expect(srv.connectionsTotal).toBe(connections + 1);
    expect(srv.accepted).toBe(1);
    expect(srv.shares[0]!.jobId).toBe(t.sourceJobId);
    expect(harness.logs(/resubmitting/).length).toBe(1);
    expect(source.isTemplateLive(t)).toBe(false);
  });

  it('are counted stale when the new session has another extranonce1', async () => {
    const srv = await server({ mode: 'public-pool' });
    const { harness, source } = await client([pool(srv)], { timers: { backoffBaseMs: 400 } });
    await harness.until(() => harness.templates.length > 0, 'work');
    const share = findShare(harness.latest, { extranonce2: 3 });
    srv.dropConnections();
    await harness.until(() => source.poolSnapshots()[0]!.state === 'backoff', 'backoff');
    source.submitShare(share);
    await harness.until(() => totals(source).stale === 1, 'stale');
    expect(harness.shareEvents('stale')[0]!.reason).toBe('new session has a different extranonce1');
    expect(srv.shares.length).toBe(0);
  });

  it('a silent pool is dropped after deadPoolMs and reconnected', async () => {
    const srv = await server({ mode: 'public-pool' });
    const { harness } = await client([pool(srv)], { timers: { deadPoolMs: 300 } });
    await harness.until(() => srv.connectionsTotal >= 2, 'reconnect after silence');
    expect(harness.logs(/no data for/).length).toBeGreaterThan(0);
  });
});

describe('failover', () => {
  it('moves to the backup after failures and switches back once the primary answers', async () => {
    const primary = await server({ mode: 'public-pool' });
    const backup = await server({ mode: 'ckpool' });
    const { harness, source } = await client([pool(primary), pool(backup)], { timers: { maxFailures: 2, primaryProbeMs: 300, probeTimeoutMs: 1000 } });
    await harness.until(() => harness.templates.length > 0, 'work from the primary');
    source.submitShare(findShare(harness.latest, { extranonce2: 1 }));
    await harness.until(() => primary.accepted === 1, 'primary share');

    await primary.stop();
    await harness.until(() => source.activePoolIndex === 1 && harness.latest.sourceId === backup.url, 'work from the backup');
    expect(harness.invalidations.some((r) => r.startsWith('failover to'))).toBe(true);
    expect(source.poolSnapshots()[0]!.state).toBe('dead');
    source.submitShare(findShare(harness.latest, { extranonce2: 2 }));
    source.submitShare(findShare(harness.latest, { extranonce2: 3 }));
    await harness.until(() => backup.accepted === 2 && totals(source, 1).accepted === 2, 'backup shares');

    await primary.start();
    await harness.until(() => source.activePoolIndex === 0 && harness.latest.sourceId === primary.url, 'back on the primary');
    expect(harness.invalidations.some((r) => r.startsWith('switching back'))).toBe(true);
    expect(source.poolSnapshots().map((p) => p.active)).toEqual([true, false]);
    source.submitShare(findShare(harness.latest, { extranonce2: 4 }));
    await harness.until(() => primary.accepted === 2 && totals(source, 0).accepted === 2, 'primary share after switching back');

    // Both sides agree on every count.
    expect(totals(source, 0)).toEqual({ accepted: primary.accepted, rejected: primary.rejected, stale: 0 });
    expect(totals(source, 1)).toEqual({ accepted: backup.accepted, rejected: backup.rejected, stale: 0 });
    expect(harness.events.filter((e) => e.type === 'pool' && e.state === 'active').length).toBeGreaterThanOrEqual(3);
  });
});

/** A loopback proxy to a pool; while holding, new connections are accepted but never forwarded (a pool that hangs). */
async function gate(targetPort: number) {
  const state = { holding: false, held: [] as Array<{ closed: boolean }> };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('error', () => {});
    if (state.holding) {
      const entry = { closed: false };
      state.held.push(entry);
      client.on('close', () => (entry.closed = true));
      client.resume(); // read and discard, so the miner's close is seen
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(upstream);
    const drop = () => [client, upstream].forEach((s) => s.destroy());
    upstream.on('error', drop).on('close', drop);
    client.on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  cleanups.push(close);
  const dropAll = () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  return { url: `stratum+tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`, state, dropAll };
}

describe('switching back while the backup reconnects', () => {
  it('closes the backup session still being brought up, so it cannot take over from the primary later', async () => {
    const primary = await server({ mode: 'public-pool' });
    await primary.stop();
    const backup = await server({ mode: 'ckpool' });
    const proxy = await gate(backup.port);
    // Long connect time-out: the hanging backup session is only closed if the switch back closes it.
    const { harness, source } = await client([pool(primary), { url: proxy.url, user: USER, password: 'x' }], { timers: { primaryProbeMs: 300, probeTimeoutMs: 1000, connectTimeoutMs: 60_000 } });
    await harness.until(() => source.activePoolIndex === 1 && harness.templates.at(-1)?.sourceId === proxy.url, 'work from the backup');

    proxy.state.holding = true;
    proxy.dropAll();
    await harness.until(() => proxy.state.held.length > 0, 'the backup reconnecting (and hanging)');
    await primary.start();
    await harness.until(() => source.activePoolIndex === 0 && harness.latest.sourceId === primary.url, 'back on the primary');
    await harness.until(() => proxy.state.held.every((h) => h.closed), 'the hanging backup session closed');
    expect(source.poolSnapshots().map((p) => p.active)).toEqual([true, false]);
  });
});

describe('TLS (stratum+ssl)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hashdeck-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
    ],
    { stdio: 'ignore' },
  );
  const key = readFileSync(path.join(dir, 'key.pem'));
  const cert = readFileSync(path.join(dir, 'cert.pem'));
  rmSync(dir, { recursive: true, force: true });
  const fingerprint = new X509Certificate(cert).fingerprint256;

  it('connects with a pinned fingerprint and mines', async () => {
    const srv = await server({ mode: 'public-pool', tls: { key, cert } });
    expect(srv.url.startsWith('stratum+ssl://')).toBe(true);
    const { harness, source } = await client([pool(srv)], { tls: { fingerprintSha256: fingerprint } });
    await harness.until(() => harness.templates.length > 0, 'work over TLS');
    source.submitShare(findShare(harness.latest, { extranonce2: 1 }));
    await harness.until(() => srv.accepted === 1 && totals(source).accepted === 1, 'accepted over TLS');
  });

  it('refuses a self-signed certificate by default and a wrong pin', async () => {
    const srv = await server({ mode: 'public-pool', tls: { key, cert } });
    const strict = await client([pool(srv)]);
    const pinned = await client([pool(srv)], { tls: { fingerprintSha256: 'ab'.repeat(32) } });
    await strict.harness.until(() => strict.harness.logs(/cannot connect.*self.signed/i).length > 0, 'self-signed refusal');
    await pinned.harness.until(() => pinned.harness.logs(/does not match the pinned/).length > 0, 'pin mismatch');
    expect(strict.harness.templates.length + pinned.harness.templates.length).toBe(0);
    expect(srv.requests.length).toBe(0);
  });

  it('accepts a self-signed certificate when allowed', async () => {
    const srv = await server({ mode: 'ckpool', tls: { key, cert } });
    const { harness } = await client([{ ...pool(srv), tls: { allowSelfSigned: true } }]);
    await harness.until(() => harness.templates.length > 0, 'work over TLS');
  });
});

describe('payout check and block candidates', () => {
  it('warns loudly when a solo pool pays the user less than half', async () => {
    const srv = await server({ mode: 'public-pool', payoutShare: 0.3 });
    const { harness, source } = await client([pool(srv)]);
    await harness.until(() => harness.events.some((e) => e.type === 'warning'), 'payout warning');
    const w = harness.events.find((e) => e.type === 'warning');
    expect(w?.type === 'warning' && w.warning.level).toBe('warn');
    expect(source.poolSnapshots()[0]!.payoutShare).toBeCloseTo(0.3, 6);
  });

  it('a user name that is not an address: no payout figure, no warning', async () => {
    const srv = await server({ mode: 'public-pool', payoutShare: 0.3 });
    const { harness, source } = await client([pool(srv, 'alice.rig1')]);
    await harness.until(() => harness.templates.length > 0, 'work');
    expect(source.poolSnapshots()[0]!.payoutShare).toBeNull();
    expect(harness.events.some((e) => e.type === 'warning')).toBe(false);
  });

  it('a share meeting the network target is logged as BLOCK CANDIDATE and reported when accepted', async () => {
    // nbits 1f00ffff = difficulty 2^-16: about one share in 16 at 2^-20 is a block.
    const srv = await server({ mode: 'ckpool', nbits: 0x1f00ffff });
    const { harness, source } = await client([pool(srv)]);
    await harness.until(() => harness.templates.length > 0, 'work');
    let share = findShare(harness.latest, { extranonce2: 0 });
    for (let en2 = 1; !share.isBlockCandidate; en2++) share = findShare(harness.latest, { extranonce2: en2 });
    source.submitShare(share);
    await harness.until(() => harness.events.some((e) => e.type === 'block'), 'block event');
    const block = harness.events.find((e) => e.type === 'block');
    expect(srv.shares[0]!.isBlock).toBe(true);
    expect(block).toMatchObject({ type: 'block', accepted: true, result: 'accepted', height: harness.latest.height });
    expect(harness.latest.height).toBeGreaterThan(840_000);
    expect(block?.type === 'block' && block.hash).toBe(srv.shares[0]!.hashHex);
    expect(harness.logs(/BLOCK CANDIDATE/).length).toBe(2);
    expect(harness.events.some((e) => e.type === 'log' && e.level === 'error' && /BLOCK CANDIDATE/.test(e.text))).toBe(true);
  });
});
