/**
 * Monitoring-surface latency on loopback, one request at a time (what a poller sees): cgminer
 * `summary` over TCP (median of 50), AxeOS /api/system/info and a /metrics scrape over HTTP.
 * The engine is the test double with a two-board snapshot, so only the API layer is measured.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { axeosRoutes } from '../src-main/api/axeos/routes.js';
import { findRoute } from '../src-main/api/axeos/route.js';
import { startCgminerApi } from '../src-main/api/cgminer/server.js';
import { metricsRoute } from '../src-main/api/metrics/registry.js';
import { EngineDouble } from '../test/unit/api/fixtures/engine-double.js';
import type { BenchRow } from './table.js';
import { median, quantile } from './helpers.js';

function cgminerRequest(port: number, request: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let bytes = 0;
    socket.on('data', (c: Buffer) => (bytes += c.length));
    socket.on('error', reject);
    socket.on('close', () => (bytes > 0 ? resolve(performance.now() - t0) : reject(new Error('empty reply'))));
  });
}

async function httpGet(url: string): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const res = await fetch(url);
  const body = await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
  return { ms: performance.now() - t0, bytes: body.byteLength };
}

export async function run(): Promise<BenchRow[]> {
  const engine = new EngineDouble();
  const rows: BenchRow[] = [];

  const api = await startCgminerApi({ engine, port: 0 });
  try {
    const request = JSON.stringify({ command: 'summary', parameter: '' });
    for (let i = 0; i < 5; i++) await cgminerRequest(api.port, request); // warm-up
    const times: number[] = [];
    for (let i = 0; i < 50; i++) times.push(await cgminerRequest(api.port, request));
    rows.push({ name: 'cgminer summary latency (median of 50)', value: median(times), unit: 'ms', note: 'connect + request + reply + close on loopback' });
    rows.push({ name: 'cgminer summary latency p90', value: quantile(times, 0.9), unit: 'ms' });
    const joined = [];
    for (let i = 0; i < 20; i++) joined.push(await cgminerRequest(api.port, '{"command":"summary+devs+pools+stats"}'));
    rows.push({ name: 'cgminer summary+devs+pools+stats (median of 20)', value: median(joined), unit: 'ms' });
  } finally {
    await api.close();
  }

  const routes = [...axeosRoutes(engine, { hostname: 'bench' }), metricsRoute(engine)];
  const server = http.createServer((req, res) => {
    const found = findRoute(routes, req.method ?? 'GET', new URL(req.url ?? '/', 'http://x').pathname);
    if (found) void found.route.handler(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    for (let i = 0; i < 3; i++) await httpGet(`${base}/api/system/info`);
    const info = [];
    for (let i = 0; i < 50; i++) info.push((await httpGet(`${base}/api/system/info`)).ms);
    rows.push({ name: 'AxeOS /api/system/info (median of 50)', value: median(info), unit: 'ms' });
    const scrapes = [];
    let bytes = 0;
    for (let i = 0; i < 20; i++) {
      const r = await httpGet(`${base}/metrics`);
      scrapes.push(r.ms);
      bytes = r.bytes;
    }
    rows.push({ name: '/metrics scrape, 2 boards (median of 20)', value: median(scrapes), unit: 'ms' });
    rows.push({ name: '/metrics exposition size, 2 boards', value: bytes, unit: 'bytes' });
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
  return rows;
}
