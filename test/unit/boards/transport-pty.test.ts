/**
 * A pseudo-terminal has no line speed, and serialport's baud change flushes both queues, which on
 * a PTY throws away bytes the emulator has not read yet: the transport recognises PTYs (also
 * behind socat's symlinks) and skips the change there; real serial devices keep it.
 */
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPseudoTerminal } from '../../../src-main/boards/transport.js';
import { loadNativeAddon } from '../../../src-main/scanner/native-addon.js';
import { tempDir } from '../../helpers/cli.js';

describe('pseudo-terminal recognition', () => {
  it('Linux /dev/pts/N and macOS /dev/ttysNNN are PTYs; USB serial devices and COM ports are not', () => {
    expect(isPseudoTerminal('/dev/pts/7')).toBe(true);
    expect(isPseudoTerminal('/dev/ttys003')).toBe(true);
    for (const p of ['/dev/ttyACM0', '/dev/ttyUSB1', '/dev/tty.usbmodem1101', '/dev/cu.usbserial-1420', 'COM5', '/dev/ttyS0']) expect(isPseudoTerminal(p), p).toBe(false);
  });

  it('a symlink to a real PTY (as socat makes) is a PTY', () => {
    const addon = loadNativeAddon();
    expect(addon).not.toBeNull();
    const pty = addon!.openpty();
    try {
      const link = path.join(tempDir(), 'board');
      symlinkSync(pty.slavePath, link);
      expect(isPseudoTerminal(link)).toBe(true);
    } finally {
      addon!.closeFd(pty.slaveFd);
      addon!.closeFd(pty.masterFd);
    }
  });
});
