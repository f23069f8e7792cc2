/**
 * `hashdeck emulate --pty`: run a virtual board behind a PTY until killed. Output contract:
 *   line 1   `PTY <path>`                       (tests and scripts read the path from here)
 *   line 2   `scale-bits <K> …`                 (nonces come at ticket difficulty × 2^-K)
 *   SIGUSR1  one JSON status line               ({"type":"status", nonces sent, best difficulty, frames, log …})
 *   SIGUSR2  power-cycle the chips              (prints `power-cycle`)
 *   SIGTERM / SIGINT → close cleanly, exit code 0. Bad options → one sentence on stderr, exit code 2.
 */
import { isChipModel } from '@shared/chip-model.js';
import { EmulatorOptionsError } from './options.js';
import { runEmulatorPty } from './run-pty.js';

export interface EmulateCommandOptions {
  chips?: number;
  model?: string;
  scaleBits?: number;
  hashRateHs?: number;
  missingChips?: number[];
  deadCores?: number[];
  noiseRate?: number;
}

export async function emulateCommand(
  opts: EmulateCommandOptions,
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
  signals: NodeJS.EventEmitter = process,
): Promise<number> {
  const model = opts.model ?? 'bm1366';
  if (!isChipModel(model)) {
    stderr.write(`Unknown chip model "${model}" (expected bm1366, bm1368, bm1370 or bm1397).\n`);
    return 2;
  }
  let pty;
  try {
    pty = await runEmulatorPty({ ...opts, model, hashing: 'worker' });
  } catch (err) {
    const message = err instanceof EmulatorOptionsError ? `${capitalise(err.message)}.` : `Cannot start the emulator: ${(err as Error).message}.`;
    stderr.write(message + '\n');
    return 2;
  }
  const { chain } = pty;
  stdout.write(`PTY ${pty.path}\n`);
  stdout.write(
    `scale-bits ${chain.options.scaleBits} (nonces at ticket difficulty x 2^-${chain.options.scaleBits}; ${chain.options.chips}x ${chain.options.model}, ${chain.options.hashRateHs} H/s, pty ${pty.kind})\n`,
  );

  const onStatus = (): void => {
    // The start of the register log shows the init order the host used (tests check it).
    stdout.write(JSON.stringify({ type: 'status', ...chain.status(), log: chain.formatLog().split('\n').slice(0, 400) }) + '\n');
  };
  const onPowerCycle = (): void => {
    chain.powerCycle();
    stdout.write('power-cycle\n');
  };
  const onStop = (): void => void pty.close();
  signals.on('SIGUSR1', onStatus);
  signals.on('SIGUSR2', onPowerCycle);
  signals.on('SIGTERM', onStop);
  signals.on('SIGINT', onStop);
  await pty.closed;
  if (chain.fault) stderr.write(`The emulated board stopped: ${chain.fault.message}.\n`);
  signals.off('SIGUSR1', onStatus);
  signals.off('SIGUSR2', onPowerCycle);
  signals.off('SIGTERM', onStop);
  signals.off('SIGINT', onStop);
  return chain.fault ? 1 : 0;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
