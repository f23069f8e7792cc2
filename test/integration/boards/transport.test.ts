import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { SerialTransport } from '../../../src-main/boards/transport.js';
import { openPtyPair, type PtyPair } from '../../../src-main/emulator/pty-pair.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

/** A PTY pair whose far side collects every byte the transport writes. */
async function ptyWithReader(): Promise<{ pair: PtyPair; received: () => Buffer; waitFor: (bytes: number) => Promise<void> }> {
  const pair = await openPtyPair();
  cleanups.push(() => pair.close());
  const chunks: Buffer[] = [];
  let total = 0;
  let wake: (() => void) | null = null;
  pair.stream.on('data', (d: Buffer) => {
    chunks.push(d);
    total += d.length;
    wake?.();
  });
  const waitFor = async (bytes: number): Promise<void> => {
    const until = Date.now() + 20_000;
    while (total < bytes) {
      if (Date.now() > until) throw new Error(`only ${total} of ${bytes} bytes arrived`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 50);
      });
    }
  };
  return { pair, received: () => Buffer.concat(chunks), waitFor };
}

async function openTransport(path: string): Promise<SerialTransport> {
  const t = new SerialTransport({ path, baudRate: 115200 });
  await t.open();
  cleanups.push(() => t.close());
  return t;
}

describe('SerialTransport on the OS serial binding (a PTY)', () => {
  it('delivers back-to-back job frames in order, every byte once', async () => {
    const { pair, received, waitFor } = await ptyWithReader();
    const t = await openTransport(pair.path);
    const frames = Array.from({ length: 300 }, (_, i) => Buffer.concat([Buffer.from([0x55, 0xaa, 0x21, 0x56, i & 0xff]), randomBytes(83)]));
    await Promise.all(frames.map((f) => t.write(f)));
    const all = Buffer.concat(frames);
    await waitFor(all.length);
    expect(received().equals(all)).toBe(true);
    expect(t.bytesOut).toBe(all.length);
  });

  it('keeps the order when a write is larger than the kernel takes at once', async () => {
    const { pair, received, waitFor } = await ptyWithReader();
    const t = await openTransport(pair.path);
    // Far more than a PTY buffers: part goes in directly, the rest through the queue, and the
    // small frames written right after it must wait for it.
    const big = randomBytes(512 * 1024);
    const small = Array.from({ length: 20 }, () => randomBytes(88));
    const writes = [t.write(big), ...small.map((f) => t.write(f))];
    const all = Buffer.concat([big, ...small]);
    await waitFor(all.length);
    await Promise.all(writes);
    expect(received().equals(all)).toBe(true);
    expect(t.bytesOut).toBe(all.length);
    // After the queue drained, direct writes resume and still arrive after everything else.
    const tail = randomBytes(88);
    await t.write(tail);
    await waitFor(all.length + tail.length);
    expect(received().subarray(all.length).equals(tail)).toBe(true);
  });

  it('a write after the port vanished fails with a reason', async () => {
    const { pair } = await ptyWithReader();
    const t = await openTransport(pair.path);
    const closed = new Promise<string>((r) => t.once('closed', r));
    await pair.close();
    // The host notices the hang-up on its next read or write.
    await t.write(randomBytes(88)).catch(() => undefined);
    expect(await closed).toMatch(/disconnected|closed|error/);
    await expect(t.write(randomBytes(88))).rejects.toThrow(/cannot write/);
  });
});
