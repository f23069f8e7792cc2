/**
 * A pseudo-terminal pair for the emulator's PTY attachment: the host opens `path` as a serial port
 * (the real `serialport` stack end to end); the emulator reads and writes the other side through
 * `stream`. Native openpty (native/ addon, slave in raw mode) when built, else socat with
 * `raw,echo=0` on both ends (docs/design.md §5). `close()` tears the whole pair down,
 * so the host sees the port vanish (an unplug).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants as fsConstants, existsSync, mkdtempSync, openSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tty from 'node:tty';
import { loadNativeAddon, nativeAddonError } from '../scanner/native-addon.js';

export interface PtyPair {
  /** The host side: open this path as a serial port. */
  path: string;
  /** The emulator side, readable and writable. */
  stream: tty.ReadStream;
  kind: 'native' | 'socat';
  close(): Promise<void>;
}

export async function openPtyPair(prefer: 'native' | 'socat' | 'auto' = process.env.HASHDECK_PTY === 'socat' ? 'socat' : 'auto'): Promise<PtyPair> {
  const addon = prefer === 'socat' ? null : loadNativeAddon();
  if (addon) return openNative(addon);
  if (prefer === 'native') throw new Error(`native openpty is not available: ${nativeAddonError() ?? 'unknown reason'}`);
  return openSocat();
}

function openNative(addon: NonNullable<ReturnType<typeof loadNativeAddon>>): PtyPair {
  const { masterFd, slaveFd, slavePath } = addon.openpty();
  // The master is driven through libuv's TTY handle (non-blocking, both directions). Our own slave
  // fd stays open so that the master never reads EIO while no host has the port open.
  const stream = new tty.ReadStream(masterFd);
  let closed = false;
  return {
    path: slavePath,
    stream,
    kind: 'native',
    async close() {
      if (closed) return;
      closed = true;
      await destroyStream(stream); // closes masterFd
      try {
        addon.closeFd(slaveFd);
      } catch {
        // already closed
      }
    },
  };
}

async function openSocat(): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), 'hashdeck-pty-'));
  const hostLink = join(dir, 'host');
  const emuLink = join(dir, 'emulator');
  let child: ChildProcess;
  try {
    child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${hostLink}`, `pty,raw,echo=0,link=${emuLink}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot start socat for a PTY pair: ${(err as Error).message}`);
  }
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    const fail = (msg: string): void => {
      cleanup();
      reject(new Error(msg));
    };
    child.once('error', (err: NodeJS.ErrnoException) =>
      fail(err.code === 'ENOENT' ? `no PTY available: the native addon is not built (${nativeAddonError() ?? ''}) and socat is not installed` : `socat failed: ${err.message}`),
    );
    child.once('exit', (code) => fail(`socat exited (${code}) before the PTY pair was ready: ${stderr.trim().split('\n').pop() ?? ''}`));
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      // "-d -d" prints "starting data transfer loop" once both ends exist.
      if (stderr.includes('starting data transfer loop') && existsSync(hostLink) && existsSync(emuLink)) {
        child.removeAllListeners('exit');
        resolve();
      }
    });
  });
  const fd = openSync(emuLink, fsConstants.O_RDWR | fsConstants.O_NOCTTY);
  const stream = new tty.ReadStream(fd);
  const path = realpathSync(hostLink);
  let closed = false;
  return {
    path,
    stream,
    kind: 'socat',
    async close() {
      if (closed) return;
      closed = true;
      await destroyStream(stream);
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      cleanup();
    },
  };
}

function destroyStream(stream: tty.ReadStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed) return resolve();
    stream.once('close', () => resolve());
    stream.destroy();
  });
}
