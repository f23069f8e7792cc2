/**
 * Runs the built CLI with the app's own binary in Node mode (ELECTRON_RUN_AS_NODE=1), for a desktop
 * app binary started with CLI arguments (main.ts on macOS and Windows, or the AppImage with a
 * display). The child gets the terminal; SIGINT, SIGTERM and SIGHUP sent to this process are passed
 * on, so stopping the app binary stops the engine cleanly; this process exits with the CLI's code.
 * Services should start the CLI directly (the launcher scripts do), so that no parent sits between.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface CliAsNode {
  /** The app binary (process.execPath in Electron). */
  execPath: string;
  /** out/main/cli.js (inside app.asar: Node mode reads the archive). */
  cliPath: string;
  args: readonly string[];
}

/** Resolves with the exit code to use (128 + signal number when the CLI died of a signal). */
export function runCliAsNode({ execPath, cliPath, args }: CliAsNode): Promise<number> {
  const child = spawn(execPath, [cliPath, ...args], { stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
  for (const s of FORWARDED_SIGNALS) process.on(s, forward);
  return new Promise((resolve) => {
    const done = (code: number): void => {
      for (const s of FORWARDED_SIGNALS) process.off(s, forward);
      resolve(code);
    };
    child.once('error', (err) => {
      process.stderr.write(`hashdeck: could not start the CLI: ${err.message}\n`);
      done(1);
    });
    child.once('exit', (code, signal) => done(code ?? 128 + (signal ? signalNumber(signal) : 0)));
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return constants.signals[signal] ?? 0;
}
