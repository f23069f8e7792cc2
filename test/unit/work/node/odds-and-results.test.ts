import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockChance, expectedSecondsToBlock } from '../../../../src-main/work/node/odds.js';
import { interpretSubmitResult } from '../../../../src-main/work/node/submit-result.js';
import { BlockStore, type StoredBlock } from '../../../../src-main/work/block-store.js';

describe('odds', () => {
  it('expected time: D·2^32/h', () => {
    // Difficulty 1 at 2^32 H/s: one block per second on average.
    expect(expectedSecondsToBlock(2 ** 32, 1)).toBe(1);
    // A 500 GH/s Bitaxe at difficulty 86.4T (block 839900's nbits): about 23,500 years.
    const years = expectedSecondsToBlock(500e9, 86388558925171.02) / (365.25 * 86400);
    expect(years).toBeGreaterThan(23_000);
    expect(years).toBeLessThan(24_000);
    expect(expectedSecondsToBlock(0, 1)).toBe(Infinity);
  });
  it('chance: 1 - exp(-h·t/(D·2^32)), precise when tiny', () => {
    expect(blockChance(2 ** 32, 1, 1)).toBeCloseTo(1 - Math.exp(-1), 15);
    const tiny = blockChance(500e9, 86388558925171.02, 1);
    expect(tiny).toBeGreaterThan(0);
    expect(tiny / (500e9 / (86388558925171.02 * 2 ** 32))).toBeCloseTo(1, 9); // linear regime, no cancellation to 0
    expect(blockChance(0, 1, 100)).toBe(0);
    expect(() => blockChance(1, 0, 1)).toThrow(/positive/);
  });
});

describe('submitblock answers', () => {
  it.each([
    [null, 'accepted', true],
    ['duplicate', 'duplicate', true],
    ['rejected: duplicate', 'duplicate', true],
    ['inconclusive', 'inconclusive', false],
    ['rejected: bad-txnmrklroot', 'bad-txnmrklroot', false],
    ['bad-witness-nonce-size', 'bad-witness-nonce-size', false],
    ['rejected', 'rejected', false],
  ])('%j → %s', (answer, result, accepted) => expect(interpretSubmitResult(answer)).toEqual({ result, accepted }));
});

describe('BlockStore', () => {
  it('writes atomically, lists pending oldest first, reports bad files', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hashdeck-bs-'));
    try {
      const store = new BlockStore(dir);
      const base: StoredBlock = {
        format: 1,
        height: 5,
        hash: 'ab'.repeat(32),
        hex: '00',
        templateKey: 'k',
        nodeUrl: 'u',
        boardId: 'b',
        foundAtMs: 2,
        status: 'pending',
        result: null,
        accepted: null,
        attempts: [],
      };
      store.write(base);
      store.write({ ...base, height: 4, hash: 'cd'.repeat(32), foundAtMs: 1 });
      store.write({ ...base, height: 6, hash: 'ef'.repeat(32), status: 'done', result: 'accepted', accepted: true });
      writeFileSync(path.join(store.dir, 'junk.json'), '{');
      const bad: string[] = [];
      expect(store.pending((f) => bad.push(f)).map((b) => b.height)).toEqual([4, 5]);
      expect(bad).toHaveLength(1);
      expect(readdirSync(store.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(readdirSync(store.dir)).toContain(`5-${'ab'.repeat(32)}.json`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
