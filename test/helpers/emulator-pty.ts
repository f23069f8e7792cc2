import type { ChildProcess } from 'node:child_process';
import { spawnCli } from './cli.js';

export interface EmulatorProcess {
  path: string;
  child: ChildProcess;
  stdout(): string;
  /** Ask for a JSON status line (SIGUSR1) and return it. */
  status(): Promise<any>;
  powerCycle(): void;
  stop(): Promise<void>;
}

/** `hashdeck emulate --pty` as a separate process; resolves once it printed its PTY path. */
export async function startEmulatorPty(args: string[] = []): Promise<EmulatorProcess> {
  const child = spawnCli(['emulate', '--pty', ...args]);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const path = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${err}`)), 20_000);
    const check = (): void => {
      const m = /^PTY (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}: ${err}`)));
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return {
    path,
    child,
    stdout: () => out,
    status: async () => {
      const before = out.length;
      child.kill('SIGUSR1');
      for (let i = 0; i < 100; i++) {
        const m = /^(\{"type":"status".*\})$/m.exec(out.slice(before));
        if (m) return JSON.parse(m[1]!);
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('no status line from the emulator');
    },
    powerCycle: () => void child.kill('SIGUSR2'),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
