import { describe, expect, it } from 'vitest';
import type { EngineSnapshot, Estimate } from '@shared/contract';
import { defaultEconomicsSettings, type EconomicsSettings } from '../../../src-renderer/src/lib/economics-settings.js';
import { economicsView, efficiencyView, luckView, selectHashrate, selectPower } from '../../../src-renderer/src/components/economics/economics-figures.js';
import { formatBtc, formatChance, formatLongDuration, formatLuck, formatMoney, formatPricePerKwh } from '../../../src-renderer/src/components/economics/economics-format.js';
import { fakeBoard, fakeSnapshot } from '../../e2e/fake-engine.js';

const TWO32 = 4294967296;

function est(valueHs: number, windowS: number, coveredS = windowS): Estimate {
  return { valueHs, lowHs: valueHs * 0.9, highHs: valueHs * 1.1, windowS, coveredS, samples: 100 };
}

/** One board, 1 TH/s in the 10-min window, network difficulty 1.4e14 at height 905,123 (subsidy 3.125 BTC). */
function snap(over: Partial<EngineSnapshot> = {}): EngineSnapshot {
  const s = fakeSnapshot(1);
  s.totals.hashrate = { '1m': est(1.1e12, 60), '10m': est(1e12, 600), '1h': null, '24h': null };
  s.network = { height: 905_123, difficulty: 1.4e14, hashrateHs: null };
  return { ...s, ...over };
}

const priced = (o: Partial<EconomicsSettings> = {}): EconomicsSettings => ({ ...defaultEconomicsSettings(), pricePerKwh: 0.15, btcPrice: 100_000, ...o });

describe('selectPower', () => {
  const b0 = fakeBoard(0); // 14.6 W measured
  const b1 = { ...fakeBoard(1), sensors: { ...fakeBoard(1).sensors, powerW: null } };
  it('sums measured sensors', () => {
    const r = selectPower([b0, fakeBoard(1)], defaultEconomicsSettings());
    expect(r).toEqual({ ok: true, power: { powerW: 14.6 + 14.7, source: 'measured', detail: 'measured on 2 boards' } });
  });
  it('uses entered watts for a board without a sensor, labelled', () => {
    const r = selectPower([b0, b1], { ...defaultEconomicsSettings(), enteredBoardW: { [b1.id]: 20, [b0.id]: 99 } });
    // The measured figure wins over an entered one for the same board.
    expect(r).toEqual({ ok: true, power: { powerW: 14.6 + 20, source: 'measured + entered', detail: 'measured on 1 board, entered for 1' } });
    const only = selectPower([b1], { ...defaultEconomicsSettings(), enteredBoardW: { [b1.id]: 20 } });
    expect(only.ok && only.power.source).toBe('entered');
  });
  it('falls back to the entered total rather than a partial sum', () => {
    const r = selectPower([b0, b1], { ...defaultEconomicsSettings(), enteredTotalW: 40 });
    expect(r).toEqual({ ok: true, power: { powerW: 40, source: 'entered', detail: 'entered total for the rig (sensors on 1 of 2 boards only)' } });
  });
  it('says which board needs a figure when nothing covers it', () => {
    const r = selectPower([b0, b1], defaultEconomicsSettings());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(b1.name);
    expect(selectPower([], defaultEconomicsSettings())).toEqual({ ok: false, reason: 'no boards' });
  });
});

describe('hashrate window and efficiency', () => {
  it('uses the headline window: 10 min, else 1 min', () => {
    expect(selectHashrate(snap())).toEqual({ window: '10m', hashrateHs: 1e12 });
    const s = snap();
    s.totals.hashrate['10m'] = null;
    expect(selectHashrate(s)).toEqual({ window: '1m', hashrateHs: 1.1e12 });
    s.totals.hashrate['1m'] = null;
    expect(selectHashrate(s)).toBeNull();
  });
  it('J/TH from measured power over the named window', () => {
    const v = efficiencyView(snap(), defaultEconomicsSettings());
    expect(v.window).toBe('10m');
    expect(v.jPerTh).toBeCloseTo(14.6, 10); // 14.6 W / 1 TH/s
    expect(v.power?.source).toBe('measured');
  });
  it('J/TH from entered watts when no power is measured, labelled entered', () => {
    const s = snap();
    s.boards = [{ ...s.boards[0]!, sensors: { ...s.boards[0]!.sensors, powerW: null } }];
    expect(efficiencyView(s, defaultEconomicsSettings()).jPerTh).toBeNull();
    const v = efficiencyView(s, { ...defaultEconomicsSettings(), enteredTotalW: 25 });
    expect(v.jPerTh).toBeCloseTo(25, 10);
    expect(v.power?.source).toBe('entered');
  });
});

describe('economicsView', () => {
  it('hand-computed figures at 1 TH/s, D = 1.4e14, 14.6 W, 0.15/kWh, 100k/BTC, 0.02 BTC fees', () => {
    const v = economicsView(snap(), priced());
    const blocksPerDay = (1e12 * 86_400) / (1.4e14 * TWO32);
    const revenueBtc = blocksPerDay * (3.125 + 0.02);
    expect(v.subsidyBtc).toBe(3.125);
    expect(v.revenuePerDayBtc).toBeCloseTo(revenueBtc, 15);
    expect(v.revenuePerDayBtc! * 1e8).toBeCloseTo(45.19, 1); // ≈ 45 sats/day for 1 TH/s
    expect(v.revenuePerDay).toBeCloseTo(revenueBtc * 100_000, 12);
    expect(v.hashpricePerThDay).toBeCloseTo(0.04519, 5);
    expect(v.costPerDay).toBeCloseTo(0.0146 * 24 * 0.15, 12); // 0.05256
    expect(v.netPerDay).toBeCloseTo(revenueBtc * 100_000 - 0.05256, 12);
    expect(v.breakEvenPerKwh).toBeCloseTo((revenueBtc * 100_000) / (0.0146 * 24), 12);
    expect(v.networkShare).toBeCloseTo(1e12 / ((1.4e14 * TWO32) / 600), 20);
    expect(v.network?.hashrateHs).toBeCloseTo((1.4e14 * TWO32) / 600, -6);
    expect(v.solo?.expectedTimeToBlockS).toBeCloseTo((1.4e14 * TWO32) / 1e12, 0);
    expect(v.solo?.chanceDay).toBeCloseTo(1 - Math.exp(-blocksPerDay), 15);
    expect(v.solo?.chanceYear).toBeCloseTo(1 - Math.exp(-blocksPerDay * 365), 12);
    expect(v.avgFeesIsDefault).toBe(true);
    expect(v.missing).toEqual([]);
  });

  it('leaves money figures empty, with reasons, until prices are entered', () => {
    const v = economicsView(snap(), defaultEconomicsSettings());
    expect(v.revenuePerDayBtc).not.toBeNull();
    expect([v.revenuePerDay, v.costPerDay, v.netPerDay, v.breakEvenPerKwh, v.hashpricePerThDay]).toEqual([null, null, null, null, null]);
    expect(v.missing.join('\n')).toMatch(/BTC price/);
    expect(v.missing.join('\n')).toMatch(/electricity price/);
  });

  it('no network → no revenue, share or odds; unknown height → no subsidy', () => {
    const none = economicsView(snap({ network: null }), priced());
    expect([none.network, none.revenuePerDayBtc, none.networkShare, none.solo]).toEqual([null, null, null, null]);
    expect(none.costPerDay).not.toBeNull(); // cost needs only power and price
    const noHeight = economicsView(snap({ network: { height: null, difficulty: 1.4e14, hashrateHs: null } }), priced());
    expect(noHeight.subsidyBtc).toBeNull();
    expect(noHeight.revenuePerDayBtc).toBeNull();
    expect(noHeight.networkShare).not.toBeNull();
    expect(noHeight.missing.join()).toMatch(/height/);
  });

  it('subsidy follows the halvings', () => {
    expect(economicsView(snap({ network: { height: 839_999, difficulty: 1e14, hashrateHs: null } }), priced()).subsidyBtc).toBe(6.25);
    expect(economicsView(snap({ network: { height: 1_050_000, difficulty: 1e14, hashrateHs: null } }), priced()).subsidyBtc).toBe(1.5625);
  });

  it('no hashrate yet → nothing that depends on it', () => {
    const s = snap();
    s.totals.hashrate = { '1m': null, '10m': null, '1h': null, '24h': null };
    const v = economicsView(s, priced());
    expect([v.hashrate, v.revenuePerDayBtc, v.networkShare, v.solo]).toEqual([null, null, null, null]);
    expect(v.missing[0]).toMatch(/warming up/);
  });
});

describe('luckView', () => {
  function poolSnap(acceptedShares: number, poolDifficulty: number): EngineSnapshot {
    const s = snap();
    // 1 GH/s for the first hour of the session: the 24 h window covers exactly that hour.
    s.totals.hashrate['24h'] = est(1e9, 86_400, 3_600);
    s.pools = s.pools.map((p) =>
      p.active ? { ...p, difficulty: poolDifficulty, sharesAccepted: acceptedShares, acceptedDifficulty: acceptedShares * poolDifficulty } : { ...p, sharesAccepted: 0, acceptedDifficulty: 0 },
    );
    return s;
  }
  it('accepted vs expected from hashrate × time / (difficulty × 2^32)', () => {
    const l = luckView(poolSnap(9, 100))!;
    const expectedDiff = (1e9 * 3600) / TWO32; // 838.19
    expect(l.periodBasis).toBe('session');
    expect(l.periodS).toBe(3600);
    expect(l.expectedDifficulty).toBeCloseTo(expectedDiff, 9);
    expect(l.expectedShares).toBeCloseTo(expectedDiff / 100, 9);
    expect(l.luck).toBeCloseTo(900 / expectedDiff, 12);
    expect(formatLuck(l.luck)).toBe('107.4 %');
  });
  it('weights shares by difficulty across pools', () => {
    const s = poolSnap(9, 100);
    s.pools = s.pools.map((p) => (p.active ? p : { ...p, sharesAccepted: 2, acceptedDifficulty: 2 * 50 }));
    expect(luckView(s)!.luck).toBeCloseTo(1000 / ((1e9 * 3600) / TWO32), 12);
    expect(luckView(s)!.sharesAccepted).toBe(11);
  });
  it('sessions over a day use the since-start rate from the first job, labelled', () => {
    const s = poolSnap(9, 100);
    s.totals.hashrate['24h'] = est(1e9, 86_400, 86_400);
    s.firstJobAtMs = s.nowMs - 2 * 86_400_000;
    s.totals.hashrateHs = 2e9;
    const l = luckView(s)!;
    expect(l.periodBasis).toBe('since first job');
    expect(l.expectedDifficulty).toBeCloseTo((2e9 * 2 * 86_400) / TWO32, 6);
  });
  it('none outside pool mode or before any hashing', () => {
    expect(luckView(snap({ mode: 'solo' }))).toBeNull();
    const s = poolSnap(0, 100);
    s.totals.hashrate['24h'] = null;
    s.firstJobAtMs = null;
    expect(luckView(s)).toBeNull();
  });
});

describe('economics formatting', () => {
  it('keeps small figures readable', () => {
    expect(formatMoney(0.05256, 'USD')).toBe('0.0526 USD');
    expect(formatMoney(-0.0074, 'EUR')).toBe('−0.00740 EUR');
    expect(formatMoney(12.345, 'USD')).toBe('12.35 USD');
    expect(formatMoney(1234.5, 'USD')).toBe('1,235 USD');
    expect(formatMoney(null, 'USD')).toBe('—');
    expect(formatBtc(4.519e-7)).toBe('45 sats');
    expect(formatBtc(3.125)).toBe('3.125 BTC');
    expect(formatBtc(0.02)).toBe('0.02 BTC');
    expect(formatPricePerKwh(0.129, 'USD')).toBe('0.129 USD/kWh');
  });
  it('chances and durations', () => {
    expect(formatChance(0.5)).toBe('50.0 %');
    expect(formatChance(0.0012)).toBe('0.120 %');
    expect(formatChance(1 / 14_300_000_000)).toBe('1 in 14.3 billion');
    expect(formatChance(1 / 2500)).toBe('0.0400 %');
    expect(formatChance(1 / 25_000)).toBe('1 in 25,000');
    expect(formatLongDuration(600)).toBe('10 min');
    expect(formatLongDuration(3 * 3600)).toBe('3.0 h');
    expect(formatLongDuration(20 * 86_400)).toBe('20 days');
    expect(formatLongDuration(5 * 365.25 * 86_400)).toBe('5.0 years');
    expect(formatLongDuration(19_050 * 365.25 * 86_400)).toBe('19,000 years');
    expect(formatLongDuration(Infinity)).toBe('never (no hashrate)');
  });
});
