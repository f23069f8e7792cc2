/**
 * Area 7 of issue 17 and the exit codes a supervisor relies on (docs/cli.md §7): bad invocations
 * and config files get one sentence on stderr, the documented exit code and never a stack trace;
 * `mine` with nothing to drive and a serial path that is not there are exit 2; a board unplugged
 * mid-run is waited for (one line when it goes, one when it is back) and the process lives on
 * until a signal, then prints its summary: never a silent exit 0.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILT_BIN, spawnBuiltCli, tempDir } from '../helpers/cli.js';
import { launchEngine, STACK_TRACE } from './helpers/engine.js';

const ADDRESS = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';
const dir = tempDir('hashdeck-badinput-');
const figures: Record<string, unknown> = {};
afterAll(() => console.log(`[reliability/cli-config] ${JSON.stringify(figures)}`));

function config(name: string, body: unknown, mode = 0o600): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body), { mode });
  return file;
}

function run(args: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnBuiltCli(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.concurrent('bad invocations and config files', () => {
  const dataFile = config('not-a-directory', 'x');
  mkdirSync(path.join(dir, 'cookie-dir'));
  const cases: Array<[string, string[], RegExp, NodeJS.ProcessEnv?]> = [
    ['unknown option', ['mine', '--device', 'emulator', '--frobnicate'], /unknown option --frobnicate for "mine"/],
    ['unknown command', ['mien'], /unknown command "mien"/],
    ['pool URL of another scheme', ['mine', '--device', 'emulator', '--pool', 'http://pool.example:3333', '--user', 'u'], /"http:\/\/pool\.example:3333" is not a pool URL/],
    ['pool URL without a port', ['mine', '--device', 'emulator', '--pool', 'stratum+tcp://pool.example', '--user', 'u'], /is not a pool URL/],
    ['listener without a port', ['mine', '--device', 'emulator', '--http', '127.0.0.1'], /--http expects host:port, got "127\.0\.0\.1"/],
    ['port out of range', ['mine', '--device', 'emulator', '--http', '127.0.0.1:99999'], /--http port 99999 is out of range/],
    ['LAN bind without a token', ['mine', '--device', 'emulator', '--cgminer-api', '0.0.0.0:4028'], /not a loopback address: binding it needs --api-token/],
    ['negative duration', ['mine', '--device', 'emulator', '--duration', '-5'], /--duration must be a positive number, got "-5"/],
    ['duration that is a word', ['mine', '--device', 'emulator', '--duration', 'soon'], /--duration must be a positive number/],
    ['--scale-bits 300', ['mine', '--device', 'emulator', '--scale-bits', '300'], /--scale-bits must be from 0 to 32, got 300/],
    ['unknown chip', ['mine', '--device', '/dev/null', '--chip', 'bm9999'], /unknown chip "bm9999"/],
    ['frequency out of range', ['mine', '--device', 'emulator', '--frequency', '5000'], /--frequency (must be a number from 50 to 1200|5000 for emulator is outside the BM1366's range)/],
    ['an option twice', ['mine', '--device', 'emulator', '--duration', '1', '--duration', '2'], /--duration given more than once/],
    ['no device at all', ['mine', '--duration', '5'], /mine needs at least one --device/],
    ['a serial path that is not there', ['mine', '--device', '/dev/ttyHASHDECK9', '--chip', 'bm1366'], /^hashdeck: no serial device at \/dev\/ttyHASHDECK9 /],
    ['a control path that is not there', ['mine', '--device', '/dev/null', '--chip', 'bm1366', '--control', '/dev/ttyHASHDECK8'], /no serial device at \/dev\/ttyHASHDECK8/],
    [
      'unreadable cookie (missing)',
      ['mine', '--device', 'emulator', '--node', 'http://127.0.0.1:1', '--payout', ADDRESS, '--rpc-cookie', path.join(dir, 'missing.cookie')],
      /cannot read the RPC cookie file .*missing\.cookie: ENOENT/,
    ],
    [
      'unreadable cookie (a folder)',
      ['mine', '--device', 'emulator', '--node', 'http://127.0.0.1:1', '--payout', ADDRESS, '--rpc-cookie', path.join(dir, 'cookie-dir')],
      /cannot read the RPC cookie file .*cookie-dir: EISDIR/,
    ],
    ['bad payout address', ['mine', '--device', 'emulator', '--node', 'http://127.0.0.1:1', '--payout', 'bc1qnotanaddress'], /address/i],
    [
      '--tls-fingerprint zz (refused at parse time)',
      ['mine', '--device', 'emulator', '--pool', 'stratum+ssl://pool.example:443', '--user', 'u', '--tls-fingerprint', 'zz'],
      /--tls-fingerprint must be the certificate's SHA-256 fingerprint, 64 hex digits/,
    ],
    ['--data-dir pointing at a file', ['mine', '--device', 'emulator', '--data-dir', dataFile], /the data directory .*not-a-directory is a file, not a directory/],
    ['--api-token shorter than 16', ['mine', '--device', 'emulator', '--api-token', 'eight-ch'], /--api-token must be at least 16 characters/],
    ['device options on auto', ['mine', '--device', 'auto', '--chip', 'bm1366'], /--device auto takes no per-device options/],
    ['config file that does not exist', ['mine', '--config', path.join(dir, 'nope.json')], /config file .*nope\.json does not exist/],
    ['config file with invalid JSON', ['mine', '--config', config('broken.json', '{"devices": ["auto"],')], /config file .*broken\.json is not valid JSON/],
    ['config file that is a JSON array', ['mine', '--config', config('array.json', [{ devices: ['auto'] }])], /config file .*array\.json: must be a JSON object of settings .*, not an array\.$/m],
    ['"frequencyMhz":"fast"', ['mine', '--config', config('fast.json', { devices: ['auto'], frequencyMhz: 'fast' })], /config file .*fast\.json: frequencyMhz: must be a number, not a string\.$/m],
    ['config apiToken shorter than 16', ['mine', '--config', config('token.json', { devices: ['auto'], apiToken: 'short-token' })], /apiToken: must be at least 16 characters/],
    ['config with an unknown key', ['mine', '--config', config('typo.json', { devices: ['auto'], frequencyMHz: 500 })], /unknown key "frequencyMHz"/],
    [
      'bad HASHDECK_REQUEST_TIMEOUT_MS',
      ['mine', '--device', 'auto', '--http', '127.0.0.1:0', '--duration', '3'],
      /HASHDECK_REQUEST_TIMEOUT_MS must be a whole number of milliseconds/,
      { HASHDECK_REQUEST_TIMEOUT_MS: 'abc' },
    ],
  ];

  it(`${cases.length} bad invocations: one sentence, exit 2, no stack trace, no summary`, async () => {
    const results = await Promise.all(cases.map(([, args, , env]) => run([...args, ...(args.includes('--data-dir') ? [] : ['--data-dir', path.join(dir, 'data')])], env)));
    figures.badInvocations = cases.length;
    cases.forEach(([what, , message], i) => {
      const r = results[i]!;
      expect(r.code, `${what}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n'), what).toHaveLength(1);
      expect(r.stderr, what).toMatch(/^hashdeck: .*[.!?]\n$/);
      expect(r.stderr, what).toMatch(message);
      expect(r.stderr, what).not.toMatch(STACK_TRACE);
      expect(r.stdout, what).not.toMatch(/"type":"summary"|Summary after/);
    });
  }, 60_000);

  it('a config file holding a password readable by others: a warning naming the file and chmod 600, never the password; mining goes on', async () => {
    const file = config('open.json', { devices: ['auto'], pools: ['stratum+tcp://127.0.0.1:1'], user: 'u', password: 'pool-secret-123', durationS: 1, dataDir: path.join(dir, 'open-data') }, 0o644);
    const r = await run(['mine', '--config', file, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe(`hashdeck: warning: config file ${file} holds secrets and is readable by other users (mode 644); run chmod 600 ${file}`);
    expect(r.stderr + r.stdout).not.toContain('pool-secret-123');
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^\{"type":"summary"/);
  }, 30_000);
});

describe.concurrent('a board unplugged mid-run', () => {
  /** `hashdeck emulate --pty` (built): a board behind a pseudo-terminal that can be unplugged by stopping it. */
  async function ptyBoard(): Promise<{ path: string; stop(): Promise<void> }> {
    const child = spawnBuiltCli(['emulate', '--pty']);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const pty = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', () => {
        const m = /^PTY (\S+)$/m.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
    });
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    return { path: pty, stop: async () => void (child.kill('SIGTERM'), await exited) };
  }

  it('is waited for quietly: one line when it goes, one when it is back, alive until Ctrl-C, then the summary', async () => {
    // The engine opens a fixed path (as a udev symlink would be); the test points it at each new PTY.
    const link = path.join(dir, 'ttyBOARD');
    let board = await ptyBoard();
    symlinkSync(board.path, link);
    // Benchmark mode (no pool): the old engine emptied its event loop here and exited 0 silently.
    const e = launchEngine(['--device', link, '--chip', 'bm1366', '--scale-bits', '24']);
    await e.waitFor((l) => l.type === 'board' && l.state === 'hashing', 'hashing');
    const before = e.lines.length;
    await board.stop();
    await e.waitFor((l) => l.type === 'board' && l.state === 'lost', 'the board lost');
    // Two re-attach attempts fail meanwhile (after 2 s and 6 s): nothing more is said.
    await new Promise((r) => setTimeout(r, 3000));
    board = await ptyBoard();
    const tmp = `${link}.new`;
    symlinkSync(board.path, tmp);
    renameSync(tmp, link);
    await e.waitFor((l) => l.type === 'board' && l.state === 'hashing' && e.lines.indexOf(l) > before, 'hashing again', 30_000);
    const during = e.lines.slice(before).filter((l) => l.type === 'board' || l.type === 'warning' || (l.type === 'log' && l.level !== 'debug'));
    figures.lostBoardLines = during.map((l) => (l.type === 'board' ? `board ${l.state}` : l.type === 'warning' ? `warning ${l.warning.text}` : `log ${l.text}`));
    // Lost: the board line and its warning; back: the chip line and the board line. Nothing else.
    expect(during.filter((l) => l.type === 'board').map((l) => l.state)).toEqual(['lost', 'hashing']);
    expect(during.filter((l) => l.type === 'warning')).toHaveLength(1);
    expect(during.filter((l) => l.type === 'log')).toHaveLength(1);
    expect(e.alive).toBe(true);
    // Mining again (the emulator returns ~20 nonces a second).
    await new Promise((r) => setTimeout(r, 1500));
    const exit = await e.stop('SIGINT');
    expect(exit.code, e.tail()).toBe(0);
    expect(e.summary()!.validNonces).toBeGreaterThan(0);
    await board.stop();
    unlinkSync(link);
  }, 60_000);
});

// The data-dir lock: a second engine on a directory in use is exit 2 at once, with the holder named.
describe.concurrent('one engine per data directory', () => {
  it('a second engine is refused with exit 2 while the first keeps running', async () => {
    const first = launchEngine(['--device', 'auto']);
    await first.waitForLog(/starting/);
    const second = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BUILT_BIN, 'mine', '--device', 'auto', '--data-dir', first.dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(second.code).toBe(2);
    expect(second.stderr.trim()).toBe(`hashdeck: the data directory ${first.dataDir} is in use by another HashDeck engine (pid ${first.pid}); stop it or use --data-dir.`);
    expect(first.alive).toBe(true);
    expect((await first.stop()).code).toBe(0);
  }, 30_000);
});
