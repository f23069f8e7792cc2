/**
 * The engine under attack: the built CLI (`bin/hashdeck.js mine … --json`) as a child process, the
 * way users and supervisors run it. Its JSON lines are parsed as they come; tests wait for lines,
 * read its resident memory from /proc, send it signals and collect its exit. Every engine started
 * here is killed at the end of the test file if a test left it running.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { ensureBuilt, spawnBuiltCli, tempDir } from '../../helpers/cli.js';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface EngineLine {
  type: string;
  [key: string]: any;
}

const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

export class EngineRun {
  readonly child: ChildProcess;
  readonly dataDir: string;
  stdout = '';
  stderr = '';
  readonly lines: EngineLine[] = [];
  readonly exited: Promise<Exit>;
  private exit: Exit | null = null;
  private readonly waiters = new Set<() => void>();

  /** A running `hashdeck mine` process: started here from the built CLI, or given (another launch path). */
  constructor(args: string[], opts: { dataDir?: string; env?: NodeJS.ProcessEnv; json?: boolean; child?: ChildProcess } = {}) {
    ensureBuilt();
    this.dataDir = opts.dataDir ?? tempDir('hashdeck-rel-');
    const json = opts.json ?? true;
    this.child = opts.child ?? spawnBuiltCli(['mine', ...args, ...(json ? ['--json'] : []), '--data-dir', this.dataDir], opts.env);
    running.add(this.child);
    let pending = '';
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (d: string) => {
      this.stdout += d;
      pending += d;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line.startsWith('{')) {
          try {
            this.lines.push(JSON.parse(line) as EngineLine);
          } catch {
            this.lines.push({ type: 'unparsable', text: line });
          }
        }
      }
      this.wake();
    });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (d: string) => {
      this.stderr += d;
      this.wake();
    });
    this.exited = new Promise((resolve) =>
      this.child.on('close', (code, signal) => {
        running.delete(this.child);
        this.exit = { code, signal };
        this.wake();
        resolve(this.exit);
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.exit === null;
  }

  /** Log lines (JSON `log` events) whose text matches. */
  logs(pattern: RegExp): EngineLine[] {
    return this.lines.filter((l) => l.type === 'log' && pattern.test(String(l.text)));
  }

  /** Resolves with the first line (already seen or to come) that matches; fails when the engine exits first or time runs out. */
  waitFor(pred: (l: EngineLine) => boolean, what: string, timeoutMs = 30_000): Promise<EngineLine> {
    return this.until(() => this.lines.find(pred) ?? null, what, timeoutMs);
  }

  waitForLog(pattern: RegExp, timeoutMs = 30_000): Promise<EngineLine> {
    return this.waitFor((l) => l.type === 'log' && pattern.test(String(l.text)), `a log line matching ${pattern}`, timeoutMs);
  }

  /** Polls `check` on every output and every 100 ms until it returns something other than null/false. */
  until<T>(check: () => T | null | false | undefined, what: string, timeoutMs = 30_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const tick = (): void => {
        const v = check();
        if (v !== null && v !== false && v !== undefined) return done(() => resolve(v));
        if (this.exit) return done(() => reject(new Error(`the engine exited (${JSON.stringify(this.exit)}) before ${what}\n${this.tail()}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for ${what}\n${this.tail()}`))), timeoutMs);
      const poll = setInterval(tick, 100);
      const done = (f: () => void): void => {
        clearTimeout(timer);
        clearInterval(poll);
        this.waiters.delete(tick);
        f();
      };
      this.waiters.add(tick);
      tick();
    });
  }

  /** The port a listener announced in its log line ("dashboard at http://127.0.0.1:P/", "cgminer API on 127.0.0.1:P"). */
  async httpPort(): Promise<number> {
    const l = await this.waitForLog(/dashboard at http:\/\/[^ ]+:\d+\//);
    return Number(/:(\d+)\/(?: |$)/.exec(String(l.text))![1]);
  }

  async cgminerPort(): Promise<number> {
    const l = await this.waitForLog(/cgminer API on .*:\d+$/);
    return Number(/:(\d+)$/.exec(String(l.text))![1]);
  }

  /** Resident memory in KiB (Linux /proc). */
  rssKb(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]);
  }

  /** The last JSON line, which must be the summary after a clean stop. */
  summary(): EngineLine | undefined {
    const last = this.lines.at(-1);
    return last?.type === 'summary' ? last : undefined;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.alive) process.kill(this.pid, signal);
  }

  /** SIGTERM and wait for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
    this.signal(signal);
    return this.exited;
  }

  tail(): string {
    return `--- stdout (end) ---\n${this.stdout.slice(-3000)}\n--- stderr ---\n${this.stderr.slice(-2000)}`;
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

export function launchEngine(args: string[], opts: { dataDir?: string; env?: NodeJS.ProcessEnv; json?: boolean } = {}): EngineRun {
  return new EngineRun(args, opts);
}

/** Another launch path (npm script, a service's command line, the app's launcher): `child` must pipe stdout and stderr. */
export function adoptEngine(child: ChildProcess, dataDir: string): EngineRun {
  return new EngineRun([], { child, dataDir });
}

/** A stack trace in output: the one thing a user must never see. */
export const STACK_TRACE = /\n\s+at .+\(|\n\s+at [\w.<>]+ \(|node:internal/;
