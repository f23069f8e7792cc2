/**
 * Area 2 of issue 17: the running engine's cgminer API (`mine --cgminer-api`), attacked from
 * outside over loopback: malformed JSON, the plain-text form, unknown and write commands, 10 MB
 * payloads, 200 concurrent clients, clients that connect and say nothing (the request timeout
 * shortened to 1.5 s through HASHDECK_REQUEST_TIMEOUT_MS instead of 60 s of waiting) while others
 * are served, and the connection cap. The engine keeps mining and its memory stays bounded.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchEngine, type EngineRun } from './helpers/engine.js';
import { idleSockets } from './helpers/slow-clients.js';

const IDLE_TIMEOUT_MS = 1500;

let engine: EngineRun;
let port: number;
let rssAtStartKb: number;
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  engine = launchEngine(['--device', 'emulator:1', '--cgminer-api', '127.0.0.1:0'], { env: { HASHDECK_REQUEST_TIMEOUT_MS: String(IDLE_TIMEOUT_MS) } });
  port = await engine.cgminerPort();
  await engine.waitFor((l) => l.type === 'board' && l.state === 'hashing', 'the board hashing');
  rssAtStartKb = engine.rssKb();
}, 60_000);

afterAll(async () => {
  expect(engine.alive, engine.tail()).toBe(true);
  const exit = await engine.stop();
  expect(exit.code, engine.tail()).toBe(0);
  expect(engine.summary()!.validNonces).toBeGreaterThan(0);
  console.log(`[reliability/cgminer-api] ${JSON.stringify(figures)}`);
});

interface Answer {
  text: string;
  /** The server closed without a reply. */
  cut: boolean;
  elapsedMs: number;
}

/** One request (then the write side is closed, as `echo … | nc` does); the answer is everything up to the closing NUL. */
function ask(payload: string | Buffer, timeoutMs = 10_000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    const started = performance.now();
    let text = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no answer to ${String(payload).slice(0, 60)}`));
    }, timeoutMs);
    s.on('connect', () => s.end(payload));
    s.setEncoding('utf8');
    s.on('data', (d: string) => (text += d));
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(timer);
      resolve({ text: text.replace(/\0$/, ''), cut: text === '', elapsedMs: performance.now() - started });
    });
  });
}

const statusOf = (a: Answer): { STATUS: string; Msg: string } => JSON.parse(a.text).STATUS[0];

describe('requests', () => {
  it("malformed JSON gets cgminer's error reply; the connection is answered and closed", async () => {
    for (const bad of ['{"command":', '{bad json}', '{"command": 5}', '{"command": ""}', '{"parameter":"x"}', '{"command":["summary"]}', '{"command":"summary","parameter":{"a":1}}\n']) {
      const a = await ask(bad);
      expect(a.cut, bad).toBe(false);
      if (bad.includes('"parameter":{')) {
        expect(statusOf(a).STATUS, bad).toBe('S'); // an odd parameter is ignored for a report
        continue;
      }
      expect(statusOf(a).STATUS, bad).toBe('E');
      expect(statusOf(a).Msg, bad).toMatch(/Invalid JSON|Missing JSON 'command'/);
    }
    // Valid JSON that is not an object, in the JSON form too.
    for (const bad of ['[]', 'null', '"summary"', '12']) {
      const a = await ask(bad);
      expect(a.cut, bad).toBe(false);
    }
  });

  it('the plain-text form is answered in text', async () => {
    expect((await ask('summary')).text).toMatch(/^STATUS=S,.*\|SUMMARY,/);
    expect((await ask('devs|0')).text).toMatch(/^STATUS=S,/);
    expect((await ask('version\n')).text).toMatch(/CGMiner versions/);
    expect((await ask('summary+devs+summary')).text).toMatch(/CMD=summary\|STATUS=S.*\|CMD=devs\|STATUS=S/s);
  });

  it('unknown and write commands are refused, in both forms, and nothing changes', async () => {
    const before = JSON.parse((await ask('{"command":"summary"}')).text).SUMMARY[0];
    for (const cmd of ['frobnicate', 'summary;rm -rf /', '../../etc/passwd']) {
      expect(statusOf(await ask(JSON.stringify({ command: cmd }))).Msg, cmd).toBe('Invalid command');
    }
    const writes: Array<[string, string]> = [
      ['restart', ''],
      ['quit', ''],
      ['pgaset', '0,freq,1000'],
      ['ascset', '0,freq,1000'],
      ['addpool', 'stratum+tcp://attacker.example:3333,u,p'],
      ['switchpool', '1'],
      ['removepool', '0'],
      ['disablepool', '0'],
      ['privileged', ''],
      ['zero', 'all,false'],
      ['save', '/tmp/x'],
      ['setconfig', 'queue,0'],
      ['debug', 'normal'],
      ['hotplug', '0'],
    ];
    for (const [command, parameter] of writes) {
      const json = statusOf(await ask(JSON.stringify({ command, parameter })));
      expect(json.STATUS, command).toBe('E');
      expect(json.Msg, command).toBe(`Access denied to '${command}' command`);
      expect((await ask(`${command}|${parameter}`)).text, command).toMatch(new RegExp(`^STATUS=E,.*Access denied to '${command}' command`));
      // A write hidden in a joined report is refused too, the reports still answered.
      expect((await ask(`summary+${command}`)).text).toMatch(/Access denied/);
    }
    // A made-up token does not help.
    expect(statusOf(await ask(JSON.stringify({ command: 'restart', token: 'guess-guess-guess' }))).Msg).toMatch(/Access denied/);
    expect(engine.alive).toBe(true);
    const after = JSON.parse((await ask('{"command":"summary"}')).text).SUMMARY[0];
    // Nothing was reset: the counters only went up.
    expect(after['Accepted'] + after['Hardware Errors']).toBeGreaterThanOrEqual(before['Accepted'] + before['Hardware Errors']);
    expect(after['Elapsed']).toBeGreaterThanOrEqual(before['Elapsed']);
  });

  it('10 MB payloads: JSON is cut off at 64 KiB, text is answered from its first read; memory stays bounded', async () => {
    const big = Buffer.alloc(10 << 20, 'a');
    // JSON is read until it parses: past 64 KiB the connection is cut without an answer.
    expect((await ask(Buffer.concat([Buffer.from('{"command":"summary","parameter":"'), big]))).cut).toBe(true);
    expect((await ask(Buffer.concat([Buffer.from('{"command":"summary","parameter":"'), big, Buffer.from('"}')]))).cut).toBe(true);
    // Text is a request as soon as it arrives (cgminer reads it with one recv): one answer, the rest dropped.
    const text = await ask(big);
    expect(text.cut || /Invalid command/.test(text.text)).toBe(true);
    figures.rssAfter10MbPayloadsMb = Math.round(engine.rssKb() / 1024);
    expect(engine.rssKb() - rssAtStartKb).toBeLessThan(48 * 1024);
    expect(statusOf(await ask('{"command":"version"}')).STATUS).toBe('S');
  });
});

describe('many and idle clients', () => {
  it('200 concurrent clients are all answered', async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => ask(i % 2 ? '{"command":"summary+devs"}' : 'pools')));
    expect(answers.filter((a) => !a.cut && /STATUS/.test(a.text))).toHaveLength(200);
    const ms = answers.map((a) => a.elapsedMs).sort((x, y) => x - y);
    figures.concurrent200 = { medianMs: Math.round(ms[100]!), maxMs: Math.round(ms[199]!) };
  });

  it('clients that connect and say nothing are dropped at the request timeout; others are served meanwhile', async () => {
    const idle = await idleSockets(port, 20);
    const during: number[] = [];
    for (let i = 0; i < 10; i++) {
      const a = await ask('{"command":"summary"}');
      expect(statusOf(a).STATUS).toBe('S');
      during.push(a.elapsedMs);
    }
    await engine.until(() => (idle.closedAfterMs.every((c) => c !== null) ? true : null), 'the idle clients dropped', 15_000);
    const closed = idle.closedAfterMs.map((c) => c!).sort((a, b) => a - b);
    expect(closed[0]!).toBeGreaterThanOrEqual(IDLE_TIMEOUT_MS - 50);
    figures.idleClients = { requestMsDuring: { median: Math.round(during.sort((a, b) => a - b)[5]!), max: Math.round(Math.max(...during)) }, droppedAfterMs: Math.round(closed[0]!) };
  });

  it('500 silent clients: the cap (256) holds, the oldest make room, a real request is still answered; said once', async () => {
    const { sockets, closedAfterMs } = await idleSockets(port, 500);
    expect(statusOf(await ask('{"command":"summary"}')).STATUS).toBe('S');
    await engine.until(() => (closedAfterMs.filter((c) => c !== null).length >= 500 - 256 ? true : null), 'the oldest clients dropped');
    expect(closedAfterMs.filter((c) => c !== null && c < IDLE_TIMEOUT_MS).length).toBeGreaterThanOrEqual(500 - 256);
    await engine.waitForLog(/connection limit \(256\) reached: dropped \d+ connection\(s\) that sent no request/);
    for (const s of sockets) s.destroy();
    expect(engine.logs(/connection limit/)).toHaveLength(1);
    figures.rssAfterAllMb = Math.round(engine.rssKb() / 1024);
  });
});
