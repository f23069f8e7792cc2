#!/usr/bin/env node
/**
 * Headless entry: `hashdeck mine | diagnose | devices | emulate`. Never imports electron.
 * Bad input → one sentence on stderr, exit 2; no stack traces for users.
 */
// First, before anything allocates: a small young generation (runtime/young-generation.ts).
import './runtime/young-generation.js';
import { parseArgs } from './cli/args.js';
import { HELP } from './cli/help.js';
import { UsageError } from './cli/usage-error.js';
import { VERSION } from './engine/version.js';
import { registerEntryPoint } from './runtime/runtime-files.js';

// Built, this is out/main/cli.js: the hash worker and the dashboard are found from here.
registerEntryPoint(import.meta.url);

/** `mine --config <file>`: the file's settings become arguments, parsed by the same rules as flags. */
async function expandConfig(argv: string[]): Promise<string[]> {
  const at = argv.indexOf('--config');
  if (argv[0] !== 'mine' || at < 0) return argv;
  const file = argv[at + 1];
  if (!file || file.startsWith('--')) throw new UsageError('--config needs a file path');
  const { loadFileConfig, fileConfigToArgs } = await import('./config/file-config.js');
  const { config, warnings } = loadFileConfig(file);
  for (const w of warnings) process.stderr.write(`hashdeck: warning: ${w}\n`);
  const rest = [...argv.slice(1, at), ...argv.slice(at + 2)];
  // Devices from the file come first; flags on the command line add to them or set the rest. A
  // --ticket-difficulty on a command line without its own --device is for every board, so it goes
  // before the file's devices (after one it would be that device's).
  const ticketAt = rest.includes('--device') ? -1 : rest.indexOf('--ticket-difficulty');
  const globalTicket = ticketAt < 0 ? [] : rest.splice(ticketAt, 2);
  return ['mine', ...globalTicket, ...fileConfigToArgs(config), ...rest];
}

async function main(argv: string[]): Promise<number> {
  const opts = parseArgs(await expandConfig(argv));
  switch (opts.command) {
    case 'help':
      process.stdout.write(HELP);
      return 0;
    case 'version':
      process.stdout.write(`hashdeck ${VERSION}\n`);
      return 0;
    case 'devices': {
      const { runDevices } = await import('./cli/devices.js');
      return runDevices(opts.json);
    }
    case 'mine': {
      const { runMine } = await import('./cli/mine.js');
      return runMine(opts);
    }
    case 'emulate': {
      const { runEmulate } = await import('./cli/emulate.js');
      return runEmulate(opts);
    }
    case 'diagnose': {
      const { runDiagnose } = await import('./cli/diagnose.js');
      return runDiagnose(opts);
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Servers and timers are closed by now; do not wait on stray handles (serial bindings).
    setTimeout(() => process.exit(code), 200).unref();
  },
  (err: unknown) => {
    const isUsage = err instanceof UsageError || (err as Error)?.name === 'NodeConfigError' || (err as Error)?.name === 'DataDirLockedError' || (err as Error)?.name === 'DataDirError' || (err as Error)?.name === 'ConfigFileError' || (err as Error)?.name === 'AddressError';
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`hashdeck: ${message}${/[.!?]$/.test(message) ? '' : '.'}\n`);
    if (!isUsage && process.env.HASHDECK_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(isUsage ? 2 : 1);
  },
);
