/**
 * The engine watching AxeOS devices: fake devices on 127.0.0.1 (test/fixtures/axeos), polled by
 * the real engine. Checks the snapshot, the ledger samples under the device id, the requests
 * "restart" and "mine to this HashDeck" send (method, path, body), and that a read-only web
 * dashboard refuses both while the desktop-style (full access) path runs them. Nothing leaves
 * loopback: the Stratum server address is 127.0.0.1 too.
 */
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { engineMessageSchema, type AxeosDeviceSnapshot, type AxeosPoolPlan, type EngineCommand } from '@shared/contract';
import { Engine } from '../../../src-main/engine/engine.js';
import { parseAxeosAddresses } from '../../../src-main/fleet/address.js';
import { startHttpServer, type RunningHttpServer } from '../../../src-main/api/http/server.js';
import { FakeAxeosDevice } from '../../fixtures/axeos/fake-device.js';
import { tempDir } from '../../helpers/cli.js';
import type { WorkSource } from '../../../src-main/work/source.js';

const STRATUM = { host: '127.0.0.1', port: 0 };

/** Work to serve without handing any out: the Stratum server needs a source, these tests need only its address. */
const idleSource: WorkSource = {
  kind: 'node',
  start: async () => undefined,
  stop: async () => undefined,
  isTemplateLive: () => false,
  submitShare: () => undefined,
  poolSnapshots: () => [],
  nodeSnapshot: () => null,
};

let gamma: FakeAxeosDevice;
let fork: FakeAxeosDevice;
let engine: Engine | null = null;

beforeAll(async () => {
  gamma = new FakeAxeosDevice('esp-miner');
  fork = new FakeAxeosDevice('fork');
  await gamma.start();
  await fork.start();
});

afterAll(async () => {
  await gamma.close();
  await fork.close();
});

afterEach(async () => {
  await engine?.stop();
  engine = null;
  gamma.behaviour = 'ok';
});

async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function startEngine(addresses: string[], extra: { dataDir?: string | null; serveStratum?: typeof STRATUM } = {}): Engine {
  const e = new Engine({
    boards: [],
    source: extra.serveStratum ? idleSource : null,
    mode: 'idle',
    frequencyMhz: null,
    ticketDifficulty: null,
    dataDir: extra.dataDir ?? null,
    sampleIntervalMs: 100,
    axeos: { devices: parseAxeosAddresses(addresses), intervalMs: 100, timeoutMs: 500, maxBackoffMs: 400 },
    ...(extra.serveStratum ? { serveStratum: extra.serveStratum } : {}),
  });
  engine = e;
  return e;
}

const device = (e: Engine, id: string): AxeosDeviceSnapshot | undefined => e.snapshot().axeosDevices.find((d) => d.id === id);
const idOf = (f: FakeAxeosDevice): string => `axeos:127.0.0.1:${f.port}`;

describe('the engine polls AxeOS devices', () => {
  it('with none given it watches nothing', async () => {
    const e = startEngine([]);
    await e.start();
    expect(e.snapshot().axeosDevices).toEqual([]);
  });

  it('shows ESP-Miner and fork devices beside the boards, and samples them into the ledger', async () => {
    const e = startEngine([gamma.address, fork.address], { dataDir: tempDir(), serveStratum: STRATUM });
    await e.start();
    await until('both devices online', () => e.snapshot().axeosDevices.every((d) => d.state === 'online'));
    const g = device(e, idOf(gamma))!;
    expect(g).toMatchObject({
      hostname: 'bitaxe-gamma',
      asicModel: 'BM1370',
      deviceModel: 'Gamma',
      firmwareVersion: 'v2.12.0',
      frequencyMhz: 525,
      fanRpm: 5520,
      fanPercent: 62,
      asicTempC: 57.25,
      vrTempC: 48,
      uptimeS: 93_784,
      miningHere: false,
    });
    expect(g.hashrateHs).toBeCloseTo(1180.52e9, 0);
    expect(g.pool).toEqual({ url: 'pool.example.com', port: 3333, user: 'bc1qexampleaddress.gamma', usingFallback: false });
    const f = device(e, idOf(fork))!;
    expect(f).toMatchObject({ hostname: 'nerdqaxe', vrTempC: null, fanRpm: null, deviceModel: 'NerdQAxe++', firmwareVersion: 'v1.0.36' });
    expect(f.bestDifficultyAllTime).toBeCloseTo(4.29e9, 0);
    // The snapshot crosses process boundaries: it must satisfy the contract.
    expect(() => engineMessageSchema.parse({ kind: 'snapshot', snapshot: e.snapshot() })).not.toThrow();

    let points: Array<{ hashrateHs: number | null; powerW: number | null }> = [];
    await until('ledger samples for the device', () => {
      void e.command({ type: 'getHistory', range: '1h', boardId: idOf(gamma) }).then((h) => (points = (h as { points: typeof points }).points));
      return points.length > 0;
    });
    expect(points[0]!.hashrateHs).toBeCloseTo(1180.52e9, 0);
    expect(points[0]!.powerW).toBeCloseTo(18.912345, 6);
  });

  it('a device that stops answering, answers garbage or floods is shown as such; the engine keeps going', async () => {
    const e = startEngine([gamma.address]);
    await e.start();
    await until('online', () => device(e, idOf(gamma))?.state === 'online');
    gamma.behaviour = 'garbage';
    await until('error state', () => device(e, idOf(gamma))?.state === 'error');
    expect(device(e, idOf(gamma))!.stateDetail).toContain('did not answer JSON');
    gamma.behaviour = 'oversized';
    await until('too large', () => device(e, idOf(gamma))?.stateDetail?.includes('more than') === true);
    gamma.behaviour = 'hang';
    await until('unreachable', () => device(e, idOf(gamma))?.state === 'unreachable');
    expect(device(e, idOf(gamma))!.hashrateHs).toBeNull();
    gamma.behaviour = 'ok';
    await until('online again', () => device(e, idOf(gamma))?.state === 'online');
    expect(device(e, idOf(gamma))!.failures).toBe(0);
  });

  it('an address where nothing listens is unreachable, with growing backoff', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    const port = (s.address() as { port: number }).port;
    await new Promise<void>((r) => s.close(() => r()));
    const e = startEngine([`127.0.0.1:${port}`]);
    await e.start();
    await until('two failed polls', () => (e.snapshot().axeosDevices[0]?.failures ?? 0) >= 2);
    expect(e.snapshot().axeosDevices[0]).toMatchObject({ state: 'unreachable', stateDetail: 'connection refused (nothing listens on that port)', hostname: null });
  });

  it('setAxeosDevices changes the list live and refuses a bad address in one sentence', async () => {
    const e = startEngine([gamma.address]);
    await e.start();
    expect(await e.command({ type: 'setAxeosDevices', devices: [gamma.address, fork.address] })).toEqual({ devices: [gamma.address, fork.address] });
    await until('the new device online', () => device(e, idOf(fork))?.state === 'online');
    await e.command({ type: 'setAxeosDevices', devices: [fork.address] });
    expect(e.snapshot().axeosDevices.map((d) => d.id)).toEqual([idOf(fork)]);
    await expect(e.command({ type: 'setAxeosDevices', devices: ['https://x'] })).rejects.toThrow('plain HTTP');
    expect(e.snapshot().axeosDevices.map((d) => d.id)).toEqual([idOf(fork)]);
  });
});

describe('writes to AxeOS devices', () => {
  it('restart sends POST /api/system/restart', async () => {
    const e = startEngine([gamma.address]);
    await e.start();
    const before = gamma.restarts;
    expect(await e.command({ type: 'axeosRestart', deviceId: idOf(gamma) })).toEqual({ restarting: true });
    expect(gamma.restarts).toBe(before + 1);
    expect(gamma.requestsTo('POST', '/api/system/restart').at(-1)!.body).toBe('');
    await expect(e.command({ type: 'axeosRestart', deviceId: 'axeos:nope' })).rejects.toThrow('no AxeOS device "axeos:nope"');
  });

  it('"mine to this HashDeck" shows old → new, then PATCHes exactly that and restarts the device', async () => {
    gamma.info = new FakeAxeosDevice().info;
    const e = startEngine([gamma.address], { serveStratum: STRATUM });
    await e.start();
    await until('online', () => device(e, idOf(gamma))?.state === 'online');
    // The port the server is bound to (0 asked for any free one).
    const port = e.snapshot().stratumServer!.port;
    expect(port).toBeGreaterThan(0);
    const plan = (await e.command({ type: 'axeosPoolPlan', deviceId: idOf(gamma) })) as AxeosPoolPlan;
    expect(plan.changes).toEqual([
      { field: 'stratumURL', from: 'pool.example.com', to: '127.0.0.1' },
      { field: 'stratumPort', from: '3333', to: String(port) },
      { field: 'stratumUser', from: 'bc1qexampleaddress.gamma', to: 'bc1qexampleaddress.gamma' },
    ]);
    // A confirmation for something else is refused, and nothing is sent.
    const patchesBefore = gamma.requestsTo('PATCH', '/api/system').length;
    await expect(e.command({ type: 'axeosMineHere', deviceId: idOf(gamma), expected: { ...plan.patch, stratumPort: 9999 } })).rejects.toThrow('review it again');
    expect(gamma.requestsTo('PATCH', '/api/system')).toHaveLength(patchesBefore);

    const restarts = gamma.restarts;
    expect(await e.command({ type: 'axeosMineHere', deviceId: idOf(gamma), expected: plan.patch })).toEqual({ patched: true, restarting: true });
    const patch = gamma.requestsTo('PATCH', '/api/system').at(-1)!;
    expect(JSON.parse(patch.body)).toEqual({ stratumURL: '127.0.0.1', stratumPort: port, stratumUser: 'bc1qexampleaddress.gamma' });
    expect(patch.headers['content-type']).toBe('application/json');
    expect(gamma.restarts).toBe(restarts + 1);
    // The PATCH came before the restart.
    const order = gamma.requests
      .filter((r) => r.method !== 'GET')
      .slice(-2)
      .map((r) => `${r.method} ${r.path}`);
    expect(order).toEqual(['PATCH /api/system', 'POST /api/system/restart']);
    await until('the device reports mining here', () => device(e, idOf(gamma))?.miningHere === true);
    await expect(e.command({ type: 'axeosPoolPlan', deviceId: idOf(gamma) })).rejects.toThrow('already mines to this HashDeck');
  });

  it('without a Stratum server there is nothing to point the device at', async () => {
    const e = startEngine([gamma.address]);
    await e.start();
    await until('online', () => device(e, idOf(gamma))?.state === 'online');
    expect(device(e, idOf(gamma))!.miningHere).toBeNull();
    await expect(e.command({ type: 'axeosPoolPlan', deviceId: idOf(gamma) })).rejects.toThrow('--serve-stratum');
  });
});

describe('write access on the web dashboard', () => {
  let servers: RunningHttpServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
  });

  async function overWebSocket(server: RunningHttpServer, command: EngineCommand): Promise<{ ok: boolean; error?: string; result?: unknown }> {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { headers: { host: `127.0.0.1:${server.port}` } });
    try {
      await new Promise((r, j) => ws.once('open', r).once('error', j));
      return await new Promise((resolve) => {
        ws.on('message', (d) => {
          const m = engineMessageSchema.parse(JSON.parse(d.toString()));
          if (m.kind === 'reply' && m.id === 41) resolve(m);
        });
        ws.send(JSON.stringify({ kind: 'request', id: 41, command }));
      });
    } finally {
      ws.close();
    }
  }

  it('a read-only dashboard refuses restart and mine-here (the device sees nothing); reading the plan is allowed', async () => {
    gamma.info = new FakeAxeosDevice().info;
    const e = startEngine([gamma.address], { serveStratum: STRATUM });
    await e.start();
    await until('online', () => device(e, idOf(gamma))?.state === 'online');
    const dir = tempDir();
    const readOnly = await startHttpServer({ engine: e, host: '127.0.0.1', port: 0, staticDir: dir, snapshotIntervalMs: 60_000 });
    const writable = await startHttpServer({ engine: e, host: '127.0.0.1', port: 0, staticDir: dir, snapshotIntervalMs: 60_000, allowWrites: true });
    servers = [readOnly, writable];
    const writesBefore = gamma.requests.filter((r) => r.method !== 'GET').length;

    const restart = await overWebSocket(readOnly, { type: 'axeosRestart', deviceId: idOf(gamma) });
    expect(restart).toMatchObject({ ok: false, error: 'axeosRestart refused: this dashboard is read-only (the engine was started without write access)' });
    const plan = await overWebSocket(readOnly, { type: 'axeosPoolPlan', deviceId: idOf(gamma) });
    expect(plan.ok).toBe(true);
    const patch = (plan.result as AxeosPoolPlan).patch;
    expect((await overWebSocket(readOnly, { type: 'axeosMineHere', deviceId: idOf(gamma), expected: patch })).error).toMatch(/^axeosMineHere refused: .*read-only/);
    expect((await overWebSocket(readOnly, { type: 'setAxeosDevices', devices: [] })).error).toMatch(/^setAxeosDevices refused/);
    expect(gamma.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);
    expect(e.snapshot().axeosDevices).toHaveLength(1);

    // With --allow-writes the same request goes through.
    expect(await overWebSocket(writable, { type: 'axeosRestart', deviceId: idOf(gamma) })).toMatchObject({ ok: true, result: { restarting: true } });
    expect(gamma.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore + 1);
  });
});
