import { describe, expect, it } from 'vitest';
import {
  blockSubsidySats,
  blockSubsidyBtc,
  breakEvenPricePerKwh,
  chanceOfBlock,
  costPerDay,
  economicsSummary,
  expectedBlocksPerDay,
  expectedTimeToBlockS,
  hashpriceUsdPerThDay,
  networkHashrateHs,
  networkShare,
  revenuePerDayBtc,
} from '@shared/economics.js';

const TWO32 = 4_294_967_296;

describe('economics', () => {
  it('follows the halving schedule', () => {
    expect(blockSubsidySats(0)).toBe(5_000_000_000);
    expect(blockSubsidySats(209_999)).toBe(5_000_000_000);
    expect(blockSubsidySats(210_000)).toBe(2_500_000_000);
    expect(blockSubsidyBtc(840_000)).toBe(3.125);
    expect(blockSubsidyBtc(1_049_999)).toBe(3.125);
    expect(blockSubsidyBtc(1_050_000)).toBe(1.5625);
    // 50 BTC >> 32 = 1 sat; >> 33 = 0 (integer shift as in consensus).
    expect(blockSubsidySats(32 * 210_000)).toBe(1);
    expect(blockSubsidySats(33 * 210_000)).toBe(0);
    expect(blockSubsidySats(64 * 210_000)).toBe(0);
    expect(() => blockSubsidySats(-1)).toThrow(/height/);
    expect(() => blockSubsidySats(1.5)).toThrow(/height/);
  });

  it('computes network hashrate, share and solo odds by hand', () => {
    const D = 1.5e14;
    // D·2^32/600 = 1.5e14 × 4294967296 / 600 = 1.073741824e21 H/s (≈ 1.07 ZH/s)
    expect(networkHashrateHs(D)).toBeCloseTo(1.073741824e21, -9);
    expect(networkShare(1e12, D)).toBeCloseTo(1e12 / 1.073741824e21, 20);
    // 1 TH/s: λ = 1e12 / (1.5e14·2^32) = 1.5522e-12 blocks/s; per day 86400·λ = 1.3411e-7
    const perDay = (1e12 * 86_400) / (D * TWO32);
    expect(expectedBlocksPerDay(1e12, D)).toBeCloseTo(perDay, 15);
    expect(perDay / 1.3411e-7).toBeCloseTo(1, 4);
    expect(expectedTimeToBlockS(1e12, D)).toBeCloseTo((D * TWO32) / 1e12, 0);
    expect(expectedTimeToBlockS(0, D)).toBe(Infinity);
    expect(chanceOfBlock(1e12, D, 86_400)).toBeCloseTo(1 - Math.exp(-perDay), 12);
    expect(chanceOfBlock(1e12, D, 365 * 86_400)).toBeCloseTo(1 - Math.exp(-perDay * 365), 15);
    // ≈ 4.895e-5 a year at 1 TH/s: tiny odds stay exact (expm1), not rounded to 0.
    expect(chanceOfBlock(1e12, D, 365 * 86_400) / 4.895e-5).toBeCloseTo(1, 3);
    // 1 PH/s for a year: 1 − e^(−0.04895) ≈ 4.78 %.
    expect(chanceOfBlock(1e15, D, 365 * 86_400)).toBeCloseTo(0.04777, 4);
  });

  it('hashprice: ~38.7 USD per PH/s per day (38,700 per EH/s) for late-2025 inputs', () => {
    // Inputs: difficulty 1.5e14, height 925,000 (subsidy 3.125), fees 0.025 BTC/block, BTC 91,600 USD.
    // 1 TH/s earns 86400·1e12/(1.5e14·2^32) = 1.34110e-7 blocks/day × 3.15 BTC = 4.22447e-7 BTC/day.
    const inputs = { networkDifficulty: 1.5e14, height: 925_000, avgFeesBtc: 0.025, btcPriceUsd: 91_600 };
    const perTh = hashpriceUsdPerThDay(inputs);
    expect(perTh / (4.22447e-7 * 91_600)).toBeCloseTo(1, 5); // 0.038696 USD/TH/day
    expect(perTh * 1e6).toBeGreaterThan(38_500); // per EH/s
    expect(perTh * 1e6).toBeLessThan(38_900);
    expect(revenuePerDayBtc({ hashrateHs: 1e12, networkDifficulty: 1.5e14, height: 925_000, avgFeesBtc: 0.025 }) / 4.22447e-7).toBeCloseTo(1, 5);
  });

  it('cost, break-even and the summary agree with hand-computed values', () => {
    // 15 W for 24 h = 0.36 kWh; at 0.30/kWh = 0.108 per day.
    expect(costPerDay(15, 0.3)).toBeCloseTo(0.108, 12);
    expect(breakEvenPricePerKwh(0.036, 15)).toBeCloseTo(0.1, 12);
    const s = economicsSummary({ hashrateHs: 1.2e12, networkDifficulty: 1.5e14, height: 925_000, avgFeesBtc: 0.025, btcPriceUsd: 91_600, powerW: 18, pricePerKwh: 0.2 });
    const revenueUsd = 1.2 * 4.22447e-7 * 91_600; // ≈ 4.6436e-5 USD/day
    expect(s.revenuePerDayUsd / revenueUsd).toBeCloseTo(1, 5);
    expect(s.costPerDayUsd).toBeCloseTo(0.0864, 10);
    expect(s.profitPerDayUsd).toBeCloseTo(revenueUsd - 0.0864, 6);
    expect(s.breakEvenPricePerKwh! / (revenueUsd / 0.432)).toBeCloseTo(1, 5);
    expect(s.efficiencyJth).toBeCloseTo(15, 10);
    expect(s.subsidyBtc).toBe(3.125);
    expect(s.solo.chanceMonth).toBeCloseTo(1 - Math.exp(-s.solo.expectedBlocksPerDay * 30), 12);
    expect(() => costPerDay(-1, 0.1)).toThrow(/power/);
    expect(() => networkHashrateHs(0)).toThrow(/difficulty/);
  });
});
