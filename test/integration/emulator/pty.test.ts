import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { bm1366 } from '../../../src-main/chips/bm1366.js';
import { emulateCommand, runEmulatorPty, type EmulatorPty } from '../../../src-main/emulator/pty.js';

const ENUMERATE = Buffer.from('55aa520500000a', 'hex');
const VERSION_MASK = Buffer.from('55aa510900a49000ffff1c', 'hex');

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function openHost(path: string): Promise<{ port: SerialPort; read: (n: number) => Promise<Buffer> }> {
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  cleanups.push(() => new Promise((r) => (port.isOpen ? port.close(() => r()) : r())));
  let buf = Buffer.alloc(0);
  let wake: (() => void) | undefined;
  port.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    wake?.();
  });
  const read = async (n: number): Promise<Buffer> => {
    while (buf.length < n) await new Promise<void>((r) => (wake = r));
    const out = buf.subarray(0, n);
    buf = buf.subarray(n);
    return out;
  };
  return { port, read };
}

describe('emulator behind a PTY', () => {
  it('answers enumeration through the real serialport stack; unplug closes the host port', async () => {
    const emu: EmulatorPty = await runEmulatorPty({ chips: 2 });
    cleanups.push(() => emu.close());
    expect(emu.path).toMatch(/^\/dev\//);
    const { port, read } = await openHost(emu.path);

    port.write(ENUMERATE);
    const reset = await read(18);
    expect(bm1366.decodeResponse(reset.subarray(0, 9))).toEqual({ kind: 'register', value: 0x13660000, chipAddress: 0, register: 0 });
    port.write(Buffer.concat([VERSION_MASK, ENUMERATE]));
    expect((await read(22)).toString('hex')).toBe('aa55136600000000000005'.repeat(2));

    const closed = new Promise<(Error & { disconnected?: boolean }) | null>((resolve) => port.once('close', resolve));
    emu.chain.unplug();
    const err = await closed;
    expect(err?.disconnected).toBe(true);
    await emu.closed;
    expect(existsSync(emu.path)).toBe(false);
  });

  it('emulateCommand prints the PTY path first, reports status on SIGUSR1 and stops on SIGTERM', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const signals = new EventEmitter();
    let text = '';
    const lineWaiters: Array<() => void> = [];
    stdout.on('data', (d: Buffer) => {
      text += d.toString();
      for (const w of lineWaiters.splice(0)) w();
    });
    const nthLine = async (n: number): Promise<string> => {
      for (;;) {
        const lines = text.split('\n');
        if (lines.length > n + 1 || (lines.length === n + 1 && text.endsWith('\n'))) return lines[n]!;
        await new Promise<void>((r) => lineWaiters.push(r));
      }
    };
    const done = emulateCommand({ chips: 3, scaleBits: 20 }, stdout, stderr, signals);
    cleanups.push(async () => {
      signals.emit('SIGTERM');
      await done;
    });
    const first = await nthLine(0);
    expect(first).toMatch(/^PTY \/dev\/\S+$/);
    expect(await nthLine(1)).toMatch(/^scale-bits 20 /);
    const { port, read } = await openHost(first.slice(4));
    port.write(Buffer.concat([VERSION_MASK, ENUMERATE]));
    await read(33);

    signals.emit('SIGUSR1');
    const status = JSON.parse(await nthLine(2)) as Record<string, unknown>;
    expect(status).toMatchObject({ type: 'status', chips: 3, scaleBits: 20, framesReceived: 2, framesBad: 0, noncesSent: 0 });

    const closed = new Promise((resolve) => port.once('close', resolve));
    signals.emit('SIGTERM');
    expect(await done).toBe(0);
    await closed;
  });

  it('emulateCommand refuses bad options with exit code 2 and one sentence', async () => {
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    expect(await emulateCommand({ chips: 0 }, new PassThrough(), stderr, new EventEmitter())).toBe(2);
    expect(err).toMatch(/^Chips must be an integer from 1 to 256, got 0\.\n$/);
    err = '';
    expect(await emulateCommand({ model: 'bm9999' }, new PassThrough(), stderr, new EventEmitter())).toBe(2);
    expect(err).toMatch(/Unknown chip model "bm9999"/);
  });
});
