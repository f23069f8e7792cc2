/**
 * The desktop app's `hashdeck` command: the generated POSIX launcher, run for real in a fake
 * install (.deb layout through a /usr/bin symlink, and a macOS bundle), sends CLI words to the app
 * binary in Node mode with the built CLI and everything else to the GUI; and the app binary itself,
 * given CLI arguments, runs the CLI as Node and passes signals on (run-cli-as-node.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../../helpers/cli.js';

/** A stand-in for the Electron binary: prints how it was started. */
const FAKE_APP = '#!/bin/sh\necho "node-mode=${ELECTRON_RUN_AS_NODE:-0}"\nfor a in "$@"; do echo "arg=$a"; done\n';

function install(appBinary: string, resources: string): void {
  mkdirSync(path.dirname(appBinary), { recursive: true });
  mkdirSync(path.join(resources, 'bin'), { recursive: true });
  writeFileSync(appBinary, FAKE_APP);
  chmodSync(appBinary, 0o755);
  copyFileSync(path.join(ROOT, 'resources/bin/hashdeck'), path.join(resources, 'bin/hashdeck'));
  chmodSync(path.join(resources, 'bin/hashdeck'), 0o755);
}

function run(launcher: string, args: string[]): string[] {
  const r = spawnSync(launcher, args, { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '' } });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim().split('\n');
}

describe('desktop launchers', () => {
  it('.deb layout: /usr/bin/hashdeck → resources/bin/hashdeck; mine runs the CLI in Node mode, no argument opens the app', () => {
    const root = tempDir('hashdeck-deb-');
    const opt = path.join(root, 'opt/HashDeck');
    install(path.join(opt, 'hashdeck'), path.join(opt, 'resources'));
    mkdirSync(path.join(root, 'usr/bin'), { recursive: true });
    const usrBin = path.join(root, 'usr/bin/hashdeck');
    symlinkSync(path.join(opt, 'resources/bin/hashdeck'), usrBin);

    expect(run(usrBin, ['mine', '--device', 'emulator:1', '--pool', 'stratum+tcp://a b:1'])).toEqual([
      'node-mode=1',
      `arg=${path.join(opt, 'resources/app.asar/out/main/cli.js')}`,
      'arg=mine',
      'arg=--device',
      'arg=emulator:1',
      'arg=--pool',
      'arg=stratum+tcp://a b:1',
    ]);
    expect(run(usrBin, ['--version'])[0]).toBe('node-mode=1');
    expect(run(usrBin, [])).toEqual(['node-mode=0']);
    expect(run(usrBin, ['--no-sandbox'])).toEqual(['node-mode=0', 'arg=--no-sandbox']);
  });

  it('macOS bundle layout: Contents/Resources/bin/hashdeck finds Contents/MacOS/HashDeck', () => {
    const contents = path.join(tempDir('hashdeck-mac-'), 'HashDeck.app/Contents');
    install(path.join(contents, 'MacOS/HashDeck'), path.join(contents, 'Resources'));
    const out = run(path.join(contents, 'Resources/bin/hashdeck'), ['devices']);
    expect(out).toEqual(['node-mode=1', `arg=${path.join(contents, 'Resources/app.asar/out/main/cli.js')}`, 'arg=devices']);
  });

  it('the app binary given CLI arguments runs the CLI as Node, passes SIGTERM on and exits with its code', async () => {
    const dir = tempDir('hashdeck-asnode-');
    // A CLI stand-in: reports Node mode, then waits for SIGTERM and exits 7.
    const cli = path.join(dir, 'cli.js');
    writeFileSync(
      cli,
      "process.stdout.write(`ready ${process.env.ELECTRON_RUN_AS_NODE} ${process.argv.slice(2).join(' ')}\\n`);\nprocess.on('SIGTERM', () => process.exit(7));\nsetInterval(() => {}, 1000);\n",
    );
    // The parent plays the app binary's main process (node stands in for Electron's binary).
    const driver = path.join(dir, 'app-main.ts');
    writeFileSync(
      driver,
      `import { runCliAsNode } from ${JSON.stringify(path.join(ROOT, 'src-main/desktop/run-cli-as-node.ts'))};\nvoid runCliAsNode({ execPath: process.execPath, cliPath: ${JSON.stringify(cli)}, args: ['mine', '--json'] }).then((code) => process.exit(code));\n`,
    );
    const parent = spawn(process.execPath, ['--import', 'tsx', driver], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    parent.stdout!.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => parent.on('close', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!stdout.includes('ready')) {
      if (Date.now() > deadline) throw new Error('the CLI stand-in never started');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(stdout).toContain('ready 1 mine --json');
    parent.kill('SIGTERM');
    expect(await exited).toBe(7);
  });
});
