/**
 * The data directory (ledger, found blocks, settings) is shared by the CLI and the desktop app,
 * and locked so that only one engine uses it at a time.
 */
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadNativeAddon } from '../scanner/native-addon.js';

/** Electron's userData for productName "HashDeck" on each OS, so both front ends share one directory. */
export function defaultDataDir(): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'HashDeck');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'HashDeck');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'HashDeck');
}

export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
}

/**
 * Take the exclusive engine lock on `dir` (docs/design.md §3: one engine per data directory).
 * The lock is an advisory lock on `<dir>/engine.lock` held through an open descriptor for the
 * engine's life, so the kernel releases it however the engine ends (SIGKILL, crash, power loss):
 * no stale lock, whatever happens to pids (zombies, recycled pids in containers). The file holds
 * the holder's pid only to name it in the message. Without the native addon, a pid file checked
 * with kill(pid, 0) is the fallback.
 */
export function lockDataDir(dir: string): () => void {
  ensureDirectory(dir);
  const lockPath = path.join(dir, 'engine.lock');
  const addon = loadNativeAddon();
  if (!addon) return lockWithPidFile(dir, lockPath);
  // 'a+' neither truncates nor fails when the file exists: the holder's pid stays readable.
  const fd = openSync(lockPath, 'a+', 0o600);
  let locked: boolean;
  try {
    locked = addon.tryLock(fd);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  if (!locked) {
    closeSync(fd);
    const pid = readPid(lockPath);
    throw new DataDirLockedError(`the data directory ${dir} is in use by another HashDeck engine${pid ? ` (pid ${pid})` : ''}; stop it or use --data-dir`);
  }
  ftruncateSync(fd, 0);
  writeSync(fd, `${process.pid}\n`, 0);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    // Closing the descriptor releases the lock; the file stays (unlinking it would let a second
    // engine lock a new file while a first still holds the old one).
    closeSync(fd);
  };
}

/** A data directory that is a file (or cannot be created) is a sentence, not an EEXIST. */
function ensureDirectory(dir: string): void {
  let st;
  try {
    st = statSync(dir);
  } catch {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw new DataDirError(`cannot create the data directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return;
  }
  if (!st.isDirectory()) throw new DataDirError(`the data directory ${dir} is a file, not a directory; give --data-dir a directory`);
}

export class DataDirError extends Error {
  override readonly name = 'DataDirError';
}

function readPid(lockPath: string): number | null {
  try {
    const pid = Number(readFileSync(lockPath, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function lockWithPidFile(dir: string, lockPath: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = readPid(lockPath);
      if (pid !== null && pid !== process.pid && isAlive(pid)) {
        throw new DataDirLockedError(`the data directory ${dir} is in use by another HashDeck engine (pid ${pid}); stop it or use --data-dir`);
      }
      unlinkSync(lockPath); // stale lock from a process that is gone
    }
  }
  throw new DataDirLockedError(`could not lock ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
