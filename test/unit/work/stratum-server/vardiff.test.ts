import { describe, expect, it } from 'vitest';
import { Vardiff } from '../../../../src-main/work/stratum-server/vardiff.js';

/** Feed shares at a steady hashrate (expected shares, no randomness) and return the settled difficulty. */
function settle(v: Vardiff, hashrateHs: number, seconds: number, start = 0): { difficulty: number; now: number; changes: number } {
  let now = start;
  let changes = 0;
  let carry = 0;
  const stepMs = 100;
  for (let t = 0; t < seconds * 1000; t += stepMs) {
    now += stepMs;
    // Expected shares in this step at the current difficulty.
    carry += (hashrateHs * (stepMs / 1000)) / (v.difficulty * 2 ** 32);
    while (carry >= 1) {
      carry -= 1;
      if (v.recordShare(v.difficulty, now) !== null) {
        changes++;
        carry = 0;
      }
    }
    if (t % 2000 === 0 && v.tick(now) !== null) changes++;
  }
  return { difficulty: v.difficulty, now, changes };
}

function intervalS(difficulty: number, hashrateHs: number): number {
  return (difficulty * 2 ** 32) / hashrateHs;
}

describe('vardiff', () => {
  it('brings a 1 TH/s Bitaxe from 512 to a share every 10–20 s', () => {
    const v = new Vardiff({ floor: 0.0001, start: 512, atMs: 0 });
    const r = settle(v, 1e12, 300);
    expect(intervalS(r.difficulty, 1e12)).toBeGreaterThanOrEqual(10);
    expect(intervalS(r.difficulty, 1e12)).toBeLessThanOrEqual(20);
  });

  it('brings a 50 kH/s NerdMiner down to a fractional difficulty with a share every 10–20 s', () => {
    const v = new Vardiff({ floor: 0.00001, start: 512, atMs: 0 });
    const r = settle(v, 50e3, 900);
    expect(r.difficulty).toBeLessThan(0.001);
    expect(intervalS(r.difficulty, 50e3)).toBeGreaterThanOrEqual(10);
    expect(intervalS(r.difficulty, 50e3)).toBeLessThanOrEqual(20);
  });

  it('corrects a flood at once: a 4 TH/s Avalon at difficulty 1 is retargeted after its first second', () => {
    const v = new Vardiff({ floor: 0.0001, start: 1, atMs: 0 });
    expect(v.recordShare(1, 100)).toBeNull();
    expect(v.recordShare(1, 200)).toBeNull();
    expect(v.recordShare(1, 300)).toBeNull();
    expect(v.recordShare(1, 400)).toBeNull(); // four shares but not a full second yet
    const next = v.recordShare(1, 1000);
    expect(next).not.toBeNull();
    // 5 shares of difficulty 1 in 1 s → 5 difficulty/s → 75 for 15 s.
    expect(next).toBe(75);
  });

  it('keeps the difficulty when the interval is already inside 10–20 s', () => {
    const v = new Vardiff({ floor: 0.0001, start: 100, atMs: 0 });
    for (let i = 1; i <= 12; i++) {
      // one share every 15 s
      expect(v.recordShare(100, i * 15_000)).toBeNull();
    }
    expect(v.difficulty).toBe(100);
  });

  it('divides by 8 after 30 s of silence, and never below the floor', () => {
    const v = new Vardiff({ floor: 1, start: 64, atMs: 0 });
    expect(v.tick(29_000)).toBeNull();
    expect(v.tick(30_000)).toBe(8);
    expect(v.tick(60_000)).toBe(1);
    expect(v.tick(90_000)).toBeNull();
    expect(v.difficulty).toBe(1);
  });

  it('takes a suggestion as start and floor, within the server floor', () => {
    const v = new Vardiff({ floor: 0.001, start: 512, atMs: 0 });
    expect(v.suggest(0.0002, 0)).toBe(0.001); // below the server floor: the floor wins
    expect(v.suggest(1000, 0)).toBe(1000);
    expect(v.minimum).toBe(1000);
    expect(v.tick(30_000)).toBeNull(); // silence cannot go below the miner's own floor
    expect(v.difficulty).toBe(1000);
  });

  it('caps at the source difficulty unless the cap is below the floor', () => {
    const v = new Vardiff({ floor: 0.0001, start: 512, atMs: 0 });
    expect(v.setCap(64, 0)).toBe(64);
    expect(v.recordShare(64, 100)).toBeNull();
    // Regtest: network difficulty ~4.7e-10, below the floor → the floor, not the cap.
    const r = new Vardiff({ floor: 0.0001, start: 0.01, atMs: 0 });
    expect(r.setCap(4.6565e-10, 0)).toBeNull();
    expect(r.difficulty).toBe(0.01);
  });
});
