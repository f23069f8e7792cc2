/**
 * One engine per data directory, with a lock the kernel releases when its holder dies: after a
 * SIGKILL, while the killed holder is still an unreaped zombie, and when the pid in the lock file
 * belongs to some other live process (pids recycled in containers), the next start gets the lock.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirError, DataDirLockedError, lockDataDir } from '../../../src-main/engine/data-dir.js';
import { loadNativeAddon } from '../../../src-main/scanner/native-addon.js';
import { ROOT, tempDir } from '../../helpers/cli.js';

const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const HOLDER = path.join(ROOT, 'test/fixtures/engine/lock-holder.ts');
const ONCE = path.join(ROOT, 'test/fixtures/engine/lock-once.ts');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

function startHolder(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', TSX, HOLDER, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => (d.toString().includes('locked') ? resolve(child) : undefined));
    child.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
  });
}

describe('data directory lock', () => {
  it('needs the native addon (the kernel-released lock)', () => {
    expect(loadNativeAddon()?.tryLock).toBeTypeOf('function');
  });

  it('a second engine is refused while the first holds the lock, naming its pid', async () => {
    const dir = tempDir();
    const holder = await startHolder(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`pid ${holder.pid}`));
  });

  it('three starts in a row after SIGKILL all get the lock at once', async () => {
    const dir = tempDir();
    for (let i = 0; i < 3; i++) {
      const holder = await startHolder(dir);
      const exited = new Promise((r) => holder.on('exit', r));
      holder.kill('SIGKILL');
      await exited;
    }
    const release = lockDataDir(dir);
    release();
  });

  it('a killed holder that is still a zombie (its parent never reaped it) does not hold the lock', () => {
    const dir = tempDir();
    // The parent (python) starts the holder, kills it and does not wait for it: a zombie. While
    // the zombie exists, this process must be able to lock; python then reports what it saw.
    const script = [
      'import subprocess, sys, os, signal, time',
      "p = subprocess.Popen([sys.argv[1], '--import', sys.argv[2], sys.argv[3], sys.argv[5]], stdout=subprocess.PIPE)",
      'p.stdout.readline()',
      'os.kill(p.pid, signal.SIGKILL)',
      'time.sleep(0.3)',
      "state = open('/proc/%d/stat' % p.pid).read().rsplit(')', 1)[1].split()[0]",
      'print(p.pid, state, flush=True)',
      "sys.exit(subprocess.run([sys.argv[1], '--import', sys.argv[2], sys.argv[4], sys.argv[5]]).returncode)",
    ].join('\n');
    const r = spawnSync('python3', ['-c', script, process.execPath, TSX, HOLDER, ONCE, dir], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const [, state] = r.stdout.split('\n')[0]!.split(' ');
    expect(state).toBe('Z');
    expect(r.stdout).toContain('took it');
  });

  it('a lock file naming another live process (a recycled pid) is not a lock', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'engine.lock'), `${process.ppid}\n`);
    const release = lockDataDir(dir);
    release();
  });

  it('a data directory that is a file is one sentence, not EEXIST', () => {
    const file = path.join(tempDir(), 'not-a-dir');
    writeFileSync(file, 'x');
    expect(() => lockDataDir(file)).toThrow(DataDirError);
    expect(() => lockDataDir(file)).toThrow(/is a file, not a directory/);
  });
});
