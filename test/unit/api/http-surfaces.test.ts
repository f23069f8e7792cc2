/**
 * AxeOS JSON and Prometheus /metrics as HTTP clients see them, mounted on a plain node:http server
 * (the real web server is another module). Values are checked against the engine double.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeosRoutes } from '../../../src-main/api/axeos/routes.js';
import { findRoute, type ApiRoute } from '../../../src-main/api/axeos/route.js';
import { formatDifficultyAxeOS } from '../../../src-main/api/axeos/difficulty-text.js';
import { metricsRoute } from '../../../src-main/api/metrics/registry.js';
import { EngineDouble, NOW_MS, makeSnapshot } from './fixtures/engine-double.js';

function serve(routes: ApiRoute[]): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const found = findRoute(routes, req.method ?? 'GET', url.pathname);
    if (!found) {
      res.writeHead(404).end();
      return;
    }
    void found.route.handler(req, res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

/** Minimal exposition-format reader: `name{labels} value` lines into a lookup. */
function parseExposition(text: string): { types: Map<string, string>; samples: Array<{ name: string; labels: Record<string, string>; value: number }> } {
  const types = new Map<string, string>();
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      types.set(name!, type!);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    expect(m, `bad exposition line: ${line}`).not.toBeNull();
    const labels: Record<string, string> = {};
    for (const lm of (m![3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[lm[1]!] = lm[2]!;
    samples.push({ name: m![1]!, labels, value: Number(m![4]) });
  }
  return { types, samples };
}

describe('AxeOS /api/system/info', () => {
  const engine = new EngineDouble();
  let srv: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    srv = await serve(axeosRoutes(engine, { hostname: 'testbox' }));
  });
  afterAll(() => srv.close());

  it('serves the first board in AxeOS units by default', async () => {
    const { status, body } = await getJson(`${srv.url}/api/system/info`);
    expect(status).toBe(200);
    const board = engine.current.boards[0]!;
    expect(body.hashRate).toBeCloseTo(board.hashrateHs / 1e9, 3); // GH/s
    expect(body.hashRate_1m).toBeCloseTo(430.25, 3);
    expect(body.hashRate_10m).toBeCloseTo(425.125, 3);
    expect(body.hashRate_1h).toBeCloseTo(420, 3);
    expect(body.expectedHashrate).toBeCloseTo(433.59, 3);
    expect(body).toMatchObject({
      power: 12.625,
      voltage: 5050, // mV
      current: 2500, // mA
      coreVoltageActual: 1198, // mV
      temp: 58.5,
      vrTemp: 61,
      fanspeed: 65,
      fanrpm: 4200,
      frequency: 485,
      sharesAccepted: 140,
      sharesRejected: 3,
      ASICModel: 'BM1366',
      asicCount: 1,
      smallCoreCount: 894,
      uptimeSeconds: 599,
      stratumURL: 'pool.example.com',
      stratumPort: 3333,
      stratumUser: 'bc1qexample.worker1',
      fallbackStratumURL: 'backup.example.org',
      fallbackStratumPort: 4443,
      isUsingFallbackStratum: 0,
      poolDifficulty: 1024,
      responseTime: 42.5,
      blockHeight: 820_000,
      hostname: 'testbox',
      boardId: 'bitaxe-1',
      emulated: false,
    });
    expect(body.errorPercentage).toBeCloseTo((10 / 5200) * 100, 3);
    // Two boards: the all-time best is not attributed to one board; session best "4.29G".
    expect(body.bestDiff).toBe('4.29G');
    expect(body.bestSessionDiff).toBe('4.29G');
    expect(body.sharesRejectedReasons).toEqual([]);
    expect(JSON.stringify(body)).not.toContain('secret');
  });

  it('selects a board with ?board= and /api/boards/<id>/system/info', async () => {
    const a = await getJson(`${srv.url}/api/system/info?board=emu-1`);
    const b = await getJson(`${srv.url}/api/boards/emu-1/system/info`);
    expect(a.status).toBe(200);
    expect(a.body).toEqual(b.body);
    expect(a.body).toMatchObject({ ASICModel: 'BM1370', smallCoreCount: 2040, asicCount: 2, emulated: true, scaleBits: 20, temp: 0, power: 0, bestSessionDiff: '12.3K', hashRate_10m: 0 });
    expect(a.body.hashRate).toBeCloseTo(0.0015, 6);
    const missing = await getJson(`${srv.url}/api/boards/nope/system/info`);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatch(/no board with id "nope"/);
  });

  it('serves the network miners as AxeOS-style JSON at /api/network-miners', async () => {
    const { status, body } = await getJson(`${srv.url}/api/network-miners`);
    expect(status).toBe(200);
    expect(body.stratumServer).toEqual({ host: '0.0.0.0', port: 3333, connections: 1, problem: null });
    expect(body.miners).toHaveLength(1);
    expect(body.miners[0]).toMatchObject({
      hostname: 'bitaxe-wifi',
      hashRate: 1050,
      hashRate_1m: 1100,
      hashRate_10m: 1000,
      hashRate_1h: 0,
      bestDiff: '7M',
      bestSessionDiff: '2.5M',
      poolDifficulty: 1500.5,
      sharesAccepted: 39,
      sharesRejected: 2,
      sharesRejectedReasons: [
        { message: 'Duplicate share', count: 1 },
        { message: 'Job not found (stale)', count: 1 },
      ],
      stratumURL: '0.0.0.0',
      stratumPort: 3333,
      stratumUser: 'bitaxe-wifi',
      id: 'net:bitaxe-wifi',
      network: true,
      connected: true,
      address: '192.168.1.42',
      userAgent: 'bitaxe/BM1370/v2.4.0',
      blockFound: 0,
    });
  });

  it('attributes the all-time best and reject reasons to the only board', async () => {
    const single = makeSnapshot();
    single.boards = [single.boards[0]!];
    const one = new EngineDouble(single);
    const s = await serve(axeosRoutes(one, { hostname: 'x' }));
    try {
      const { body } = await getJson(`${s.url}/api/system/info`);
      expect(body.bestDiff).toBe('98.8G');
      expect(body.sharesRejectedReasons).toEqual([
        { message: 'Above target', count: 3 },
        { message: 'Duplicate share', count: 1 },
      ]);
    } finally {
      await s.close();
    }
  });

  it('answers 503 with no boards', async () => {
    const empty = makeSnapshot();
    empty.boards = [];
    const s = await serve(axeosRoutes(new EngineDouble(empty)));
    try {
      const r = await getJson(`${s.url}/api/system/info`);
      expect(r.status).toBe(503);
    } finally {
      await s.close();
    }
  });
});

describe('AxeOS best-difficulty text', () => {
  it('follows the suffix rule: integer below 1000, then 3 significant digits', () => {
    expect(formatDifficultyAxeOS(0)).toBe('0');
    expect(formatDifficultyAxeOS(999.9)).toBe('999');
    expect(formatDifficultyAxeOS(1000)).toBe('1K');
    expect(formatDifficultyAxeOS(1234)).toBe('1.23K');
    expect(formatDifficultyAxeOS(12_345.678)).toBe('12.3K');
    expect(formatDifficultyAxeOS(123_456)).toBe('123K');
    expect(formatDifficultyAxeOS(1_500_000)).toBe('1.5M');
    expect(formatDifficultyAxeOS(4_294_967_296)).toBe('4.29G');
    expect(formatDifficultyAxeOS(2.5e12)).toBe('2.5T');
    expect(formatDifficultyAxeOS(67_305_906_902_031)).toBe('67.3T');
    expect(formatDifficultyAxeOS(999_600)).toBe('1M');
  });
});

describe('Prometheus /metrics', () => {
  const engine = new EngineDouble();
  let srv: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    srv = await serve([metricsRoute(engine)]);
  });
  afterAll(() => srv.close());

  it('exposes bitaxe_* and hashdeck_* series from the snapshot with board labels', async () => {
    const res = await fetch(`${srv.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const { types, samples } = parseExposition(await res.text());
    const find = (name: string, labels: Record<string, string> = {}) => samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    const val = (name: string, labels: Record<string, string> = {}) => {
      const hits = find(name, labels);
      expect(hits, `${name} ${JSON.stringify(labels)}`).toHaveLength(1);
      return hits[0]!.value;
    };
    const b0 = { board: 'bitaxe-1', model: 'bm1366', emulated: 'false' };
    const b1 = { board: 'emu-1', model: 'bm1370', emulated: 'true' };
    expect(val('bitaxe_hashrate', b0)).toBeCloseTo(421.5, 6);
    expect(val('bitaxe_power_watts', b0)).toBe(12.625);
    expect(val('bitaxe_current_milliamps', b0)).toBe(2500);
    expect(val('bitaxe_core_voltage_actual_mv', b0)).toBeCloseTo(1198, 6);
    expect(val('bitaxe_temperature_celsius', { ...b0, sensor: 'asic' })).toBe(58.5);
    expect(val('bitaxe_shares_accepted_total', b0)).toBe(140);
    expect(val('bitaxe_shares_rejected_total', b1)).toBe(1);
    expect(types.get('bitaxe_shares_accepted_total')).toBe('counter');
    expect(types.get('bitaxe_hashrate')).toBe('gauge');
    expect(val('bitaxe_uptime_seconds', b0)).toBe(599);
    // Absent sensors are absent series, not zeros.
    expect(find('bitaxe_power_watts', b1)).toHaveLength(0);
    expect(find('hashdeck_board_temperature_celsius', b1)).toHaveLength(0);

    expect(val('hashdeck_board_hashrate_hashes_per_second', b0)).toBe(421.5e9);
    expect(val('hashdeck_board_hashrate_window_hashes_per_second', { ...b0, window: '10m' })).toBe(425.125e9);
    expect(find('hashdeck_board_hashrate_window_hashes_per_second', { ...b1, window: '10m' })).toHaveLength(0);
    expect(val('hashdeck_board_hardware_errors_total', b0)).toBe(10);
    expect(val('hashdeck_board_frequency_hertz', b1)).toBe(525e6);
    expect(val('hashdeck_board_state', { ...b1, state: 'initialising' })).toBe(1);
    expect(val('hashdeck_board_up', b1)).toBe(0);
    expect(val('hashdeck_hashrate_hashes_per_second')).toBe(421.5015e9);
    expect(val('hashdeck_best_difficulty', { scope: 'all_time' })).toBe(98_765_432_109.5);
    expect(val('hashdeck_pool_shares_accepted_total', { pool: 'stratum+tcp://pool.example.com:3333' })).toBe(145);
    expect(val('hashdeck_pool_shares_rejected_reason_total', { reason: 'Above target' })).toBe(3);
    expect(val('hashdeck_pool_response_time_seconds', { priority: '0' })).toBeCloseTo(0.0425, 9);
    expect(val('hashdeck_network_height')).toBe(820_000);
    expect(val('hashdeck_uptime_seconds')).toBe((NOW_MS - engine.current.startedAtMs) / 1000);
    expect(samples.some((s) => Object.values(s.labels).some((v) => v.includes('secret')))).toBe(false);

    // Network miners: one series per worker.
    const w = { worker: 'bitaxe-wifi' };
    expect(val('hashdeck_stratum_server_connections')).toBe(1);
    expect(val('hashdeck_network_miner_connections', w)).toBe(1);
    expect(val('hashdeck_network_miner_hashrate_hashes_per_second', w)).toBe(1.05e12);
    expect(val('hashdeck_network_miner_hashrate_window_hashes_per_second', { ...w, window: '10m' })).toBe(1.0e12);
    expect(find('hashdeck_network_miner_hashrate_window_hashes_per_second', { ...w, window: '1h' })).toHaveLength(0);
    expect(val('hashdeck_network_miner_difficulty', w)).toBe(1500.5);
    expect(val('hashdeck_network_miner_shares_accepted_total', w)).toBe(39);
    expect(types.get('hashdeck_network_miner_shares_accepted_total')).toBe('counter');
    expect(val('hashdeck_network_miner_shares_rejected_reason_total', { ...w, reason: 'Duplicate share' })).toBe(1);
    expect(val('hashdeck_network_miner_best_difficulty', { ...w, scope: 'all_time' })).toBe(7_000_000.25);
    expect(val('hashdeck_network_miner_blocks_found_total', w)).toBe(0);
    expect(val('hashdeck_network_miner_last_seen_seconds', w)).toBe((NOW_MS - 3_000) / 1000);
  });

  it('reflects a new snapshot on the next scrape', async () => {
    const next = makeSnapshot();
    next.boards[0]!.counters.sharesAccepted = 141;
    next.boards[0]!.hashrateHs = 400e9;
    engine.current = next;
    const { samples } = parseExposition(await (await fetch(`${srv.url}/metrics`)).text());
    const acc = samples.find((s) => s.name === 'bitaxe_shares_accepted_total' && s.labels['board'] === 'bitaxe-1');
    const hr = samples.find((s) => s.name === 'bitaxe_hashrate' && s.labels['board'] === 'bitaxe-1');
    expect(acc?.value).toBe(141);
    expect(hr?.value).toBe(400);
  });
});
