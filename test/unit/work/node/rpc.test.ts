import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieCandidates, defaultDataDirs, readCookieFile, redactUrl, RpcClient, type RpcError } from '../../../../src-main/work/node/rpc.js';
import { startFakeRpc, type FakeRpc } from '../../../fixtures/node/fake-rpc.js';

let fake: FakeRpc;
let dir: string;
beforeAll(async () => {
  fake = await startFakeRpc(() => ({ result: null }));
  dir = mkdtempSync(path.join(os.tmpdir(), 'hashdeck-rpc-'));
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const basic = (u: string, p: string) => 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64');

async function caught(p: Promise<unknown>): Promise<RpcError> {
  try {
    await p;
  } catch (e) {
    return e as RpcError;
  }
  throw new Error('expected a rejection');
}

describe('RpcClient', () => {
  it('sends JSON-RPC 1.0 with positional params and Basic auth', async () => {
    fake.setHandler(() => ({ result: { ok: 1 } }));
    const c = new RpcClient({ url: fake.url, rpcUser: 'alice', rpcPassword: 'pw' });
    expect(await c.call('getblocktemplate', [{ rules: ['segwit'] }])).toEqual({ ok: 1 });
    const last = fake.calls.at(-1)!;
    expect(JSON.parse(last.body)).toMatchObject({ jsonrpc: '1.0', method: 'getblocktemplate', params: [{ rules: ['segwit'] }] });
    expect(last.authorization).toBe(basic('alice', 'pw'));
  });

  it('takes credentials from the URL and never shows them', async () => {
    const c = new RpcClient({ url: `http://bob:s3cret@127.0.0.1:${fake.port}` });
    await c.call('getblockcount');
    expect(fake.calls.at(-1)!.authorization).toBe(basic('bob', 's3cret'));
    expect(c.displayUrl).toBe(`http://127.0.0.1:${fake.port}`);
    expect(redactUrl('http://u:p@h:1/')).toBe('http://h:1');
  });

  it('reads a multi-megabyte answer whole', async () => {
    const txs = Array.from({ length: 5000 }, (_, i) => ({ data: 'ab'.repeat(500), txid: i.toString(16).padStart(64, '0') }));
    fake.setHandler(() => ({ result: { transactions: txs } }));
    const c = new RpcClient({ url: fake.url, rpcPassword: 'x' });
    const r = await c.call<{ transactions: unknown[] }>('getblocktemplate');
    expect(r.transactions.length).toBe(5000);
  });

  it('explains JSON-RPC errors: IBD (-10), no peers (-9), others', async () => {
    const c = new RpcClient({ url: fake.url, rpcPassword: 'x' });
    fake.setHandler(() => ({ error: { code: -10, message: 'Bitcoin Core is in initial sync and waiting for blocks...' } }));
    let e = await caught(c.call('getblocktemplate'));
    expect(e).toMatchObject({ kind: 'rpc', code: -10 });
    expect(e.retryable).toBe(true);
    expect(e.message).toMatch(/initial block download/);
    fake.setHandler(() => ({ error: { code: -9, message: 'Bitcoin Core is not connected!' } }));
    e = await caught(c.call('getblocktemplate'));
    expect(e.message).toMatch(/no peers/);
    fake.setHandler(() => ({ error: { code: -22, message: 'Block decode failed' } }));
    e = await caught(c.call('submitblock', ['00']));
    expect(e).toMatchObject({ kind: 'rpc', code: -22 });
    expect(e.retryable).toBe(false);
    expect(e.message).toBe('The node rejected submitblock: Block decode failed (code -22).');
  });

  it('401 with user/password: one sentence, password not in it', async () => {
    fake.setHandler(() => ({ status: 401, body: '' }));
    const c = new RpcClient({ url: fake.url, rpcUser: 'u', rpcPassword: 'hunter2' });
    const e = await caught(c.call('getblockcount'));
    expect(e.kind).toBe('auth');
    expect(e.message).toMatch(/refused the RPC user name and password \(HTTP 401\)/);
    expect(e.message).not.toContain('hunter2');
  });

  it('cookie: re-read once after a 401, then succeeds', async () => {
    const cookie = path.join(dir, '.cookie');
    writeFileSync(cookie, '__cookie__:old\n');
    fake.setHandler((call) => (call.authorization === basic('__cookie__', 'new') ? { result: 7 } : { status: 401, body: '' }));
    const c = new RpcClient({ url: fake.url, cookieFile: cookie });
    c.loadCredentials();
    writeFileSync(cookie, '__cookie__:new\n');
    expect(await c.call('getblockcount')).toBe(7);
  });

  it('cookie file problems are config errors with the path', () => {
    expect(() => readCookieFile(path.join(dir, 'missing'))).toThrow(/Cannot read the RPC cookie file .*missing \(it does not exist/);
    const bad = path.join(dir, 'bad');
    writeFileSync(bad, 'nocolon');
    expect(() => readCookieFile(bad)).toThrow(/not in user:password form/);
    writeFileSync(bad, '__cookie__:a:b');
    expect(readCookieFile(bad)).toEqual({ user: '__cookie__', password: 'a:b' });
  });

  it('connection refused and non-JSON answers are clear transport/protocol errors', async () => {
    const port = await freePort();
    const e = await caught(new RpcClient({ url: `http://127.0.0.1:${port}` }).call('getblockcount'));
    expect(e).toMatchObject({ kind: 'transport' });
    expect(e.retryable).toBe(true);
    expect(e.message).toBe(`Cannot connect to the node at http://127.0.0.1:${port} (connection refused; is bitcoind running with server=1 on that port?).`);
    fake.setHandler(() => ({ status: 404, body: '<html>nope</html>' }));
    const p = await caught(new RpcClient({ url: fake.url }).call('getblockcount'));
    expect(p.kind).toBe('protocol');
    expect(p.message).toMatch(/HTTP 404 and no JSON-RPC body/);
  });

  it('an abort signal cancels a waiting call (longpoll on stop)', async () => {
    fake.setHandler(() => new Promise(() => undefined));
    const ctl = new AbortController();
    const p = new RpcClient({ url: fake.url }).call('getblocktemplate', [], { timeoutMs: 0, signal: ctl.signal });
    setTimeout(() => ctl.abort(), 20);
    expect((await caught(p)).kind).toBe('aborted');
    fake.setHandler(() => ({ result: null }));
  });

  it('malformed URLs are config errors', () => {
    expect(() => new RpcClient({ url: 'not a url' })).toThrow(/not a valid URL/);
    expect(() => new RpcClient({ url: 'ftp://h:1' })).toThrow(/must start with http/);
  });
});

describe('cookie discovery', () => {
  it('default data dirs per platform', () => {
    expect(defaultDataDirs('linux', {}, '/home/a')).toEqual(['/home/a/.bitcoin']);
    expect(defaultDataDirs('darwin', {}, '/Users/a')).toEqual(['/Users/a/Library/Application Support/Bitcoin']);
    expect(defaultDataDirs('win32', { LOCALAPPDATA: 'C:\\L', APPDATA: 'C:\\R' }, 'C:\\U')).toEqual(['C:\\L\\Bitcoin', 'C:\\R\\Bitcoin']);
  });
  it('network subdirectory, the port’s chain first', () => {
    expect(cookieCandidates('http://127.0.0.1:18443', ['/d'], 'linux')[0]).toBe('/d/regtest/.cookie');
    expect(cookieCandidates('http://127.0.0.1:8332', ['/d'], 'linux')[0]).toBe('/d/.cookie');
    expect(cookieCandidates('http://127.0.0.1:18332', ['/d'], 'linux')[0]).toBe('/d/testnet3/.cookie');
    expect(cookieCandidates('http://127.0.0.1:48332', ['/d'], 'linux')[0]).toBe('/d/testnet4/.cookie');
    expect(cookieCandidates('http://127.0.0.1:38332', ['/d'], 'linux')[0]).toBe('/d/signet/.cookie');
    expect(cookieCandidates('http://127.0.0.1:9999', ['/d'], 'linux')).toEqual(['/d/.cookie', '/d/testnet3/.cookie', '/d/testnet4/.cookie', '/d/signet/.cookie', '/d/regtest/.cookie']);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}
