#!/usr/bin/env node
/**
 * Headless entry: `hashdeck mine | diagnose | devices | emulate | notify-test | export`. Never imports electron.
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
  if ((argv[0] !== 'mine' && argv[0] !== 'notify-test') || at < 0) return argv;
  const file = argv[at + 1];
  if (!file || file.startsWith('--')) throw new UsageError('--config needs a file path');
  const { loadFileConfig, fileConfigToArgs } = await import('./config/file-config.js');
  const { config, warnings } = loadFileConfig(file);
  for (const w of warnings) process.stderr.write(`hashdeck: warning: ${w}\n`);
  const rest = [...argv.slice(1, at), ...argv.slice(at + 2)];
  if (argv[0] === 'notify-test') {
    // Only the file's notification settings (each of these flags takes a value).
    const fromFile = fileConfigToArgs(config);
    const notifyArgs: string[] = [];
    for (let i = 0; i < fromFile.length; i++) {
      if (/^--(notify|notify-events|notify-secret|telegram-token|telegram-api)$/.test(fromFile[i]!)) notifyArgs.push(fromFile[i]!, fromFile[++i]!);
    }
    return ['notify-test', ...notifyArgs, ...rest];
  }
  // Devices from the file come first; flags on the command line add to them or set the rest. Settings
  // for every board (from the file, then from the command line before any --device) go before all
  // devices, so that a default --frequency is never taken for the last device's own.
  const split = (list: string[]): [string[], string[]] => {
    const i = list.indexOf('--device');
    return i < 0 ? [list, []] : [list.slice(0, i), list.slice(i)];
  };
  const [fileGlobal, fileDevices] = split(fileConfigToArgs(config));
  const [restGlobal, restDevices] = split(rest);
  return ['mine', ...fileGlobal, ...restGlobal, ...fileDevices, ...restDevices];
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
    case 'notify-test': {
      const { runNotifyTest } = await import('./cli/notify-test.js');
      return runNotifyTest(opts);
    }
    case 'export': {
      const { runExport } = await import('./cli/export.js');
      return runExport(opts);
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
    const isUsage =
      err instanceof UsageError ||
      (err as Error)?.name === 'NodeConfigError' ||
      (err as Error)?.name === 'DataDirLockedError' ||
      (err as Error)?.name === 'DataDirError' ||
      (err as Error)?.name === 'ConfigFileError' ||
      (err as Error)?.name === 'AddressError' ||
      (err as Error)?.name === 'NotifyConfigError';
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`hashdeck: ${message}${/[.!?]$/.test(message) ? '' : '.'}\n`);
    if (!isUsage && process.env.HASHDECK_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(isUsage ? 2 : 1);
  },
);
