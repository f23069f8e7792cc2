/**
 * AxeOS JSON into HashDeck's units: real-shaped answers (ESP-Miner field names, from the fake
 * device fixture), a fork's answer with extra and missing fields, and answers that are not AxeOS.
 */
import { describe, expect, it } from 'vitest';
import { AxeosAnswerError, parseAsicInfo, parseDifficulty, parseSystemInfo } from '../../../src-main/fleet/system-info.js';
import { espMinerAsicInfo, espMinerSystemInfo, forkSystemInfo } from '../../fixtures/axeos/fake-device.js';

describe('parseSystemInfo', () => {
  it('reads current ESP-Miner in HashDeck units (GH/s → H/s, mV → V, mA → A)', () => {
    const r = parseSystemInfo(espMinerSystemInfo());
    expect(r.hostname).toBe('bitaxe-gamma');
    expect(r.asicModel).toBe('BM1370');
    expect(r.deviceModel).toBeNull();
    expect(r.firmwareVersion).toBe('v2.12.0');
    expect(r.webVersion).toBe('v2.12.0');
    expect(r.boardVersion).toBe('601');
    expect(r.hashrateHs).toBeCloseTo(1180.52e9, 0);
    expect(r.hashrate1mHs).toBeCloseTo(1175.1e9, 0);
    expect(r.hashrate10mHs).toBeCloseTo(1178.9e9, 0);
    expect(r.hashrate1hHs).toBeCloseTo(1181.3e9, 0);
    expect(r.expectedHashrateHs).toBeCloseTo(1203.84e9, 0);
    expect(r.powerW).toBe(18.912345);
    expect(r.inputVoltageV).toBeCloseTo(5.125, 9);
    expect(r.currentA).toBeCloseTo(3.6905, 9);
    expect(r.coreVoltageV).toBeCloseTo(1.143, 9);
    expect(r.frequencyMhz).toBe(525);
    expect(r.asicTempC).toBe(57.25);
    expect(r.vrTempC).toBe(48);
    expect(r.fanPercent).toBe(62);
    expect(r.fanRpm).toBe(5520);
    expect(r.bestDifficulty).toBe(123_456_789);
    expect(r.bestDifficultyAllTime).toBe(4_294_967_296);
    expect(r.sharesAccepted).toBe(4321);
    expect(r.sharesRejected).toBe(7);
    expect(r.blocksFound).toBe(0);
    expect(r.uptimeS).toBe(93_784);
    expect(r.primaryPool).toEqual({ url: 'pool.example.com', port: 3333, user: 'bc1qexampleaddress.gamma' });
    expect(r.fallbackPool).toEqual({ url: 'backup.example.org', port: 4333, user: 'bc1qexampleaddress.gamma' });
    expect(r.usingFallback).toBe(false);
    expect(r.stratumTls).toBe(0);
  });

  it("reads a fork's answer: extra fields ignored, missing ones null, best difficulty as text", () => {
    const r = parseSystemInfo(forkSystemInfo());
    expect(r.hostname).toBe('nerdqaxe');
    expect(r.deviceModel).toBe('NerdQAxe++');
    expect(r.hashrateHs).toBeCloseTo(4812.5e9, 0);
    expect(r.hashrate1mHs).toBeNull();
    expect(r.vrTempC).toBeNull();
    expect(r.fanRpm).toBeNull();
    expect(r.fanPercent).toBe(48);
    expect(r.webVersion).toBeNull();
    expect(r.stratumTls).toBeNull();
    expect(r.bestDifficultyAllTime).toBeCloseTo(4.29e9, 0);
    expect(r.bestDifficulty).toBe(512e6);
    expect(r.usingFallback).toBe(false);
    expect(r.primaryPool).toEqual({ url: 'stratum+tcp://pool.example.com', port: 3333, user: 'bc1qexampleaddress.nerd' });
    expect(r.fallbackPool).toBeNull();
    expect(Object.keys(r)).not.toContain('stratum');
  });

  it('treats a field of the wrong type as missing, and numeric text as a number', () => {
    const info = { ...espMinerSystemInfo(), power: 'lots', temp: { c: 50 }, fanrpm: '4200', hostname: 42, stratumPort: 70000, sharesAccepted: -5, isUsingFallbackStratum: 'yes' };
    const r = parseSystemInfo(info);
    expect(r.powerW).toBeNull();
    expect(r.asicTempC).toBeNull();
    expect(r.fanRpm).toBe(4200);
    expect(r.hostname).toBeNull();
    expect(r.primaryPool?.port).toBeNull();
    expect(r.sharesAccepted).toBeNull();
    expect(r.usingFallback).toBe(false);
  });

  it('reads 0 °C (a sensor the board lacks) as no temperature', () => {
    const r = parseSystemInfo({ ...espMinerSystemInfo(), vrTemp: 0, temp: -1 });
    expect(r.vrTempC).toBeNull();
    expect(r.asicTempC).toBeNull();
  });

  it('makes device text plain and short (no terminal escapes, no forged lines)', () => {
    const r = parseSystemInfo({ ...espMinerSystemInfo(), hostname: 'evil\u001b[2J\nBLOCK FOUND', stratumUser: 'u'.repeat(5000) });
    expect(r.hostname).toBe('evil\\x1b[2J\\x0aBLOCK FOUND');
    expect(r.primaryPool?.user).toHaveLength(256);
  });

  it('uses the fallback pool flag as ESP-Miner sends it (0/1) and as forks do (booleans)', () => {
    expect(parseSystemInfo({ ...espMinerSystemInfo(), isUsingFallbackStratum: 1 }).usingFallback).toBe(true);
    expect(parseSystemInfo({ ...forkSystemInfo(), isUsingFallbackStratum: true }).usingFallback).toBe(true);
  });

  it.each([
    ['an array', [1, 2, 3], 'not a JSON object'],
    ['a string', 'hello', 'not a JSON object'],
    ['null', null, 'not a JSON object'],
    ['an object with no AxeOS field', { hello: 'world' }, 'none of the AxeOS fields'],
  ])('refuses %s', (_what, json, message) => {
    expect(() => parseSystemInfo(json)).toThrow(AxeosAnswerError);
    expect(() => parseSystemInfo(json)).toThrow(message);
  });
});

describe('parseDifficulty', () => {
  it.each([
    [4_294_967_296, 4_294_967_296],
    ['4.29G', 4.29e9],
    ['512M', 512e6],
    ['1.5k', 1500],
    ['12.3K', 12_300],
    ['7T', 7e12],
    [' 950 ', 950],
    ['2E', 2e18],
    ['1.2P', 1.2e15],
  ])('%j → %d', (input, expected) => {
    expect(parseDifficulty(input)).toBeCloseTo(expected, 6);
  });

  it.each([['4.29X'], ['G'], [''], [-1], [Number.NaN], [Infinity], [null], [{}], ['1e9']])('%j → null', (input) => {
    expect(parseDifficulty(input)).toBeNull();
  });
});

describe('parseAsicInfo', () => {
  it('reads the device model and ASIC count', () => {
    expect(parseAsicInfo(espMinerAsicInfo())).toEqual({ asicModel: 'BM1370', deviceModel: 'Gamma', asicCount: 1 });
  });
  it('tolerates missing fields and refuses non-objects', () => {
    expect(parseAsicInfo({ ASICModel: 'BM1366' })).toEqual({ asicModel: 'BM1366', deviceModel: null, asicCount: null });
    expect(() => parseAsicInfo([])).toThrow('not a JSON object');
  });
});
