import { describe, expect, it } from 'vitest';
import { formatNumber, MISSING } from '@shared/format.js';

const intl = (n: number, d: number) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

describe('formatNumber (written by hand, as toLocaleString en-US writes it)', () => {
  it('groups thousands and rounds the shortest decimal form half away from zero', () => {
    expect(formatNumber(1234567.891, 2)).toBe('1,234,567.89');
    expect(formatNumber(999.5)).toBe('1,000');
    expect(formatNumber(0.015, 2)).toBe('0.02'); // the double is 0.01499…, its shortest form is 0.015
    expect(formatNumber(-0)).toBe('-0');
    expect(formatNumber(-0.001, 0)).toBe('-0');
    expect(formatNumber(1e21)).toBe('1,000,000,000,000,000,000,000');
    expect([null, undefined, NaN, Infinity].map((v) => formatNumber(v))).toEqual([MISSING, MISSING, MISSING, MISSING]);
  });

  it('agrees with Intl on edge cases and 20 000 random numbers of every size', () => {
    const values = [0, 1, -1, 0.5, 1.5, 2.5, -2.5, 1.005, 9.995, 0.9999, 99999.99999, 1e-7, 5e-324, 2 ** 53, 123e25, Number.MAX_VALUE, -Number.MAX_VALUE];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 20_000; i++) values.push((random() - 0.5) * 10 ** Math.floor(random() * 24 - 2));
    for (const v of values) for (const d of [0, 1, 2, 3, 6]) expect(formatNumber(v, d), `${v} with ${d}`).toBe(intl(v, d));
  });
});
