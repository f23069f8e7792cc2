/**
 * Which invocation of the installed `hashdeck` command is the headless CLI and which the desktop
 * app. One rule for every launcher (the Linux /usr/bin/hashdeck script, the Windows hashdeck.cmd,
 * main.ts when the app binary itself gets CLI arguments): the first argument decides. A CLI word
 * there (`mine`, `diagnose`, `devices`, `emulate`, help or version) runs the CLI headless, without
 * a window; anything else (nothing, Chromium switches, a file the OS asks the app to open) starts
 * the desktop app. Pure: tested in plain Node.
 */

/** First arguments that mean the headless CLI (commands, then help and version as cli/args.ts reads them). */
export const CLI_FIRST_ARGUMENTS = ['mine', 'diagnose', 'devices', 'emulate', 'help', '--help', '-h', '--version', '-v'] as const;

export type LaunchMode = 'cli' | 'gui';

/** `args`: the user's arguments, without the executable (and without the app path under `electron .`). */
export function launchModeFor(args: readonly string[]): LaunchMode {
  const first = args[0];
  return first !== undefined && (CLI_FIRST_ARGUMENTS as readonly string[]).includes(first) ? 'cli' : 'gui';
}

/**
 * The user's arguments from an Electron main process's argv: a packaged app is `[exe, ...args]`,
 * a development run `[electron, appPath, ...args]`.
 */
export function userArguments(argv: readonly string[], packaged: boolean): string[] {
  return argv.slice(packaged ? 1 : 2);
}
