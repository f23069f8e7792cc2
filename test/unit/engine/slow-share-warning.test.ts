import { describe, expect, it } from 'vitest';
import { expectedShareIntervalS, SLOW_SHARE_INTERVAL_S, slowShareWarning } from '../../../src-main/engine/pool-difficulty.js';

describe('pool difficulty vs the boards’ hashrate', () => {
  it('expected seconds per share = difficulty × 2^32 / hashrate', () => {
    expect(expectedShareIntervalS(1, 2 ** 32)).toBe(1);
    expect(expectedShareIntervalS(1000, 500e9)).toBeCloseTo((1000 * 4294967296) / 500e9, 9);
    expect(expectedShareIntervalS(0, 1e9)).toBeNull();
    expect(expectedShareIntervalS(1000, 0)).toBeNull();
    expect(expectedShareIntervalS(Number.NaN, 1e9)).toBeNull();
    expect(expectedShareIntervalS(1000, Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('warns only above one share per 10 minutes', () => {
    // Exactly 600 s per share: no warning; just above: a warning.
    const hs = 2 ** 32;
    expect(slowShareWarning('stratum+tcp://pool:3333', SLOW_SHARE_INTERVAL_S, hs)).toBeNull();
    expect(slowShareWarning('stratum+tcp://pool:3333', SLOW_SHARE_INTERVAL_S + 1, hs)).toMatch(/one share every 10 min/);
    // A BM1366 Bitaxe (~500 GH/s) at difficulty 1000 gets a share every ~9 s: fine.
    expect(slowShareWarning('stratum+tcp://pool:3333', 1000, 500e9)).toBeNull();
  });

  it('names the pool, the difficulty, the hashrate and the interval', () => {
    const text = slowShareWarning('stratum+tcp://solo.example:3333', 1e6, 500e9)!;
    expect(text).toContain('stratum+tcp://solo.example:3333');
    expect(text).toContain('difficulty 1.00M');
    expect(text).toContain('500 GH/s');
    expect(text).toContain('one share every 2.4 h');
    expect(text).toContain('--suggest-difficulty');
  });
});
