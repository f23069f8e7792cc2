import { describe, expect, it } from 'vitest';
import { efficiencyJPerTh, formatDifficulty, formatDuration, formatEstimate, formatHashrate, formatJPerTh, formatPercent, hwErrorPercent, MISSING } from '../../../src-renderer/src/lib/format.js';
import { headlineEstimate } from '../../../src-renderer/src/lib/estimates.js';

const est = (valueHs: number, lowHs: number, highHs: number) => ({ valueHs, lowHs, highHs, windowS: 600, coveredS: 600, samples: 100 });

describe('format', () => {
  it('hashrate picks the unit', () => {
    expect(formatHashrate(0)).toBe('0.00 H/s');
    expect(formatHashrate(412.3e9)).toBe('412 GH/s');
    expect(formatHashrate(41.23e9)).toBe('41.2 GH/s');
    expect(formatHashrate(1.5e12)).toBe('1.50 TH/s');
    expect(formatHashrate(999.8e9)).toBe('1.00 TH/s');
    expect(formatHashrate(13.2e12)).toBe('13.2 TH/s');
    expect(formatHashrate(null)).toBe(MISSING);
    expect(formatHashrate(Number.NaN)).toBe(MISSING);
  });
  it('estimate shows value ± half the 95 % interval in the value unit', () => {
    expect(formatEstimate(est(412e9, 394e9, 430e9))).toBe('412 ± 18 GH/s');
    expect(formatEstimate(est(41.2e9, 39.4e9, 43e9))).toBe('41.2 ± 1.8 GH/s');
    expect(formatEstimate(est(13.19e12, 12.6e12, 13.8e12))).toBe('13.2 ± 0.6 TH/s');
    expect(formatEstimate(null)).toBe(MISSING);
  });
  it('difficulty suffixes', () => {
    expect(formatDifficulty(512)).toBe('512');
    expect(formatDifficulty(0.5)).toBe('0.50');
    expect(formatDifficulty(1234)).toBe('1.23k');
    expect(formatDifficulty(4.56789e9)).toBe('4.57G');
    expect(formatDifficulty(1.4e14)).toBe('140T');
    expect(formatDifficulty(1.2e12)).toBe('1.20T');
    expect(formatDifficulty(null)).toBe(MISSING);
  });
  it('efficiency J/TH needs power and a hashrate', () => {
    expect(efficiencyJPerTh(14.6, 412e9)).toBeCloseTo(35.437, 2);
    expect(formatJPerTh(efficiencyJPerTh(14.6, 412e9))).toBe('35.4 J/TH');
    expect(efficiencyJPerTh(null, 412e9)).toBeNull();
    expect(efficiencyJPerTh(14.6, 0)).toBeNull();
    expect(formatJPerTh(null)).toBe(MISSING);
  });
  it('hardware error percent over judged nonces', () => {
    expect(hwErrorPercent(980, 20)).toBe(2);
    expect(hwErrorPercent(0, 0)).toBeNull();
    expect(formatPercent(hwErrorPercent(9980, 20))).toBe('0.20 %');
  });
  it('durations', () => {
    expect(formatDuration(93_784_000)).toBe('1d 2h 3m');
    expect(formatDuration(61_000)).toBe('1m 1s');
    expect(formatDuration(-1)).toBe(MISSING);
  });
  it('headline window: 10 m first, 1 m while 10 m has nothing', () => {
    const e = est(1, 0, 2);
    expect(headlineEstimate({ '1m': e, '10m': e, '1h': null, '24h': null })?.window).toBe('10m');
    expect(headlineEstimate({ '1m': e, '10m': null, '1h': null, '24h': null })?.window).toBe('1m');
    expect(headlineEstimate({ '1m': null, '10m': null, '1h': null, '24h': null })).toBeNull();
  });
});
