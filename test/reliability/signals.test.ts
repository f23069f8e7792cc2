/**
 * Area 6 of issue 17: signals and supervision. The process a supervisor started gets SIGTERM or
 * SIGINT while it mines with a pool, the web server and the cgminer API: it stops everything (board
 * left safe, shares drained, listeners closed, ledger closed, lock released) and exits 0 with the
 * summary as its last line; a second signal ends it at once; and no launch path leaves a process
 * behind: the bin, `npm run hashdeck`, the systemd unit's command line (with its config file), and
 * the installed app's launcher (resources/bin/hashdeck, with node standing in for the app binary).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../src-main/engine/data-dir.js';
import { StratumTestServer } from '../fixtures/stratum-server.js';
import { ROOT, tempDir } from '../helpers/cli.js';
import { adoptEngine, launchEngine, STACK_TRACE, type EngineRun } from './helpers/engine.js';
import { answerHandshake, ScriptedPool } from './helpers/hostile-pool.js';
import { descendantsOf, isRunning } from './helpers/processes.js';

const USER = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080.rel';
const figures: Record<string, unknown> = {};
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups) await c();
  console.log(`[reliability/signals] ${JSON.stringify(figures)}`);
});

async function testPool(): Promise<StratumTestServer> {
  const srv = new StratumTestServer({ mode: 'public-pool', difficulty: 0.0001 });
  await srv.start();
  cleanups.push(() => srv.stop());
  return srv;
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', () => resolve(true));
  });
}

/** What a clean stop leaves: exit 0, the summary last, listeners closed, ledger closed, lock free, no process behind. */
async function expectCleanStop(e: EngineRun, signal: NodeJS.Signals, ports: number[], tree: number[]): Promise<void> {
  const sentAt = Date.now();
  e.signal(signal);
  const exit = await e.exited;
  figures[`${signal}StopMs`] = Date.now() - sentAt;
  expect(exit.code, e.tail()).toBe(0);
  expect(e.summary()?.type, 'the summary is the last line').toBe('summary');
  expect(e.stderr).not.toMatch(STACK_TRACE);
  // The board was left safe: quiesced and stopped, not lost or failed.
  const boardStates = e.lines.filter((l) => l.type === 'board').map((l) => l.state);
  expect(boardStates.at(-1)).toBe('stopped');
  expect(boardStates).not.toContain('error');
  expect(e.logs(/^stopped$/)).toHaveLength(1);
  for (const p of ports) expect(await refused(p), `port ${p} closed`).toBe(true);
  // SQLite checkpointed and removed its write-ahead log: the ledger was closed.
  const wal = path.join(e.dataDir, 'ledger.sqlite-wal');
  expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
  // The lock is free at once.
  lockDataDir(e.dataDir)();
  for (const pid of tree) expect(isRunning(pid), `pid ${pid} left running`).toBe(false);
}

describe.concurrent('signals', () => {
  it('SIGTERM stops the pool, listeners, board and ledger cleanly, exit 0 with the summary', async () => {
    const srv = await testPool();
    const e = launchEngine(['--device', 'emulator:1', '--pool', srv.url, '--user', USER, '--http', '127.0.0.1:0', '--cgminer-api', '127.0.0.1:0']);
    const ports = await Promise.all([e.httpPort(), e.cgminerPort()]);
    await e.until(() => (srv.accepted >= 1 ? true : null), 'an accepted share');
    const tree = [e.pid, ...descendantsOf(e.pid)];
    // One process: the hash worker is a thread, nothing else was started.
    expect(tree).toEqual([e.pid]);
    await expectCleanStop(e, 'SIGTERM', ports, tree);
    // Shares sent before the stop were answered (drained) and the pool saw the connection close.
    expect(e.summary()!.sharesAccepted).toBeGreaterThanOrEqual(1);
    await e.until(() => (srv.connectedClients === 0 ? true : null), 'the pool connection closed', 5_000);
  }, 60_000);

  it('SIGINT does the same', async () => {
    const srv = await testPool();
    const e = launchEngine(['--device', 'emulator:1', '--pool', srv.url, '--user', USER, '--http', '127.0.0.1:0']);
    const port = await e.httpPort();
    await e.waitFor((l) => l.type === 'board' && l.state === 'hashing', 'hashing');
    await expectCleanStop(e, 'SIGINT', [port], [e.pid]);
  }, 60_000);

  it("a stop during the chips' initialisation is quiet: the summary is the last line, no failure after it", async () => {
    // --duration ends the run while the emulated chain is still being initialised.
    const e = launchEngine(['--device', 'emulator:1', '--duration', '0.7']);
    const exit = await e.exited;
    expect(exit.code, e.tail()).toBe(0);
    expect(e.lines.some((l) => l.type === 'board' && l.state === 'hashing')).toBe(false);
    // Before the fix, the cancelled start failed after the summary ("cannot write: port closed").
    expect(e.summary()?.type, e.tail()).toBe('summary');
    expect(e.lines.filter((l) => (l.type === 'board' && l.state === 'error') || (l.type === 'log' && l.level === 'error'))).toEqual([]);
  }, 30_000);

  it('a second signal during the clean stop ends the process at once (exit 143) and says so', async () => {
    // A pool that never answers a share: the clean stop would wait for the replies.
    const mute = await new ScriptedPool((c) => answerHandshake(c, { difficulty: 0.0001 })).start();
    cleanups.push(() => mute.stop());
    const e = launchEngine(['--device', 'emulator:1', '--pool', mute.url, '--user', USER]);
    await e.until(() => (mute.connections.some((c) => c.lines.some((l) => l.method === 'mining.submit')) ? true : null), 'a share sent', 30_000);
    e.signal('SIGTERM');
    await e.until(() => (e.lines.some((l) => l.type === 'board' && l.state === 'stopped') || e.stderr !== '' ? true : null), 'the clean stop under way', 10_000);
    e.signal('SIGTERM');
    const exit = await e.exited;
    expect(exit.code, e.tail()).toBe(143);
    expect(e.stderr.trim()).toBe('hashdeck: SIGTERM again: exiting without waiting for the clean stop.');
    // The kernel lock went with the process.
    lockDataDir(e.dataDir)();
  }, 60_000);
});

describe.concurrent('no orphan in any launch path', () => {
  it('npm run hashdeck: SIGTERM to npm stops the engine below it (the shell between does not pass it on), nothing is left', async () => {
    const dataDir = tempDir('hashdeck-npm-');
    const child = spawn('npm', ['run', '-s', 'hashdeck', '--', 'mine', '--device', 'emulator:1', '--json', '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const e = adoptEngine(child, dataDir);
    await e.waitFor((l) => l.type === 'board' && l.state === 'hashing', 'hashing under npm');
    const tree = [e.pid, ...descendantsOf(e.pid)];
    figures.npmTree = tree.length;
    expect(tree.length).toBeGreaterThanOrEqual(2); // npm and the engine (and a shell between them on some npm versions)
    e.signal('SIGTERM');
    // npm exits at once; its output pipe stays open until the engine below it is gone too.
    await e.exited;
    for (const pid of tree) expect(isRunning(pid), `pid ${pid} left running`).toBe(false);
    expect(e.summary()?.type).toBe('summary');
    expect(e.stderr).toMatch(/npm's process \d+ that started this engine is gone: stopping/);
    lockDataDir(dataDir)();
  }, 60_000);

  it("the systemd unit's command line, with a config file: SIGTERM (its KillSignal) stops it cleanly, one process", async () => {
    const unit = readFileSync(path.join(ROOT, 'resources/systemd/hashdeck.service'), 'utf8');
    const execStart = /^ExecStart=(\S+) (.+)$/m.exec(unit)!;
    expect(execStart[1]).toBe('/usr/bin/hashdeck');
    expect(/^KillSignal=SIGTERM$/m.test(unit)).toBe(true);
    expect(/^RestartPreventExitStatus=2$/m.test(unit)).toBe(true);
    const args = execStart[2]!.split(' ');
    expect(args).toEqual(['mine', '--config', '/etc/hashdeck/config.json']);
    // The same command with this checkout's bin for /usr/bin/hashdeck and a config file of our own.
    const dir = tempDir('hashdeck-unit-');
    const config = path.join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ devices: ['emulator:1'], dataDir: path.join(dir, 'data'), http: '127.0.0.1:0' }), { mode: 0o600 });
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/hashdeck.js'), ...args.map((a) => (a === '/etc/hashdeck/config.json' ? config : a)), '--json'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const e = adoptEngine(child, path.join(dir, 'data'));
    const port = await e.httpPort();
    await e.waitFor((l) => l.type === 'board' && l.state === 'hashing', 'hashing as a service');
    expect(descendantsOf(e.pid)).toEqual([]);
    await expectCleanStop(e, 'SIGTERM', [port], [e.pid]);
    // A bad config file is exit 2, which the unit does not restart.
    writeFileSync(config, '{"devices": []}', { mode: 0o600 });
    const bad = adoptEngine(spawn(process.execPath, [path.join(ROOT, 'bin/hashdeck.js'), 'mine', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] }), dir);
    expect((await bad.exited).code).toBe(2);
    expect(bad.stderr).toMatch(/^hashdeck: config file .*: devices: list at least one device/);
  }, 60_000);

  it("the installed app's launcher (resources/bin/hashdeck) execs the engine: the launched pid is the engine", async () => {
    // The app's layout, with node standing in for the app binary (run as Node through ELECTRON_RUN_AS_NODE).
    const install = tempDir('hashdeck-app-');
    const resources = path.join(install, 'resources');
    mkdirSync(path.join(resources, 'bin'), { recursive: true });
    // Copied, not linked: the launcher finds the app from its own real path.
    copyFileSync(path.join(ROOT, 'resources/bin/hashdeck'), path.join(resources, 'bin/hashdeck'));
    symlinkSync(process.execPath, path.join(install, 'hashdeck'));
    symlinkSync(ROOT, path.join(resources, 'app.asar'));
    const dataDir = tempDir('hashdeck-app-data-');
    const child = spawn(path.join(resources, 'bin/hashdeck'), ['mine', '--device', 'emulator:1', '--json', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const e = adoptEngine(child, dataDir);
    await e.waitFor((l) => l.type === 'board' && l.state === 'hashing', 'hashing through the launcher');
    // exec: the shell script became the engine (no shell waiting above it, no child below it).
    expect(readFileSync(`/proc/${e.pid}/cmdline`, 'utf8')).toContain('out/main/cli.js');
    expect(descendantsOf(e.pid)).toEqual([]);
    await expectCleanStop(e, 'SIGTERM', [], [e.pid]);
  }, 60_000);
});
