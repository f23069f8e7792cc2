import { mkdtempSync, mkdirSync, writeFileSync, rmSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { engineMessageSchema, engineSnapshotSchema, type EngineMessage } from '@shared/contract/index';
import { startHttpServer, type RunningHttpServer } from '../../../../src-main/api/http/server.js';
import { resolveStaticPath } from '../../../../src-main/api/http/static-files.js';
import { createFakeEngine, fakeSnapshot, type FakeEngine } from '../../../e2e/fake-engine.js';

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw request so that Host and Origin can be forged (fetch would not allow it). */
function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens /ws and collects messages; resolves the handshake outcome (status on refusal). */
function openWs(
  port: number,
  headers: Record<string, string> = {},
  path = '/ws',
): Promise<{ ws: WebSocket; messages: EngineMessage[]; next(pred: (m: EngineMessage) => boolean): Promise<EngineMessage> } | { refused: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers: { host: `127.0.0.1:${port}`, ...headers } });
    const messages: EngineMessage[] = [];
    const waiters: Array<{ pred: (m: EngineMessage) => boolean; resolve: (m: EngineMessage) => void }> = [];
    ws.on('message', (d) => {
      const m = engineMessageSchema.parse(JSON.parse(d.toString()));
      messages.push(m);
      for (const w of [...waiters]) {
        if (!w.pred(m)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    });
    ws.on('unexpected-response', (_req, res) => resolve({ refused: res.statusCode ?? 0 }));
    ws.on('error', () => {});
    ws.on('open', () =>
      resolve({
        ws,
        messages,
        next: (pred) => {
          const hit = messages.find(pred);
          if (hit) return Promise.resolve(hit);
          return new Promise((r) => waiters.push({ pred, resolve: r }));
        },
      }),
    );
  });
}

let dir: string;
let engine: FakeEngine;
let open: RunningHttpServer;
let guarded: RunningHttpServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hashdeck-http-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'assets', 'app-1.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'app-1.css'), 'body{}');
  engine = createFakeEngine(fakeSnapshot(2));
  open = await startHttpServer({ engine, host: '127.0.0.1', port: 0, staticDir: dir, snapshotIntervalMs: 50 });
  guarded = await startHttpServer({
    engine,
    host: '127.0.0.1',
    port: 0,
    staticDir: dir,
    token: 's3cret',
    allowWrites: true,
    snapshotIntervalMs: 50,
    routes: [{ method: 'GET', path: '/metrics', handler: (_q, r) => void r.end('m 1\n') }],
  });
});
afterAll(async () => {
  await open.close();
  await guarded.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('startHttpServer: static files and API', () => {
  it('refuses a non-loopback bind without a token', async () => {
    await expect(startHttpServer({ engine, host: '0.0.0.0', port: 0, staticDir: dir })).rejects.toThrow('binding 0.0.0.0 needs --api-token');
  });
  it('serves index.html and assets with content types and a strict CSP', async () => {
    const index = await get(open.port, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(index.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain('connect-src');
    expect(csp).not.toContain('unsafe-inline');
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect((await get(open.port, '/assets/app-1.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get(open.port, '/assets/app-1.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get(open.port, '/assets/missing.js')).status).toBe(404);
    // The URL parser folds %2e%2e away; what is left is an unknown page path, answered with the app.
    const traversal = await get(open.port, '/%2e%2e/%2e%2e/etc/passwd');
    expect(traversal.body).not.toContain('root:');
    expect(traversal.body).toContain('<title>t</title>');
    expect(resolveStaticPath(dir, '/../../etc/passwd')).toBeNull();
    expect(resolveStaticPath(dir, '/assets/%2e%2e/%2e%2e/x.js')).toBeNull();
    expect(resolveStaticPath(dir, '/a%00.js')).toBeNull();
    expect(resolveStaticPath(dir, '/')).toBe(join(dir, 'index.html'));
    expect((await get(open.port, '/boards')).body).toContain('<title>t</title>');
  });
  it('never follows a symlink out of the dashboard folder', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'hashdeck-outside-'));
    writeFileSync(join(outside, 'secret.txt'), 'top secret');
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'assets', 'leak.txt'));
    symlinkSync(outside, join(dir, 'linked-dir'));
    expect((await get(open.port, '/assets/leak.txt')).status).toBe(404);
    expect((await get(open.port, '/linked-dir/secret.txt')).status).toBe(404);
    // A symlink that stays inside is fine.
    symlinkSync(join(dir, 'assets', 'app-1.js'), join(dir, 'assets', 'alias.js'));
    expect((await get(open.port, '/assets/alias.js')).body).toBe('console.log(1)');
    rmSync(outside, { recursive: true, force: true });
  });
  it('GET /api/snapshot returns the engine snapshot', async () => {
    const r = await get(open.port, '/api/snapshot');
    expect(r.status).toBe(200);
    const body = engineSnapshotSchema.parse(JSON.parse(r.body));
    const { nowMs: _a, ...expected } = engine.snapshot();
    const { nowMs: _b, ...got } = body;
    expect(got).toEqual(expected);
  });
  it('refuses a foreign Host (DNS rebinding) and a cross-site Origin', async () => {
    expect((await get(open.port, '/api/snapshot', { host: `attacker.example:${open.port}` })).status).toBe(403);
    expect((await get(open.port, '/api/snapshot', { host: `127.0.0.1:${open.port + 1}` })).status).toBe(403);
    expect((await get(open.port, '/api/snapshot', { origin: 'http://attacker.example' })).status).toBe(403);
    expect((await get(open.port, '/api/snapshot', { host: `localhost:${open.port}`, origin: `http://localhost:${open.port}` })).status).toBe(200);
  });
});

describe('token', () => {
  it('requires the token on HTTP and mounted routes; ?token= sets a cookie and redirects', async () => {
    expect((await get(guarded.port, '/api/snapshot')).status).toBe(401);
    expect((await get(guarded.port, '/metrics')).status).toBe(401);
    expect((await get(guarded.port, '/metrics', { authorization: 'Bearer s3cret' })).body).toBe('m 1\n');
    const first = await get(guarded.port, '/?token=s3cret');
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toContain('hashdeck_token=s3cret');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect((await get(guarded.port, '/api/snapshot', { cookie: 'hashdeck_token=s3cret' })).status).toBe(200);
    expect((await get(guarded.port, '/api/snapshot', { cookie: 'hashdeck_token=wrong' })).status).toBe(401);
  });
  it('requires the token on the WebSocket upgrade', async () => {
    expect(await openWs(guarded.port)).toEqual({ refused: 401 });
    const ok = await openWs(guarded.port, { cookie: 'hashdeck_token=s3cret' });
    expect('ws' in ok).toBe(true);
    if ('ws' in ok) ok.ws.close();
  });
});

describe('/ws', () => {
  it('refuses upgrades with a foreign Host or Origin', async () => {
    expect(await openWs(open.port, { host: `rebind.attacker.example:${open.port}` })).toEqual({ refused: 403 });
    expect(await openWs(open.port, { origin: 'http://attacker.example' })).toEqual({ refused: 403 });
    expect(await openWs(open.port, {}, '/other')).toEqual({ refused: 404 });
  });
  it('sends ready and a snapshot, forwards events, sends periodic snapshots', async () => {
    const c = await openWs(open.port, { origin: `http://127.0.0.1:${open.port}` });
    if (!('ws' in c)) throw new Error('refused');
    // This server was started without write access: the page is told so with its first message.
    expect(await c.next((m) => m.kind === 'ready')).toEqual({ kind: 'ready', version: '0.1.0-test', writes: false });
    await c.next((m) => m.kind === 'snapshot');
    engine.emit({ type: 'log', atMs: 1, level: 'info', scope: 't', text: 'hello' });
    const ev = await c.next((m) => m.kind === 'event');
    expect(ev).toEqual({ kind: 'event', event: { type: 'log', atMs: 1, level: 'info', scope: 't', text: 'hello' } });
    const before = c.messages.filter((m) => m.kind === 'snapshot').length;
    await new Promise((r) => setTimeout(r, 200));
    expect(c.messages.filter((m) => m.kind === 'snapshot').length).toBeGreaterThan(before);
    c.ws.close();
  });
  it('samples nonce events per client', async () => {
    const c = await openWs(open.port);
    if (!('ws' in c)) throw new Error('refused');
    await c.next((m) => m.kind === 'snapshot');
    for (let i = 0; i < 100; i++) engine.emit({ type: 'nonce', atMs: i, boardId: 'board-0', chipIndex: 0, coreId: 1, verdict: 'valid', difficulty: 300 });
    engine.emit({ type: 'log', atMs: 2, level: 'info', scope: 't', text: 'marker' });
    await c.next((m) => m.kind === 'event' && m.event.type === 'log' && m.event.text === 'marker');
    const nonces = c.messages.filter((m) => m.kind === 'event' && m.event.type === 'nonce').length;
    expect(nonces).toBe(20);
    c.ws.close();
  });
  it('answers requests, refuses writes on a read-only server, rejects malformed messages', async () => {
    const c = await openWs(open.port);
    if (!('ws' in c)) throw new Error('refused');
    c.ws.send(JSON.stringify({ kind: 'request', id: 7, command: { type: 'getHistory', range: '1h' } }));
    expect(await c.next((m) => m.kind === 'reply' && m.id === 7)).toMatchObject({ ok: true });
    expect(engine.commands.at(-1)).toEqual({ type: 'getHistory', range: '1h' });
    const n = engine.commands.length;
    c.ws.send(JSON.stringify({ kind: 'request', id: 8, command: { type: 'setSettings', settings: { pools: [] } } }));
    const refused = await c.next((m) => m.kind === 'reply' && m.id === 8);
    expect(refused).toMatchObject({ ok: false });
    expect(refused.kind === 'reply' && refused.error).toMatch(/read-only/);
    expect(engine.commands.length).toBe(n);
    c.ws.send(JSON.stringify({ kind: 'request', id: 9, command: { type: 'format-disk' } }));
    expect(await c.next((m) => m.kind === 'reply' && m.id === 9)).toMatchObject({ ok: false });
    c.ws.send('{not json');
    expect(await c.next((m) => m.kind === 'reply' && m.id === -1)).toMatchObject({ ok: false, error: 'message is not JSON' });
    c.ws.close();
  });
  it('runs writes when allowed', async () => {
    const c = await openWs(guarded.port, { authorization: 'Bearer s3cret' });
    if (!('ws' in c)) throw new Error('refused');
    c.ws.send(JSON.stringify({ kind: 'request', id: 1, command: { type: 'setSettings', settings: { pools: [] } } }));
    expect(await c.next((m) => m.kind === 'reply' && m.id === 1)).toEqual({ kind: 'reply', id: 1, ok: true, result: { ok: true } });
    c.ws.close();
  });
});

describe('limits', () => {
  it('a client that never finishes its headers is cut off after the header timeout; others are served meanwhile', async () => {
    const server = await startHttpServer({ engine, host: '127.0.0.1', port: 0, staticDir: dir, headersTimeoutMs: 400 });
    const slow = net.connect(server.port, '127.0.0.1');
    await new Promise((r) => slow.once('connect', r));
    slow.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    let answer = '';
    slow.on('data', (d) => (answer += d.toString()));
    const closed = new Promise((r) => slow.once('close', r));
    expect((await get(server.port, '/api/snapshot')).status).toBe(200);
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    await server.close();
  });
  it('at the connection cap, the oldest connection that sent nothing makes room; requests are still answered; said once', async () => {
    const logs: string[] = [];
    const server = await startHttpServer({ engine, host: '127.0.0.1', port: 0, staticDir: dir, maxConnections: 5, log: (_l, t) => logs.push(t) });
    const silent = await Promise.all(
      Array.from(
        { length: 8 },
        () =>
          new Promise<net.Socket>((r) => {
            const s = net.connect(server.port, '127.0.0.1', () => r(s));
            s.resume();
            s.on('error', () => {});
          }),
      ),
    );
    const closed = await Promise.all(silent.map((s) => Promise.race([new Promise((r) => s.once('close', () => r(true))), new Promise((r) => setTimeout(() => r(false), 300))])));
    // The first three made room for the last three.
    expect(closed).toEqual([true, true, true, false, false, false, false, false]);
    expect((await get(server.port, '/api/snapshot')).status).toBe(200);
    expect(logs.filter((t) => /connection limit \(5\) reached: dropped \d+ connection\(s\) that sent no request/.test(t))).toHaveLength(1);
    for (const s of silent) s.destroy();
    await server.close();
  });
  it('a WebSocket client that stops reading is cut off once 8 MiB are queued for it; the others stay', async () => {
    const logs: string[] = [];
    const server = await startHttpServer({ engine, host: '127.0.0.1', port: 0, staticDir: dir, snapshotIntervalMs: 60_000, log: (_l, t) => logs.push(t) });
    const stuck = await openWs(server.port);
    const reader = await openWs(server.port);
    if ('refused' in stuck || 'refused' in reader) throw new Error('refused');
    const stuckClosed = new Promise((r) => stuck.ws.once('close', r));
    // The client stops reading its socket: everything the server sends piles up on its side.
    (stuck.ws as unknown as { _socket: net.Socket })._socket.pause();
    const detail = 'x'.repeat(512 * 1024);
    // Pool events are essential (sent even to slow clients): the hard cap is what stops them.
    for (let i = 0; i < 60 && stuck.ws.readyState === WebSocket.OPEN && !logs.some((t) => /stopped reading/.test(t)); i++) {
      engine.emit({ type: 'pool', atMs: i, url: 'stratum+tcp://p:1', state: 'active', detail });
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(logs.filter((t) => /a dashboard client stopped reading \(\d+ KiB queued\): disconnected/.test(t))).toHaveLength(1);
    (stuck.ws as unknown as { _socket: net.Socket })._socket.resume();
    await stuckClosed;
    engine.emit({ type: 'log', atMs: 1, level: 'info', scope: 't', text: 'after the cut' });
    await reader.next((m) => m.kind === 'event' && m.event.type === 'log' && m.event.text === 'after the cut');
    reader.ws.close();
    await server.close();
  });
  it('oversized headers get 431', async () => {
    const r = await get(open.port, '/api/snapshot', { 'x-big': 'a'.repeat(20_000) });
    expect(r.status).toBe(431);
  });
});
