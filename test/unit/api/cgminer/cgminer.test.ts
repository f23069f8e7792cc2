/**
 * The cgminer API as a client sees it: raw TCP to 127.0.0.1, a request, a reply ending in NUL,
 * then the server closes. Figures are checked against the engine double's snapshot.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCgminerApi, type CgminerApiHandle } from '../../../../src-main/api/cgminer/server.js';
import { parseAllowList } from '../../../../src-main/api/cgminer/allow-list.js';
import { peerAccess, tokenAccess } from '../../../../src-main/api/cgminer/access.js';
import { EngineDouble, NOW_MS, STARTED_MS } from '../fixtures/engine-double.js';

function ask(port: number, request: string, opts: { halfClose?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('connect', () => {
      if (opts.halfClose) socket.end(request);
      else socket.write(request);
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** As pyasic does: drop the trailing NUL, then parse. */
function parseReply(raw: string): any {
  expect(raw.endsWith('\0')).toBe(true);
  return JSON.parse(raw.slice(0, -1));
}

describe('cgminer API over TCP', () => {
  const engine = new EngineDouble();
  let api: CgminerApiHandle;
  let writableApi: CgminerApiHandle;

  beforeAll(async () => {
    api = await startCgminerApi({ engine, port: 0 });
    writableApi = await startCgminerApi({ engine, port: 0, writable: true });
  });
  afterAll(async () => {
    await api.close();
    await writableApi.close();
  });

  it('answers summary with cgminer STATUS and SUMMARY fields from the snapshot', async () => {
    const reply = parseReply(await ask(api.port, JSON.stringify({ command: 'summary', parameter: '' })));
    expect(Object.keys(reply)).toEqual(['STATUS', 'SUMMARY', 'id']);
    expect(reply.id).toBe(1);
    const st = reply.STATUS[0];
    expect(Object.keys(st)).toEqual(['STATUS', 'When', 'Code', 'Msg', 'Description']);
    expect(st).toMatchObject({ STATUS: 'S', Code: 11, Msg: 'Summary', When: Math.floor(NOW_MS / 1000) });
    expect(st.Description).toBe('hashdeck 0.1.0');
    const s = reply.SUMMARY[0];
    const t = engine.current.totals;
    expect(s.Elapsed).toBe((NOW_MS - STARTED_MS) / 1000);
    expect(s['MHS av']).toBeCloseTo(t.hashrateHs / 1e6, 3);
    expect(s['MHS 1m']).toBeCloseTo(t.hashrate['1m']!.valueHs / 1e6, 3);
    // 5s → 1m window, 5m and 15m → 10m window (reports.ts CGMINER_WINDOW_SOURCE).
    expect(s['MHS 5s']).toBe(s['MHS 1m']);
    expect(s['MHS 5m']).toBeCloseTo(t.hashrate['10m']!.valueHs / 1e6, 3);
    expect(s['MHS 15m']).toBe(s['MHS 5m']);
    expect(s.Accepted).toBe(145);
    expect(s.Rejected).toBe(4);
    expect(s.Stale).toBe(1);
    expect(s['Hardware Errors']).toBe(12);
    expect(s['Found Blocks']).toBe(0);
    expect(s['Best Share']).toBe(4_294_967_296);
    expect(s['Difficulty Accepted']).toBe(148_480);
    expect(s['Pool Rejected%']).toBeCloseTo((4 / 150) * 100, 3);
    expect(s['Pool Stale%']).toBeCloseTo((1 / 150) * 100, 3);
    expect(s['Device Hardware%']).toBeCloseTo((12 / (5278 + 12)) * 100, 3);
    // Total MH = average rate × seconds since the first job.
    expect(s['Total MH']).toBeCloseTo((t.hashrateHs / 1e6) * 598, 2);
  });

  it('answers devs with one ASC per board, status and temperature mapped', async () => {
    const reply = parseReply(await ask(api.port, '{"command":"devs"}'));
    expect(reply.STATUS[0]).toMatchObject({ STATUS: 'S', Code: 9, Msg: '2 ASC(s)' });
    const [a, b] = reply.DEVS;
    expect(a).toMatchObject({ ASC: 0, Name: 'BM1366', ID: 0, Enabled: 'Y', Status: 'Alive', Temperature: 58.5, Accepted: 140, Rejected: 3, 'Hardware Errors': 10 });
    expect(a['MHS av']).toBeCloseTo(421_500, 3);
    expect(a['MHS 1m']).toBeCloseTo(430_250, 3);
    expect(a['MHS 5m']).toBeCloseTo(425_125, 3);
    expect(a['Device Elapsed']).toBe(599);
    expect(b).toMatchObject({ ASC: 1, Name: 'BM1370', Status: 'Initialising', Temperature: 0, 'MHS 5m': 0, 'MHS 15m': 0 });
    expect(b['MHS 1m']).toBeCloseTo(1.75, 3);
  });

  it('answers pools in priority order without URL credentials', async () => {
    const reply = parseReply(await ask(api.port, '{"command":"pools","parameter":""}'));
    expect(reply.STATUS[0]).toMatchObject({ Code: 7, Msg: '2 Pool(s)' });
    const [p0, p1] = reply.POOLS;
    expect(p0).toMatchObject({
      POOL: 0,
      URL: 'stratum+tcp://pool.example.com:3333',
      Status: 'Alive',
      Priority: 0,
      User: 'bc1qexample.worker1',
      Accepted: 145,
      Rejected: 4,
      Stale: 1,
      'Difficulty Accepted': 148_480,
      'Stratum Active': true,
      'Stratum URL': 'pool.example.com:3333',
      'Stratum Difficulty': 1024,
      'Has Vmask': true,
      'Has GBT': false,
      'Current Block Height': 820_000,
    });
    expect(p1).toMatchObject({ POOL: 1, URL: 'stratum+ssl://backup.example.org:4443', Status: 'Unknown', 'Stratum Active': false });
    expect(JSON.stringify(reply)).not.toContain('secret');
  });

  it('answers version, config, stats and devdetails', async () => {
    const version = parseReply(await ask(api.port, '{"command":"version"}'));
    expect(version.STATUS[0]).toMatchObject({ Code: 22 });
    expect(version.VERSION[0]).toMatchObject({ CGMiner: '0.1.0', API: '3.7' });
    const config = parseReply(await ask(api.port, '{"command":"config"}'));
    expect(config.CONFIG[0]).toMatchObject({ 'ASC Count': 2, 'Pool Count': 2, Strategy: 'Failover' });
    const stats = parseReply(await ask(api.port, '{"command":"stats"}'));
    expect(stats.STATUS[0].Code).toBe(70);
    expect(stats.STATS[0]).toMatchObject({ STATS: 0, ID: 'BM13660', Frequency: 485, Chips: 1, Temp: 58.5, Fan: 4200, Power: 12.63, Emulated: false });
    expect(stats.STATS[1]).toMatchObject({ Emulated: true, 'Scale Bits': 20 });
    const details = parseReply(await ask(api.port, '{"command":"devdetails"}'));
    expect(details.STATUS[0].Code).toBe(69);
    expect(details.DEVDETAILS[1]).toMatchObject({ DEVDETAILS: 1, Name: 'BM1370', 'Device Path': 'emulator:2', Emulated: true });
  });

  it("answers bestshares (HashDeck's own command) with the scoreboard, highest first", async () => {
    const reply = parseReply(await ask(api.port, JSON.stringify({ command: 'bestshares' })));
    expect(reply.STATUS[0]).toMatchObject({ STATUS: 'S', Code: 300, Msg: 'Best shares' });
    expect(reply.BESTSHARES).toEqual(
      engine.current.bestShares.map((b, i) => ({
        BESTSHARES: i,
        Rank: i + 1,
        Difficulty: b.difficulty,
        When: Math.floor(b.atMs / 1000),
        Device: b.deviceId,
        Work: b.work,
        Source: b.source,
        Hash: b.hash ?? '',
      })),
    );
    expect(reply.BESTSHARES[1].Work).toBe('solo');
  });

  it('answers netminers with one row per network miner (HashDeck’s own report), joinable with devs', async () => {
    const r = parseReply(await ask(api.port, '{"command":"netminers"}'));
    expect(r.STATUS[0]).toMatchObject({ STATUS: 'S', Code: 900, Msg: '1 Network miner(s)' });
    expect(r.NETMINERS[0]).toMatchObject({
      NETMINER: 0,
      ID: 'net:bitaxe-wifi',
      Worker: 'bitaxe-wifi',
      Address: '192.168.1.42',
      'User Agent': 'bitaxe/BM1370/v2.4.0',
      Status: 'Alive',
      'MHS av': 1_050_000,
      'MHS 1m': 1_100_000,
      'MHS 5m': 1_000_000,
      Difficulty: 1500.5,
      Accepted: 39,
      Rejected: 2,
      'Best Share': 2_500_000,
      'Best Share All Time': 7_000_000,
      'Found Blocks': 0,
      'Last Share Time': Math.floor((NOW_MS - 3_000) / 1000),
    });
    const joined = parseReply(await ask(api.port, '{"command":"devs+netminers"}'));
    expect(joined.netminers[0].NETMINERS).toHaveLength(1);
    expect(joined.devs[0].DEVS).toHaveLength(2);
  });

  it('joins report commands with + and keys each reply by command', async () => {
    const reply = parseReply(await ask(api.port, '{"command":"summary+devs+summary","parameter":""}'));
    expect(Object.keys(reply)).toEqual(['summary', 'devs', 'id']);
    expect(reply.summary[0].STATUS[0].Code).toBe(11);
    expect(reply.summary[0].SUMMARY[0].Accepted).toBe(145);
    expect(reply.devs[0].DEVS).toHaveLength(2);
    const withWrite = parseReply(await ask(api.port, '{"command":"summary+zero"}'));
    expect(withWrite.zero[0].STATUS[0]).toMatchObject({ STATUS: 'E', Code: 45 });
    expect(withWrite.summary[0].STATUS[0].STATUS).toBe('S');
  });

  it('speaks the plain-text form: summary| and summary+devs', async () => {
    const raw = await ask(api.port, 'summary|');
    expect(raw.endsWith('\0')).toBe(true);
    const text = raw.slice(0, -1);
    const [statusPart, summaryPart] = text.split('|');
    expect(statusPart).toMatch(/^STATUS=S,When=\d+,Code=11,Msg=Summary,Description=hashdeck 0\.1\.0$/);
    expect(summaryPart).toMatch(/^SUMMARY,Elapsed=600,MHS av=421501\.5,/);
    expect(summaryPart).toContain('Accepted=145');
    const devs = (await ask(api.port, 'devs', { halfClose: true })).slice(0, -1);
    expect(devs.split('|').filter((r) => r.startsWith('ASC='))).toHaveLength(2);
    const joined = (await ask(api.port, 'summary+devs')).slice(0, -1);
    expect(joined.startsWith('CMD=summary|STATUS=S')).toBe(true);
    expect(joined).toContain('|CMD=devs|STATUS=S');
    const pools = (await ask(api.port, 'pools|')).slice(0, -1);
    // Text escaping of user-entered values: "," "=" "|" "\" get a backslash.
    expect(pools).toContain('URL=stratum+tcp://pool.example.com:3333,');
  });

  it('reports errors with cgminer codes', async () => {
    expect(parseReply(await ask(api.port, '{"command":"nosuch"}')).STATUS[0]).toMatchObject({ STATUS: 'E', Code: 14, Msg: 'Invalid command' });
    expect(parseReply(await ask(api.port, '{"command":', { halfClose: true })).STATUS[0]).toMatchObject({ STATUS: 'E', Code: 23 });
    expect(parseReply(await ask(api.port, '{"parameter":"0"}')).STATUS[0]).toMatchObject({ STATUS: 'E', Code: 24 });
    expect(parseReply(await ask(api.port, '{"command":"asc","parameter":"7"}')).STATUS[0]).toMatchObject({ STATUS: 'E', Code: 107, Msg: 'Invalid ASC id 7 - range is 0 - 1' });
    const asc = parseReply(await ask(api.port, '{"command":"asc","parameter":"0"}'));
    expect(asc.STATUS[0]).toMatchObject({ Code: 106, Msg: 'ASC0' });
    expect(asc.ASC[0].ASC).toBe(0);
  });

  it('refuses write commands on a read-only server with access denied', async () => {
    for (const command of ['zero', 'switchpool', 'quit', 'ascset', 'privileged']) {
      const reply = parseReply(await ask(api.port, JSON.stringify({ command, parameter: 'all,false' })));
      expect(reply.STATUS[0]).toMatchObject({ STATUS: 'E', Code: 45, Msg: `Access denied to '${command}' command` });
    }
    expect(engine.commands).toHaveLength(0);
    const check = parseReply(await ask(api.port, '{"command":"check","parameter":"zero"}'));
    expect(check.CHECK[0]).toEqual({ Exists: 'Y', Access: 'N' });
  });

  it('runs zero on a writable server from loopback and sends resetStats', async () => {
    const priv = parseReply(await ask(writableApi.port, '{"command":"privileged"}'));
    expect(priv.STATUS[0]).toMatchObject({ STATUS: 'S', Code: 46 });
    const reply = parseReply(await ask(writableApi.port, '{"command":"zero","parameter":"all,true"}'));
    expect(reply.STATUS[0]).toMatchObject({ STATUS: 'S', Code: 96 });
    expect(reply.SUMMARY[0].Accepted).toBe(145);
    expect(engine.commands).toEqual([{ type: 'resetStats', scope: 'session' }]);
    const bad = parseReply(await ask(writableApi.port, '{"command":"zero","parameter":"bestshare,false"}'));
    expect(bad.STATUS[0]).toMatchObject({ STATUS: 'E', Code: 95 });
    const unsupported = parseReply(await ask(writableApi.port, '{"command":"switchpool","parameter":"1"}'));
    expect(unsupported.STATUS[0]).toMatchObject({ STATUS: 'E', Code: 14 });
  });
});

describe('cgminer API access rules', () => {
  it('refuses a non-loopback bind without token or allow list', async () => {
    await expect(startCgminerApi({ engine: new EngineDouble(), host: '0.0.0.0', port: 0 })).rejects.toThrow(/refusing to listen on 0\.0\.0\.0 without --api-token/);
    await expect(startCgminerApi({ engine: new EngineDouble(), host: '192.168.1.5', port: 0, allow: [] })).rejects.toThrow(/api-token/);
  });

  it('upgrades a request that carries the API token in its JSON', async () => {
    const engine = new EngineDouble();
    const api = await startCgminerApi({ engine, port: 0, writable: true, allow: ['R:127.0.0.1'], token: 'tok-1234567890abcdef' });
    try {
      const plain = parseReply(await ask(api.port, '{"command":"privileged"}'));
      expect(plain.STATUS[0]).toMatchObject({ STATUS: 'E', Code: 45 });
      const wrong = parseReply(await ask(api.port, '{"command":"privileged","token":"nope"}'));
      expect(wrong.STATUS[0]).toMatchObject({ STATUS: 'E', Code: 45 });
      const right = parseReply(await ask(api.port, '{"command":"privileged","token":"tok-1234567890abcdef"}'));
      expect(right.STATUS[0]).toMatchObject({ STATUS: 'S', Code: 46 });
    } finally {
      await api.close();
    }
  });

  it('rejects malformed allow lists clearly', () => {
    expect(() => parseAllowList(['W:300.1.1.1'])).toThrow(/not a valid IPv4/);
    expect(() => parseAllowList(['Q:10.0.0.1'])).toThrow(/group "Q:"/);
    expect(() => parseAllowList(['10.0.0/40'])).toThrow(/bad prefix/);
  });

  it('grants by allow list, loopback and token', () => {
    const allow = parseAllowList(['W:192.168.1.10', 'R:192.168.1/24,fd00::/8']);
    const rules = { allow, writable: true, token: 'tok-123' };
    expect(peerAccess(rules, '192.168.1.10')).toEqual({ read: true, privileged: true });
    expect(peerAccess(rules, '::ffff:192.168.1.77')).toEqual({ read: true, privileged: false });
    expect(peerAccess(rules, 'fd00::5')).toEqual({ read: true, privileged: false });
    expect(peerAccess(rules, '10.1.1.1')).toBeNull();
    // With an allow list, loopback reads but needs W: or the token to write.
    expect(peerAccess(rules, '127.0.0.1')).toEqual({ read: true, privileged: false });
    expect(peerAccess({ allow: [], writable: true, token: undefined }, '127.0.0.1')).toEqual({ read: true, privileged: true });
    expect(peerAccess({ allow: [], writable: false, token: undefined }, '::1')).toEqual({ read: true, privileged: false });
    expect(tokenAccess(rules, 'tok-123')).toEqual({ read: true, privileged: true });
    expect(tokenAccess(rules, 'wrong')).toBeNull();
    expect(tokenAccess({ ...rules, writable: false }, 'tok-123')).toEqual({ read: true, privileged: false });
    expect(parseAllowList(['0/0']).length).toBe(1);
    expect(peerAccess({ allow: parseAllowList(['0/0']), writable: false, token: undefined }, '8.8.8.8')).toEqual({ read: true, privileged: false });
  });
});
