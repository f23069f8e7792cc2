/**
 * The pure parts of tuning: which step comes next, which step each profile picks, the limits as
 * sentences, the guard that steps a tuned board back, and the emulator's stability model.
 */
import { describe, expect, it } from 'vitest';
import type { TuneLimits, TuneRow } from '@shared/contract';
import { bm1366 } from '../../../src-main/chips/bm1366.js';
import { chipDriver } from '../../../src-main/chips/index.js';
import { hwErrorFraction, maxStableFrequencyMhz } from '../../../src-main/emulator/silicon-model.js';
import { chooseProfiles } from '../../../src-main/tuning/profiles.js';
import { TuneGuard } from '../../../src-main/tuning/tune-guard.js';
import { hwErrorLimitBroken, resolveTuneLimits, sensorLimitBroken } from '../../../src-main/tuning/tune-limits.js';
import { TunePlanner } from '../../../src-main/tuning/tune-plan.js';

const LIMITS: TuneLimits = resolveTuneLimits('bm1366', bm1366.limits, 1);

function row(frequencyMhz: number, coreVoltageMv: number | null, hashrateGhs: number, powerW: number | null, extra: Partial<TuneRow> = {}): TuneRow {
  const hashrateHs = hashrateGhs * 1e9;
  return {
    frequencyMhz,
    coreVoltageMv,
    hashrateHs,
    powerW,
    jPerTh: powerW === null ? null : powerW / (hashrateHs / 1e12),
    asicTempMaxC: 60,
    vrTempMaxC: 50,
    hwErrorFraction: 0,
    validNonces: 100,
    hwErrors: 0,
    durationMs: 1000,
    withinLimits: true,
    limit: null,
    modelled: false,
    ...extra,
  };
}

describe('tuning limits', () => {
  it('come from the chip driver and the family power, with options taking precedence', () => {
    expect(LIMITS).toEqual({ maxAsicTempC: 65, maxVrTempC: 85, maxPowerW: 25, maxHwErrorFraction: 0.01, minFrequencyMhz: 300, maxFrequencyMhz: 575, minCoreVoltageMv: 1000, maxCoreVoltageMv: 1300 });
    expect(resolveTuneLimits('bm1370', chipDriver('bm1370').limits, 2, { maxAsicTempC: 70, maxHwErrorPercent: 2 })).toMatchObject({
      maxAsicTempC: 70,
      maxPowerW: 80,
      maxHwErrorFraction: 0.02,
      maxFrequencyMhz: 625,
      maxCoreVoltageMv: 1250,
    });
  });

  it('say which limit broke, in one sentence', () => {
    expect(sensorLimitBroken({ asicTempC: 64.9, vrTempC: 84, powerW: 24 }, LIMITS)).toBeNull();
    expect(sensorLimitBroken({ asicTempC: 66.04, vrTempC: null, powerW: null }, LIMITS)).toBe('The ASIC reached 66.0 °C, above the 65 °C limit.');
    expect(sensorLimitBroken({ asicTempC: null, vrTempC: 90, powerW: null }, LIMITS)).toBe('The voltage regulator reached 90.0 °C, above the 85 °C limit.');
    expect(sensorLimitBroken({ asicTempC: null, vrTempC: null, powerW: 25.5 }, LIMITS)).toBe('The board drew 25.5 W, above the 25 W limit.');
    expect(hwErrorLimitBroken(1, 100, LIMITS)).toBeNull();
    expect(hwErrorLimitBroken(3, 100, LIMITS)).toBe('3.0 % of the nonces were hardware errors (3 of 100), above the 1.0 % limit.');
  });
});

describe('TunePlanner', () => {
  it('climbs the frequency at each voltage, retries an erroring frequency one voltage up, and stops at a sensor limit', () => {
    const p = new TunePlanner({ limits: LIMITS, frequencyStepMhz: 50, voltageStepMv: 100, voltageSettable: true });
    const seen: string[] = [];
    const verdicts: Record<string, 'ok' | 'hw-errors' | 'limit'> = { '400@1000': 'hw-errors', '500@1100': 'hw-errors', '550@1200': 'hw-errors', '550@1300': 'limit' };
    for (let point = p.next(); point; point = p.next()) {
      const key = `${point.frequencyMhz}@${point.coreVoltageMv}`;
      seen.push(key);
      p.report(verdicts[key] ?? 'ok');
    }
    expect(seen).toEqual(['300@1000', '350@1000', '400@1000', '400@1100', '450@1100', '500@1100', '500@1200', '550@1200', '550@1300']);
  });

  it('without a settable voltage it only climbs the frequency, up to the top of the range', () => {
    const p = new TunePlanner({ limits: LIMITS, frequencyStepMhz: 100, voltageStepMv: 50, voltageSettable: false });
    const seen: number[] = [];
    for (let point = p.next(); point; point = p.next()) {
      expect(point.coreVoltageMv).toBeNull();
      seen.push(point.frequencyMhz);
      p.report('ok');
    }
    expect(seen).toEqual([300, 400, 500, 575]);
  });
});

describe('profiles', () => {
  const rows = [
    row(485, 1200, 433.6, 14.83), // the default setting
    row(350, 1000, 312.9, 8.19),
    row(450, 1100, 402.3, 11.9),
    row(500, 1200, 447.0, 15.24),
    row(550, 1300, 491.7, 19.3, { withinLimits: false, limit: 'too hot' }),
  ];

  it('Eco is the lowest J/TH, Max the most hashrate within the limits, Balanced the best J/TH from halfway up', () => {
    const p = chooseProfiles(rows);
    expect(p.eco).toMatchObject({ frequencyMhz: 350, coreVoltageMv: 1000 });
    expect(p.max).toMatchObject({ frequencyMhz: 500, coreVoltageMv: 1200 });
    expect(p.balanced).toMatchObject({ frequencyMhz: 450, coreVoltageMv: 1100 });
  });

  it('leaves out steps at or above the power that broke a sensor limit, and needs power for J/TH', () => {
    expect(chooseProfiles(rows, 11.9).max).toMatchObject({ frequencyMhz: 350 });
    const noPower = chooseProfiles([row(400, null, 350, null), row(450, null, 390, null)]);
    expect(noPower).toMatchObject({ eco: null, balanced: null, max: { frequencyMhz: 450 } });
    expect(chooseProfiles([])).toEqual({ eco: null, balanced: null, max: null });
  });
});

describe('TuneGuard', () => {
  const rows = [row(350, 1000, 312.9, 8.19), row(450, 1100, 402.3, 11.9), row(500, 1200, 447.0, 15.24)];
  const hot = { asicTempC: 67, vrTempC: 50, powerW: 15 };
  const cool = { asicTempC: 60, vrTempC: 50, powerW: 15 };

  it('waits out its hold-off, then steps back to the best setting that drew less, and again later if needed', () => {
    const g = new TuneGuard(rows, LIMITS, { frequencyMhz: 500, coreVoltageMv: 1200 }, 30_000, 0);
    expect(g.check(hot, 10_000)).toEqual({ kind: 'ok' }); // still in the hold-off after applying
    expect(g.check(cool, 40_000)).toEqual({ kind: 'ok' });
    const first = g.check(hot, 41_000);
    expect(first).toMatchObject({ kind: 'step-back', text: 'The ASIC reached 67.0 °C, above the 65 °C limit. Stepped back to 450 MHz / 1100 mV.', to: { frequencyMhz: 450 } });
    expect(g.check(hot, 50_000)).toEqual({ kind: 'ok' }); // the temperature needs time to follow
    expect(g.check(hot, 72_000)).toMatchObject({ kind: 'step-back', to: { frequencyMhz: 350 } });
    const last = g.check(hot, 103_000);
    expect(last.kind).toBe('nothing-lower');
    expect(g.check(hot, 140_000)).toEqual({ kind: 'ok' }); // said once
    expect(g.point).toEqual({ frequencyMhz: 350, coreVoltageMv: 1000 });
  });
});

describe('emulator stability model', () => {
  it('is stable to 12 % above the default at the default voltage, less with less voltage; errors jump once past it', () => {
    const l = bm1366.limits;
    expect(maxStableFrequencyMhz(l, 1.2)).toBeCloseTo(543.2, 1);
    expect(maxStableFrequencyMhz(l, 1.1)).toBeCloseTo(452.7, 1);
    expect(hwErrorFraction(l, 485, 1.2)).toBe(0);
    expect(hwErrorFraction(l, 543, 1.2)).toBe(0);
    expect(hwErrorFraction(l, 550, 1.2)).toBeCloseTo(0.05 + (3 * (550 - 543.2)) / 543.2, 3);
    expect(hwErrorFraction(l, 575, 1.0)).toBe(0.6);
    expect(hwErrorFraction(l, 485, 0)).toBe(0); // powered off
  });
});
