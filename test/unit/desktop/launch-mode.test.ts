/** Which argv is the headless CLI and which the desktop app; the generated launchers follow the same rule. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_FIRST_ARGUMENTS, launchModeFor, userArguments } from '../../../src-main/desktop/launch-mode.js';
import { GENERATED_RESOURCES } from '../../../scripts/generated-resources.js';
import { ROOT } from '../../helpers/cli.js';

describe('launch mode', () => {
  it('a CLI command, help or version first → the headless CLI', () => {
    for (const args of [
      ['mine', '--device', 'emulator:1'],
      ['diagnose', '--device', '/dev/ttyACM1'],
      ['devices', '--json'],
      ['emulate', '--pty'],
      ['--help'],
      ['-h'],
      ['help', 'mine'],
      ['--version'],
      ['-v'],
    ]) {
      expect(launchModeFor(args), args.join(' ')).toBe('cli');
    }
  });

  it('nothing, Chromium switches, a file to open or an unknown word → the desktop app', () => {
    for (const args of [[], ['--no-sandbox'], ['--enable-logging', 'mine'], ['-psn_0_12345'], ['/home/me/report.json'], ['mining'], ['MINE']]) {
      expect(launchModeFor(args), args.join(' ')).toBe('gui');
    }
  });

  it('user arguments: a packaged app drops only the executable, `electron .` also the app path', () => {
    expect(userArguments(['/opt/HashDeck/hashdeck', 'mine'], true)).toEqual(['mine']);
    expect(userArguments(['/x/electron', '.', 'mine'], false)).toEqual(['mine']);
  });

  it('the committed launchers are what npm run generate makes, and list every CLI word', () => {
    for (const r of GENERATED_RESOURCES) expect(readFileSync(path.join(ROOT, r.path), 'utf8'), r.path).toBe(r.content());
    const posix = readFileSync(path.join(ROOT, 'resources/bin/hashdeck'), 'utf8');
    const cmd = readFileSync(path.join(ROOT, 'resources/bin/hashdeck.cmd'), 'utf8');
    for (const word of CLI_FIRST_ARGUMENTS) {
      expect(posix).toContain(word);
      expect(cmd).toContain(word);
    }
  });
});
