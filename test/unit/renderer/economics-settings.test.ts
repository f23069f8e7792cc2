import { describe, expect, it } from 'vitest';
import {
  createEconomicsSettingsStore,
  DEFAULT_AVG_FEES_BTC,
  defaultEconomicsSettings,
  draftOf,
  ECONOMICS_STORAGE_KEY,
  loadEconomicsSettings,
  parseEconomicsDraft,
  parseEconomicsSettings,
  parseNumberField,
  saveEconomicsSettings,
  LIMITS,
  type KeyValueStorage,
} from '../../../src-renderer/src/lib/economics-settings.js';

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (k) => (k in data ? (data[k] as string) : null),
    setItem: (k, v) => {
      data[k] = v;
    },
  };
}

describe('economics settings parsing', () => {
  it('defaults: no prices, stated default fees, USD label', () => {
    const d = defaultEconomicsSettings();
    expect(d).toEqual({ currency: 'USD', pricePerKwh: null, btcPrice: null, avgFeesBtc: DEFAULT_AVG_FEES_BTC, enteredTotalW: null, enteredBoardW: {} });
    expect(parseEconomicsSettings(null)).toEqual(d);
    expect(parseEconomicsSettings('x')).toEqual(d);
    expect(parseEconomicsSettings([1, 2])).toEqual(d);
  });

  it('keeps valid fields and drops out-of-range or wrongly typed ones field by field', () => {
    const s = parseEconomicsSettings({
      currency: 'EUR',
      pricePerKwh: 0.31,
      btcPrice: -5,
      avgFeesBtc: '0.1',
      enteredTotalW: 0,
      enteredBoardW: { 'board-0': 15.5, 'board-1': -1, 'board-2': Number.NaN, 'board-3': 'x', '': 3 },
    });
    expect(s.currency).toBe('EUR');
    expect(s.pricePerKwh).toBe(0.31);
    expect(s.btcPrice).toBeNull();
    expect(s.avgFeesBtc).toBe(DEFAULT_AVG_FEES_BTC);
    expect(s.enteredTotalW).toBeNull(); // 0 W is not a power figure
    expect(s.enteredBoardW).toEqual({ 'board-0': 15.5 });
    expect(parseEconomicsSettings({ currency: '<script>' }).currency).toBe('USD');
    expect(parseEconomicsSettings({ currency: '€' }).currency).toBe('€');
    expect(parseEconomicsSettings({ pricePerKwh: 0 }).pricePerKwh).toBe(0); // free power is a valid price
    expect(parseEconomicsSettings({ pricePerKwh: LIMITS.pricePerKwh.max + 1 }).pricePerKwh).toBeNull();
  });

  it('round-trips through storage and survives broken or blocked storage', () => {
    const st = memoryStorage();
    const s = { ...defaultEconomicsSettings(), currency: 'CHF', pricePerKwh: 0.27, btcPrice: 95_000, avgFeesBtc: 0.035, enteredTotalW: 40, enteredBoardW: { a: 12 } };
    expect(saveEconomicsSettings(st, s)).toBe(true);
    expect(JSON.parse(st.data[ECONOMICS_STORAGE_KEY] ?? 'null')).toEqual(s);
    expect(loadEconomicsSettings(st)).toEqual(s);
    expect(loadEconomicsSettings(memoryStorage({ [ECONOMICS_STORAGE_KEY]: '{not json' }))).toEqual(defaultEconomicsSettings());
    expect(loadEconomicsSettings(null)).toEqual(defaultEconomicsSettings());
    const throwing: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(loadEconomicsSettings(throwing)).toEqual(defaultEconomicsSettings());
    expect(saveEconomicsSettings(throwing, s)).toBe(false);
  });

  it('store: update persists, a new store reads it back, a refused write is reported', () => {
    const st = memoryStorage();
    const a = createEconomicsSettingsStore(st);
    expect(a.getState().settings.pricePerKwh).toBeNull();
    a.getState().update({ ...a.getState().settings, pricePerKwh: 0.2, btcPrice: 60_000 });
    expect(a.getState().persisted).toBe(true);
    const b = createEconomicsSettingsStore(st);
    expect(b.getState().settings.pricePerKwh).toBe(0.2);
    expect(b.getState().settings.btcPrice).toBe(60_000);
    const refusing = createEconomicsSettingsStore({
      getItem: () => null,
      setItem: () => {
        throw new Error('quota');
      },
    });
    refusing.getState().update({ ...defaultEconomicsSettings(), pricePerKwh: 0.1 });
    expect(refusing.getState().settings.pricePerKwh).toBe(0.1);
    expect(refusing.getState().persisted).toBe(false);
  });
});

describe('economics form', () => {
  it('parses number fields: comma decimals, empty, junk, limits', () => {
    const r = { min: 0, max: 100 };
    expect(parseNumberField(' 0,25 ', r, { allowEmpty: true })).toEqual({ ok: true, value: 0.25 });
    expect(parseNumberField('', r, { allowEmpty: true })).toEqual({ ok: true, value: null });
    expect(parseNumberField('', r, { allowEmpty: false })).toEqual({ ok: false, error: 'required' });
    expect(parseNumberField('12abc', r, { allowEmpty: true }).ok).toBe(false);
    expect(parseNumberField('0x10', r, { allowEmpty: true }).ok).toBe(false);
    expect(parseNumberField('-1', r, { allowEmpty: true }).ok).toBe(false);
    expect(parseNumberField('101', r, { allowEmpty: true })).toEqual({ ok: false, error: 'must be at most 100' });
    expect(parseNumberField('0', { min: 0, max: 10, exclusiveMin: true }, { allowEmpty: true })).toEqual({ ok: false, error: 'must be more than 0' });
    expect(parseNumberField('1e3', { min: 0, max: 1e6 }, { allowEmpty: true })).toEqual({ ok: true, value: 1000 });
  });

  it('a valid draft gives settings; an empty fee field means the default', () => {
    const { settings, errors } = parseEconomicsDraft({
      currency: ' EUR ',
      pricePerKwh: '0,31',
      btcPrice: '90000',
      avgFeesBtc: '',
      enteredTotalW: '',
      enteredBoardW: { 'board-0': '15', 'board-1': '' },
    });
    expect(errors).toEqual({});
    expect(settings).toEqual({ currency: 'EUR', pricePerKwh: 0.31, btcPrice: 90_000, avgFeesBtc: DEFAULT_AVG_FEES_BTC, enteredTotalW: null, enteredBoardW: { 'board-0': 15 } });
  });

  it('an invalid draft gives no settings and an error per field', () => {
    const { settings, errors } = parseEconomicsDraft({ currency: '', pricePerKwh: 'cheap', btcPrice: '0', avgFeesBtc: '99', enteredTotalW: '-3', enteredBoardW: { 'board-0': 'x' } });
    expect(settings).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['avgFeesBtc', 'btcPrice', 'currency', 'enteredBoardW', 'enteredTotalW', 'pricePerKwh']);
    expect(errors.enteredBoardW).toEqual({ 'board-0': 'not a number' });
  });

  it('draftOf → parseEconomicsDraft is the identity on valid settings', () => {
    const s = { currency: 'GBP', pricePerKwh: 0.245, btcPrice: 77_000.5, avgFeesBtc: 0.0125, enteredTotalW: 33.3, enteredBoardW: { x: 14.2 } };
    expect(parseEconomicsDraft(draftOf(s)).settings).toEqual(s);
  });
});
