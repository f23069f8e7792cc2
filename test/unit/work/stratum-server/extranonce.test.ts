import { describe, expect, it } from 'vitest';
import { Dispatcher } from '../../../../src-main/work/dispatcher.js';
import type { WorkTemplate } from '../../../../src-main/work/job.js';
import { extranonceLayout, minerExtranonce1, SlotAllocator, slotPrefix, sourceExtranonce2, type ExtranonceLayout } from '../../../../src-main/work/stratum-server/extranonce.js';

function layout(en1: string, size: number): ExtranonceLayout {
  const l = extranonceLayout(Buffer.from(en1, 'hex'), size);
  if ('error' in l) throw new Error(l.error);
  return l;
}

function template(en1: string, size: number): WorkTemplate {
  return {
    key: 't',
    sourceKind: 'node',
    sourceId: 'n',
    sourceJobId: '1',
    prevHash: Buffer.alloc(32),
    coinb1: Buffer.from('01'),
    coinb2: Buffer.from('02'),
    extranonce1: Buffer.from(en1, 'hex'),
    extranonce2Size: size,
    merkleBranches: [],
    version: 0x20000000,
    versionMask: 0x1fffe000,
    nbits: 0x207fffff,
    ntime: 1,
    shareTarget: 1n,
    shareDifficulty: 1,
    networkTarget: 1n,
    cleanJobs: true,
    createdAtMs: 0,
  };
}

describe('extranonce carving', () => {
  it('a node template (no extranonce1, 8 bytes): 4 slot bytes, miners get 4 like public-pool', () => {
    const l = layout('', 8);
    expect(l).toMatchObject({ prefixBytes: 4, minerExtranonce2Size: 4, maxSlot: 0xffff });
    expect(minerExtranonce1(l, 1).toString('hex')).toBe('00000001');
    expect(sourceExtranonce2(l, 0x1234, Buffer.from('aabbccdd', 'hex')).toString('hex')).toBe('00001234aabbccdd');
  });

  it('a pool with extranonce2 size 4: the pool extranonce1 plus 2 slot bytes, 2 left for the miner', () => {
    const l = layout('deadbeef', 4);
    expect(l).toMatchObject({ prefixBytes: 2, minerExtranonce2Size: 2, maxSlot: 0xffff });
    expect(minerExtranonce1(l, 7).toString('hex')).toBe('deadbeef0007');
  });

  it('size 3 keeps one byte (255 miners); 2 or less cannot be shared and says why', () => {
    expect(layout('aa', 3)).toMatchObject({ prefixBytes: 1, minerExtranonce2Size: 2, maxSlot: 255 });
    const bad = extranonceLayout(Buffer.from('aa', 'hex'), 2);
    expect('error' in bad && bad.error).toMatch(/only 2 byte\(s\) of extranonce2.*at least 3/);
  });

  it('slot 0 is the boards’ and a slot must fit its bytes', () => {
    const l = layout('', 3);
    expect(slotPrefix(l, 0).toString('hex')).toBe('00');
    expect(() => slotPrefix(l, 256)).toThrow(/does not fit/);
  });

  it('hands slots out round robin, never twice, and says when they run out', () => {
    const a = new SlotAllocator();
    expect([a.take(3), a.take(3), a.take(3)]).toEqual([1, 2, 3]);
    expect(a.take(3)).toBeNull();
    a.release(2);
    expect(a.take(3)).toBe(2);
    a.release(1);
    a.release(3);
    // Round robin: after 2 comes 3, then 1 (the slot freed first is reused last among the free ones).
    expect(a.take(3)).toBe(3);
    expect(a.take(3)).toBe(1);
  });

  it('the boards and the miners never share a coinbase: board extranonce2s start with slot 0 and wrap inside it', () => {
    for (const [en1, size] of [
      ['', 8],
      ['deadbeef', 4],
      ['aa', 3],
    ] as const) {
      const l = layout(en1, size);
      const t = template(en1, size);
      const d = new Dispatcher(
        () => {},
        () => {},
        () => Buffer.alloc(l.prefixBytes),
      );
      const boardSpace = new Set<string>();
      const miners = new Set([1, 2, 255].filter((s) => s <= l.maxSlot).map((s) => slotPrefix(l, s).toString('hex')));
      for (let i = 0; i < 300; i++) {
        const job = d.makeJob(t, 'b')!;
        expect(job.extranonce2.length).toBe(size);
        const prefix = job.extranonce2.subarray(0, l.prefixBytes).toString('hex');
        expect(prefix).toBe('00'.repeat(l.prefixBytes));
        expect(miners.has(prefix)).toBe(false);
        boardSpace.add(job.extranonce2.toString('hex'));
      }
      // Within the boards' own space every job is new until the counter wraps (2 bytes here at least).
      expect(boardSpace.size).toBe(300);
    }
  });

  it('without the server the dispatcher keeps the whole extranonce2 to itself', () => {
    const d = new Dispatcher();
    const job = d.makeJob(template('', 8), 'b')!;
    expect(job.extranonce2.toString('hex')).toBe('0000000000000000');
    expect(d.makeJob(template('', 8), 'b')!.extranonce2.toString('hex')).toBe('0100000000000000');
  });
});
