import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeSlinear11, decodeUlinear16, encodeSlinear11, encodeUlinear16, voutModeExponent } from '../../../../../src-main/boards/control/peripherals/pmbus-linear.js';
import { ds4432uCodeForVoltage, ds4432uVoltageForCode } from '../../../../../src-main/boards/control/peripherals/ds4432u.js';
import {
  emc2101ExternalTemperature,
  emc2101ExternalTemperatureBytes,
  emc2101FanPercent,
  emc2101FanSetting,
  emc2101Rpm,
  emc2101TachCount,
} from '../../../../../src-main/boards/control/peripherals/emc2101.js';
import { ina260BusVoltageV, ina260CurrentA, ina260PowerW } from '../../../../../src-main/boards/control/peripherals/ina260.js';
import { isKnownTps546DeviceId, tps546FaultNames } from '../../../../../src-main/boards/control/peripherals/tps546.js';

describe('PMBus linear formats', () => {
  it('SLINEAR11 decodes sign-extended exponent and mantissa', () => {
    expect(decodeSlinear11(0x0001)).toBe(1);
    expect(decodeSlinear11(0x07ff)).toBe(-1); // mantissa −1, exponent 0
    expect(decodeSlinear11((0x1d << 11) | 0x0190)).toBe(400 / 8); // exponent −3
    expect(decodeSlinear11((0x1e << 11) | 0x07fe)).toBe(-0.5); // mantissa −2, exponent −2
  });

  it('SLINEAR11 encodes with the finest exponent that fits (4.8 V → 614·2^-7)', () => {
    const word = encodeSlinear11(4.8);
    expect(word).toBe(((-7 & 0x1f) << 11) | 614);
    expect(decodeSlinear11(word)).toBe(4.796875);
  });

  it('SLINEAR11 round-trips within half a step', () => {
    fc.assert(
      fc.property(fc.double({ min: -1000, max: 1000, noNaN: true }), (v) => {
        const back = decodeSlinear11(encodeSlinear11(v));
        expect(Math.abs(back - v)).toBeLessThanOrEqual(Math.max(Math.abs(v) / 1024, 2 ** -17));
      }),
    );
  });

  it('ULINEAR16 uses the VOUT_MODE exponent (0x17 → −9): 1.2 V → 614', () => {
    expect(voutModeExponent(0x17)).toBe(-9);
    expect(voutModeExponent(0x05)).toBe(5);
    expect(encodeUlinear16(1.2, -9)).toBe(614);
    expect(decodeUlinear16(614, -9)).toBeCloseTo(1.19921875, 10);
    expect(() => encodeUlinear16(200, -9)).toThrow(/too large/);
    expect(() => encodeUlinear16(-1, -9)).toThrow();
  });

  it('rejects non-finite and out-of-range input', () => {
    expect(() => encodeSlinear11(Number.NaN)).toThrow();
    expect(() => encodeSlinear11(1e12)).toThrow(/out of range/);
    expect(() => decodeSlinear11(0x10000)).toThrow();
  });
});

describe('DS4432U code formula (docs §6.3, §8.12)', () => {
  it.each([
    [1.25, 0xb9],
    [1.1, 0xe1],
    [1.15, 0xd4],
    [1.2, 0xc6],
    [1.3, 0xab],
  ])('%f V → 0x%s', (v, code) => {
    expect(ds4432uCodeForVoltage(v)).toBe(code);
  });

  it('the inverse lands within one code step', () => {
    for (const v of [1.1, 1.2, 1.3, 1.5, 1.8]) expect(Math.abs(ds4432uVoltageForCode(ds4432uCodeForVoltage(v)) - v)).toBeLessThan(0.03);
  });

  it('refuses voltages outside 0.046–2.39 V', () => {
    expect(() => ds4432uCodeForVoltage(2.5)).toThrow(/outside/);
    expect(() => ds4432uCodeForVoltage(Number.NaN)).toThrow(/outside/);
  });
});

describe('EMC2101 math (docs §6.3)', () => {
  it('fan duty is round-down(63 × fraction)', () => {
    expect(emc2101FanSetting(100)).toBe(63);
    expect(emc2101FanSetting(50)).toBe(31);
    expect(emc2101FanSetting(0)).toBe(0);
    expect(emc2101FanPercent(63)).toBe(100);
    expect(() => emc2101FanSetting(101)).toThrow();
  });

  it('RPM = 5,400,000 / tach; the stalled 82 RPM reads as 0', () => {
    expect(emc2101Rpm(1350)).toBe(4000);
    expect(emc2101Rpm(0xffff)).toBe(0);
    expect(emc2101Rpm(0)).toBe(0);
    expect(emc2101Rpm(emc2101TachCount(3000))).toBe(3000);
  });

  it('external temperature: 11-bit signed eighths, open/short codes', () => {
    expect(emc2101ExternalTemperature(0x3c, 0x20)).toEqual({ ok: true, celsius: 60.125 });
    expect(emc2101ExternalTemperature(0xff, 0xe0)).toEqual({ ok: true, celsius: -0.125 });
    expect(emc2101ExternalTemperature(0x7f, 0x00)).toEqual({ ok: false, fault: 'open' });
    expect(emc2101ExternalTemperature(0x7f, 0xe0)).toEqual({ ok: false, fault: 'short' });
    for (const t of [-10.5, 0, 25.25, 70.875, 100]) {
      const [h, l] = emc2101ExternalTemperatureBytes(t);
      expect(emc2101ExternalTemperature(h, l)).toEqual({ ok: true, celsius: t });
    }
  });
});

describe('INA260 and TPS546 helpers', () => {
  it('INA260 LSBs: 1.25 mA, 1.25 mV, 10 mW; current is signed', () => {
    expect(ina260CurrentA(2000)).toBeCloseTo(2.5, 10);
    expect(ina260CurrentA(0xffff)).toBeCloseTo(-0.00125, 10);
    expect(ina260BusVoltageV(4000)).toBeCloseTo(5.0, 10);
    expect(ina260PowerW(1234)).toBeCloseTo(12.34, 10);
  });

  it('TPS546 device ids and fault bits', () => {
    expect(isKnownTps546DeviceId(Buffer.from('5449546d2441', 'hex'))).toBe(true);
    expect(isKnownTps546DeviceId(Buffer.from('5449546d2442', 'hex'))).toBe(false);
    expect(tps546FaultNames(0x0840)).toEqual([]); // OFF + POWER_GOOD#: just switched off
    expect(tps546FaultNames(0x0014)).toEqual(['output over-current', 'over-temperature']);
  });
});
