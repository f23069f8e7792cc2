import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// One process (no tsx wrapper), so signals such as SIGUSR1/SIGUSR2 reach the CLI itself.
const TSX_LOADER = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const CLI = path.join(ROOT, 'src-main/cli.ts');

export function tempDir(prefix = 'hashdeck-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the real CLI (as `npm run hashdeck` does) to completion. */
export function runCli(args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, opts.env);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hashdeck ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function spawnCli(args: string[], env?: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', TSX_LOADER, CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The built CLI as users run it: bin/hashdeck.js loading out/main/cli.js in its own process. */
export const BUILT_BIN = path.join(ROOT, 'bin/hashdeck.js');

/** Build out/ (npm run build) when the built CLI is missing, so these tests also run on a fresh checkout. */
export function ensureBuilt(): void {
  if (existsSync(path.join(ROOT, 'out/main/cli.js'))) return;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}\n${r.stderr}`);
}

export function spawnBuiltCli(args: string[], env?: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [BUILT_BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** JSON lines of a --json run. */
export function jsonLines(stdout: string): any[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l));
}

/** A running CLI (`mine --json …`) whose output is kept, for tests that wait on what it logs. */
export class WatchedCli {
  out = '';
  err = '';
  readonly exit: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (d) => (this.out += d));
    child.stderr!.on('data', (d) => (this.err += d));
    this.exit = new Promise((r) => child.on('exit', r));
  }

  /** Polls every 100 ms; a timeout's error carries the output, which says why most of the time. */
  async until(pred: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
    const start = Date.now();
    while (!(await pred())) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}\nstdout tail: ${this.out.slice(-2000)}\nstderr: ${this.err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The first log line's text that `re` matches (`dashboard at (\S+)` gives the address the server took). */
  logMatch(re: RegExp): RegExpExecArray | null {
    for (const l of jsonLines(this.out)) {
      const m = l.type === 'log' ? re.exec(l.text) : null;
      if (m) return m;
    }
    return null;
  }

  /** SIGTERM if it still runs; resolves with the exit code. */
  stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exit;
  }
}
