import { randomBytes } from 'node:crypto';
import { SerialPortStream } from '@serialport/stream';
import { afterEach, describe, expect, it } from 'vitest';
import { headerHash } from '../../../src-main/bitcoin/header.js';
import { hashMeetsTarget } from '../../../src-main/bitcoin/target.js';
import { bm1366 } from '../../../src-main/chips/bm1366.js';
import type { ChipResponse } from '../../../src-main/chips/driver.js';
import { ResponseFrameParser } from '../../../src-main/chips/bm13xx/response-parser.js';
import { ticketTarget } from '../../../src-main/chips/bm13xx/ticket.js';
import { createEmulatorBinding } from '../../../src-main/emulator/binding.js';
import type { VirtualChain } from '../../../src-main/emulator/chain.js';

let port: SerialPortStream | undefined;
afterEach(async () => {
  if (port?.isOpen) await new Promise((r) => port!.close(r));
  port = undefined;
});

async function openPort(
  path: string,
  scaleBits: number,
): Promise<{ port: SerialPortStream; chain: VirtualChain; responses: ChipResponse[]; waitFor: (n: number, pred: (r: ChipResponse) => boolean) => Promise<ChipResponse[]> }> {
  let chain: VirtualChain | undefined;
  const binding = createEmulatorBinding({ scaleBits, hashRateHs: 400_000, onOpen: (c) => (chain = c) });
  const p = new SerialPortStream({ binding, path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => p.open((err) => (err ? reject(err) : resolve())));
  port = p;
  const parser = new ResponseFrameParser({ length: 11 });
  const responses: ChipResponse[] = [];
  const waiters: Array<() => void> = [];
  p.on('data', (chunk: Buffer) => {
    for (const f of parser.push(chunk)) {
      const r = bm1366.decodeResponse(f);
      if (r) responses.push(r);
    }
    for (const w of waiters.splice(0)) w();
  });
  const waitFor = async (n: number, pred: (r: ChipResponse) => boolean): Promise<ChipResponse[]> => {
    for (;;) {
      const matching = responses.filter(pred);
      if (matching.length >= n) return matching;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { port: p, chain: chain!, responses, waitFor };
}

const write = (p: SerialPortStream, b: Buffer): Promise<void> => new Promise((resolve, reject) => p.write(b, (err) => (err ? reject(err) : resolve())));

describe('emulator binding (in-process serialport)', () => {
  it('enumerates, initialises, hashes in a worker and returns valid nonces; unplug closes the port', async () => {
    const scaleBits = 30;
    const { port: p, chain, waitFor } = await openPort('emulator:2', scaleBits);
    for (const step of bm1366.preEnumerationPlan(0x1fffe000)) if (step.kind === 'write' || step.kind === 'enumerate') await write(p, step.frame);
    const ids = await waitFor(2, (r) => r.kind === 'register' && r.register === 0);
    expect(ids.map((r) => (r.kind === 'register' ? r.value : 0))).toEqual([0x13660000, 0x13660000]);

    for (const step of bm1366.initPlan({ chipCount: 2, frequencyMhz: 485, ticketDifficulty: 256, versionMask: 0x1fffe000 })) {
      if (step.kind === 'write') await write(p, step.frame);
    }
    const job = { chipJobId: 0x08, version: 0x20000000, versionMask: 0x1fffe000, prevHash: randomBytes(32), merkleRoot: randomBytes(32), ntime: 1_700_000_000, nbits: 0x17034219 };
    await write(p, bm1366.encodeJob(job));

    // Meanwhile the main thread stays responsive: timers keep firing while the worker hashes.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const nonces = await waitFor(8, (r) => r.kind === 'nonce');
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    const target = ticketTarget(256, scaleBits);
    for (const r of nonces) {
      if (r.kind !== 'nonce') continue;
      expect(r.chipJobId).toBe(0x08);
      const version = bm1366.rolledVersion(job.version, job.versionMask, r);
      expect(hashMeetsTarget(headerHash({ ...job, version, nonce: r.nonce }), target)).toBe(true);
    }
    expect(chain.status().noncesSent).toBeGreaterThanOrEqual(8);

    const closed = new Promise<Error | null>((resolve) => p.once('close', (err: Error | null) => resolve(err)));
    chain.unplug();
    const err = (await closed) as (Error & { disconnected?: boolean }) | null;
    expect(err?.disconnected).toBe(true);
    expect(p.isOpen).toBe(false);
  });

  it('rejects a path that is not an emulator path', async () => {
    const binding = createEmulatorBinding();
    await expect(binding.open({ path: '/dev/ttyUSB0', baudRate: 115200 })).rejects.toThrow(/not an emulator path/);
    await expect(binding.open({ path: 'emulator:2:bm9999', baudRate: 115200 })).rejects.toThrow(/unknown chip model/);
  });
});
