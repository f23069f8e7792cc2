/**
 * The data directory (ledger, found blocks, settings) is shared by the CLI and the desktop app,
 * and locked so that only one engine uses it at a time.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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

/** Take the exclusive engine lock on `dir`; a lock left by a dead process is taken over. */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lockPath = path.join(dir, 'engine.lock');
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
      const pid = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
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
