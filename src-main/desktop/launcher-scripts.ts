/**
 * The `hashdeck` commands installed with the desktop app, generated from the one dispatch rule
 * (launch-mode.ts) by `npm run generate` into resources/bin (packed as extraResources; a unit test
 * checks the committed files are what this module makes). CLI arguments run the built CLI with the
 * app's own binary as Node (ELECTRON_RUN_AS_NODE=1): no window, no display, and on POSIX the
 * launcher execs, so the PID a supervisor knows is the engine's.
 */
import { CLI_FIRST_ARGUMENTS } from './launch-mode.js';

/** electron-builder.yml: `executableName` (Linux, Windows) and `productName` (the macOS bundle). */
export const LINUX_EXECUTABLE = 'hashdeck';
export const WINDOWS_EXECUTABLE = 'hashdeck.exe';
export const MAC_EXECUTABLE = 'HashDeck';
/** The built CLI inside the packaged app's resources. */
export const CLI_IN_RESOURCES = 'app.asar/out/main/cli.js';

const HEADER = 'generated from src-main/desktop/launcher-scripts.ts by npm run generate; do not edit';

/**
 * POSIX launcher, at <resources>/bin/hashdeck. Linux: /opt/HashDeck/resources/bin/hashdeck (the
 * .deb links /usr/bin/hashdeck to it; the binary is /opt/HashDeck/hashdeck). macOS:
 * HashDeck.app/Contents/Resources/bin/hashdeck (the binary is Contents/MacOS/HashDeck).
 */
export function posixLauncher(): string {
  return `#!/bin/sh
# hashdeck: the desktop app's command (${HEADER}).
# \`hashdeck ${CLI_FIRST_ARGUMENTS.join('|')} …\` runs the engine headless with the app's own
# binary as Node: no window and no display needed, and exec keeps one process, so SIGTERM from a
# supervisor reaches the engine. Anything else opens the desktop app.
self=$(readlink -f "$0" 2>/dev/null || printf '%s' "$0")
resources=$(CDPATH= cd -- "$(dirname -- "$self")/.." && pwd)
if [ -x "$resources/../MacOS/${MAC_EXECUTABLE}" ]; then
  app="$resources/../MacOS/${MAC_EXECUTABLE}"
else
  app="$resources/../${LINUX_EXECUTABLE}"
fi
case "\${1-}" in
  ${CLI_FIRST_ARGUMENTS.join('|')})
    ELECTRON_RUN_AS_NODE=1 exec "$app" "$resources/${CLI_IN_RESOURCES}" "$@" ;;
esac
exec "$app" "$@"
`;
}

/** Windows launcher, at <install dir>\\resources\\bin\\hashdeck.cmd (put that folder on PATH). */
export function windowsLauncher(): string {
  const cliWin = CLI_IN_RESOURCES.replaceAll('/', '\\');
  return [
    '@echo off',
    `rem hashdeck: the desktop app's command (${HEADER}).`,
    `rem CLI arguments run the engine headless with the app's binary as Node; anything else opens the app.`,
    'setlocal',
    `set "app=%~dp0..\\..\\${WINDOWS_EXECUTABLE}"`,
    `for %%c in (${CLI_FIRST_ARGUMENTS.join(' ')}) do if "%~1"=="%%c" goto cli`,
    'start "" "%app%" %*',
    'exit /b 0',
    ':cli',
    'set "ELECTRON_RUN_AS_NODE=1"',
    `"%app%" "%~dp0..\\${cliWin}" %*`,
    'exit /b %ERRORLEVEL%',
    '',
  ].join('\r\n');
}
