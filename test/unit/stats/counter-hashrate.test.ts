import { describe, expect, it } from 'vitest';
import { CounterHashrate, counterDelta, counterHashrateHs, HASHES_PER_COUNT } from '../../../src-main/stats/counter-hashrate.js';

describe('counter hashrate (register 0x8C, 2^32 hashes per count)', () => {
  it('converts counts to H/s and handles the uint32 wrap', () => {
    expect(counterDelta(100, 350)).toBe(250);
    expect(counterDelta(0xffff_fff0, 0x10)).toBe(0x20);
    // 101 counts in 1 s ≈ 433.8 GH/s, a BM1366 at 485 MHz (docs §3.8: 433.6 GH/s expected).
    expect(counterHashrateHs(0, 101, 1000)).toBeCloseTo(101 * HASHES_PER_COUNT, 0);
    expect(counterHashrateHs(0xffff_ffff, 100, 2000)).toBeCloseTo((101 * HASHES_PER_COUNT) / 2, 0);
    expect(() => counterDelta(-1, 3)).toThrow(/uint32/);
    expect(() => counterDelta(0, 2 ** 32)).toThrow(/uint32/);
    expect(() => counterHashrateHs(0, 1, 0)).toThrow(/interval/);
  });

  it('ignores reads less than 1 s after the last accepted one', () => {
    const c = new CounterHashrate();
    expect(c.update(1000, 0)).toBeNull();
    expect(c.update(1050, 400)).toBeNull(); // too soon: ignored, baseline kept
    expect(c.update(1100, 1000)).toBeCloseTo(100 * HASHES_PER_COUNT, 0);
    expect(c.update(1105, 1500)).toBeCloseTo(100 * HASHES_PER_COUNT, 0); // ignored; last value stands
    expect(c.update(1300, 2000)).toBeCloseTo(200 * HASHES_PER_COUNT, 0);
  });

  it('counts across a wrap and averages over a window', () => {
    const c = new CounterHashrate();
    let raw = 0xffff_ff00;
    c.update(raw, 0);
    for (let s = 1; s <= 120; s++) {
      raw = (raw + 100) >>> 0;
      c.update(raw, s * 1000);
    }
    expect(c.instantHs).toBeCloseTo(100 * HASHES_PER_COUNT, 0);
    expect(c.averageHs(60_000)).toBeCloseTo(100 * HASHES_PER_COUNT, 0);
    expect(c.averageHs(600_000)).toBeCloseTo(100 * HASHES_PER_COUNT, 0);
  });

  it('treats an implausible jump (chip reset) as a new baseline, and reset() forgets readings', () => {
    const c = new CounterHashrate({ maxPlausibleHs: 1e12 });
    c.update(5_000_000, 0);
    c.update(5_000_100, 1000);
    // Chip power-cycled: counter restarts near 0 → a wrap-sized delta.
    expect(c.update(50, 2000)).toBeCloseTo(100 * HASHES_PER_COUNT, 0);
    expect(c.implausibleReadCount).toBe(1);
    expect(c.update(150, 3000)).toBeCloseTo(100 * HASHES_PER_COUNT, 0);
    c.reset();
    expect(c.instantHs).toBeNull();
    expect(c.update(10_000, 4000)).toBeNull();
  });
});
