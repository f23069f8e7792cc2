/**
 * The built CLI (bin/hashdeck.js → out/main/cli.js) is one process: the PID a supervisor knows is
 * the engine itself, so SIGTERM stops it cleanly (summary printed, ledger closed, data directory
 * unlocked) and nothing keeps mining orphaned.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mineSummarySchema } from '@shared/contract';
import { lockDataDir } from '../../../src-main/engine/data-dir.js';
import { ROOT, ensureBuilt, jsonLines, spawnBuiltCli, tempDir } from '../../helpers/cli.js';

/** PIDs whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent PID; the command name (field 2) may hold spaces.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

describe('built hashdeck CLI and signals', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  it('kill -TERM of the one process stops mining cleanly and frees the data directory at once', async () => {
    const dataDir = tempDir();
    const child = spawnBuiltCli(['mine', '--device', 'emulator:1', '--json', '--data-dir', dataDir]);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

    // Wait until the emulated board hashes and has returned nonces (board stats in a snapshot are not printed; the board state is).
    const deadline = Date.now() + 30_000;
    while (!jsonLines(stdout).some((l) => l.type === 'board' && l.state === 'hashing')) {
      if (Date.now() > deadline) throw new Error(`the board never started hashing\n${stdout}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 2000));

    // No wrapper: the CLI runs no child process (the hash worker is a thread).
    expect(childrenOf(child.pid!)).toEqual([]);
    expect(existsSync(path.join(dataDir, 'engine.lock'))).toBe(true);

    process.kill(child.pid!, 'SIGTERM');
    const code = await exited;
    expect(code, stderr).toBe(0);
    const summary = mineSummarySchema.parse(jsonLines(stdout).at(-1));
    expect(summary.emulated).toBe(true);
    expect(summary.nonces).toBeGreaterThan(0);
    expect(summary.hwErrors).toBe(0);
    // The lock is free (the kernel lock on engine.lock went with the process; the file stays) and
    // SQLite checkpointed and removed its write-ahead log: the ledger was closed.
    lockDataDir(dataDir)();
    const wal = path.join(dataDir, 'ledger.sqlite-wal');
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);

    // A second engine on the same data directory starts at once.
    const second = spawnBuiltCli(['mine', '--device', 'auto', '--duration', '1', '--json', '--data-dir', dataDir]);
    let secondOut = '';
    let secondErr = '';
    second.stdout!.on('data', (d) => (secondOut += d));
    second.stderr!.on('data', (d) => (secondErr += d));
    const secondCode = await new Promise<number | null>((resolve) => second.on('close', (c) => resolve(c)));
    expect(secondCode, secondErr).toBe(0);
    expect(mineSummarySchema.parse(jsonLines(secondOut).at(-1)).type).toBe('summary');
  });

  it('an emulated board whose hash worker cannot start is an error that says why, not a silent zero', async () => {
    // A bundle laid out without the worker file beside its entries (what a changed chunk layout did).
    const broken = tempDir('hashdeck-broken-bundle-');
    cpSync(path.join(ROOT, 'out/main'), path.join(broken, 'main'), { recursive: true });
    rmSync(path.join(broken, 'main/hash-worker.js'));
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [path.join(broken, 'main/cli.js'), 'mine', '--device', 'emulator:1', '--duration', '3', '--json', '--data-dir', tempDir()], {
        env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d) => (stdout += d));
      child.stderr!.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    const lines = jsonLines(r.stdout);
    const failed = lines.find((l) => l.type === 'board' && l.state === 'error');
    expect(failed?.detail, r.stderr).toMatch(/hash worker could not start.*hash-worker\.js/);
    expect(mineSummarySchema.parse(lines.at(-1)).nonces).toBe(0);

    // The PTY emulator refuses to start rather than serve a board that never answers with a nonce.
    const pty = spawnSync(process.execPath, [path.join(broken, 'main/cli.js'), 'emulate', '--pty'], {
      env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(pty.status).toBe(2);
    expect(pty.stdout).not.toMatch(/^PTY /m);
    expect(pty.stderr).toMatch(/Cannot start the emulator: the emulated board cannot hash: .*hash worker could not start/);
  });
});
