/**
 * The user's economics inputs: electricity price, BTC price, average fees per block and watts
 * for boards without a power sensor. Entered by the user and kept in this renderer's
 * localStorage only (no online price source, nothing sent to the engine). Stored JSON is parsed
 * field by field: a damaged or hand-edited value falls back to its default instead of breaking
 * the dashboard.
 */
import { createStore, useStore, type StoreApi } from 'zustand';

export interface EconomicsSettings {
  /** Label for money figures; the BTC price and the electricity price are in this currency. */
  currency: string;
  /** Electricity price per kWh; null until entered. */
  pricePerKwh: number | null;
  /** Price of one BTC; null until entered. */
  btcPrice: number | null;
  /** Average transaction fees per block, BTC (added to the subsidy for expected revenue). */
  avgFeesBtc: number;
  /** Watts for the whole rig, used when some board has neither a sensor nor its own figure. */
  enteredTotalW: number | null;
  /** Watts per board id, used for boards without a power sensor. */
  enteredBoardW: Record<string, number>;
}

/**
 * Default average fees per block. Fees vary a lot from week to week (a few hundredths of a BTC
 * per block is typical since the 2024 halving); the panel says when this default is in use so the
 * user knows to adjust it.
 */
export const DEFAULT_AVG_FEES_BTC = 0.02;
export const DEFAULT_CURRENCY = 'USD';
export const ECONOMICS_STORAGE_KEY = 'hashdeck.economics.v1';

export const LIMITS = {
  pricePerKwh: { min: 0, max: 100 },
  btcPrice: { min: 0, max: 1e9, exclusiveMin: true },
  avgFeesBtc: { min: 0, max: 50 },
  watts: { min: 0, max: 1e6, exclusiveMin: true },
} as const;

export function defaultEconomicsSettings(): EconomicsSettings {
  return { currency: DEFAULT_CURRENCY, pricePerKwh: null, btcPrice: null, avgFeesBtc: DEFAULT_AVG_FEES_BTC, enteredTotalW: null, enteredBoardW: {} };
}

interface Range {
  min: number;
  max: number;
  exclusiveMin?: boolean;
}

function inRange(v: unknown, r: Range): v is number {
  return typeof v === 'number' && Number.isFinite(v) && (r.exclusiveMin ? v > r.min : v >= r.min) && v <= r.max;
}

const CURRENCY_RE = /^[\p{L}\p{Sc}]{1,6}$/u;

export function isValidCurrency(s: string): boolean {
  return CURRENCY_RE.test(s);
}

/** Parses stored settings; every field that is missing or out of range takes its default. */
export function parseEconomicsSettings(raw: unknown): EconomicsSettings {
  const d = defaultEconomicsSettings();
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return d;
  const o = raw as Record<string, unknown>;
  const boardW: Record<string, number> = {};
  if (typeof o['enteredBoardW'] === 'object' && o['enteredBoardW'] !== null && !Array.isArray(o['enteredBoardW'])) {
    for (const [id, w] of Object.entries(o['enteredBoardW'] as Record<string, unknown>)) if (id.length > 0 && id.length <= 200 && inRange(w, LIMITS.watts)) boardW[id] = w;
  }
  return {
    currency: typeof o['currency'] === 'string' && isValidCurrency(o['currency']) ? o['currency'] : d.currency,
    pricePerKwh: inRange(o['pricePerKwh'], LIMITS.pricePerKwh) ? o['pricePerKwh'] : null,
    btcPrice: inRange(o['btcPrice'], LIMITS.btcPrice) ? o['btcPrice'] : null,
    avgFeesBtc: inRange(o['avgFeesBtc'], LIMITS.avgFeesBtc) ? o['avgFeesBtc'] : d.avgFeesBtc,
    enteredTotalW: inRange(o['enteredTotalW'], LIMITS.watts) ? o['enteredTotalW'] : null,
    enteredBoardW: boardW,
  };
}

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>;

export function loadEconomicsSettings(storage: KeyValueStorage | null): EconomicsSettings {
  if (!storage) return defaultEconomicsSettings();
  try {
    const text = storage.getItem(ECONOMICS_STORAGE_KEY);
    return text === null ? defaultEconomicsSettings() : parseEconomicsSettings(JSON.parse(text));
  } catch {
    // Unparsable JSON or storage blocked by the browser: start from the defaults.
    return defaultEconomicsSettings();
  }
}

/** False when the storage refused the write (quota, private mode); the settings still apply for this page. */
export function saveEconomicsSettings(storage: KeyValueStorage | null, s: EconomicsSettings): boolean {
  if (!storage) return false;
  try {
    storage.setItem(ECONOMICS_STORAGE_KEY, JSON.stringify(s));
    return true;
  } catch {
    return false;
  }
}

// ── Form parsing ────────────────────────────────────────────────────────────────────────────

export type NumberFieldResult = { ok: true; value: number | null } | { ok: false; error: string };

/**
 * One numeric text field: empty → null (when allowed); a comma decimal separator is accepted
 * ("0,25" is how much of Europe writes a price).
 */
export function parseNumberField(text: string, range: Range, opts: { allowEmpty: boolean }): NumberFieldResult {
  const t = text.trim().replace(',', '.');
  if (t === '') return opts.allowEmpty ? { ok: true, value: null } : { ok: false, error: 'required' };
  if (!/^[+]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return { ok: false, error: 'not a number' };
  const v = Number(t);
  if (!Number.isFinite(v)) return { ok: false, error: 'not a number' };
  if (range.exclusiveMin ? !(v > range.min) : v < range.min) return { ok: false, error: range.exclusiveMin ? `must be more than ${range.min}` : `must be at least ${range.min}` };
  if (v > range.max) return { ok: false, error: `must be at most ${range.max.toLocaleString('en-US')}` };
  return { ok: true, value: v };
}

/** The form as typed: every field is text until it is parsed. */
export interface EconomicsDraft {
  currency: string;
  pricePerKwh: string;
  btcPrice: string;
  avgFeesBtc: string;
  enteredTotalW: string;
  enteredBoardW: Record<string, string>;
}

export function draftOf(s: EconomicsSettings): EconomicsDraft {
  const str = (v: number | null): string => (v === null ? '' : String(v));
  return {
    currency: s.currency,
    pricePerKwh: str(s.pricePerKwh),
    btcPrice: str(s.btcPrice),
    avgFeesBtc: String(s.avgFeesBtc),
    enteredTotalW: str(s.enteredTotalW),
    enteredBoardW: Object.fromEntries(Object.entries(s.enteredBoardW).map(([k, v]) => [k, String(v)])),
  };
}

export type DraftErrors = Partial<Record<'currency' | 'pricePerKwh' | 'btcPrice' | 'avgFeesBtc' | 'enteredTotalW', string>> & { enteredBoardW?: Record<string, string> };

/** Validates the whole form; settings only when every field is valid. An empty fee field means the default. */
export function parseEconomicsDraft(d: EconomicsDraft): { settings: EconomicsSettings | null; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const currency = d.currency.trim();
  if (!isValidCurrency(currency)) errors.currency = '1 to 6 letters or a currency sign, e.g. USD, EUR, €';
  const take = (key: 'pricePerKwh' | 'btcPrice' | 'avgFeesBtc' | 'enteredTotalW', range: Range): number | null => {
    const r = parseNumberField(d[key], range, { allowEmpty: true });
    if (!r.ok) {
      errors[key] = r.error;
      return null;
    }
    return r.value;
  };
  const pricePerKwh = take('pricePerKwh', LIMITS.pricePerKwh);
  const btcPrice = take('btcPrice', LIMITS.btcPrice);
  const avgFeesBtc = take('avgFeesBtc', LIMITS.avgFeesBtc);
  const enteredTotalW = take('enteredTotalW', LIMITS.watts);
  const enteredBoardW: Record<string, number> = {};
  for (const [id, text] of Object.entries(d.enteredBoardW)) {
    const r = parseNumberField(text, LIMITS.watts, { allowEmpty: true });
    if (!r.ok) (errors.enteredBoardW ??= {})[id] = r.error;
    else if (r.value !== null) enteredBoardW[id] = r.value;
  }
  if (Object.keys(errors).length > 0) return { settings: null, errors };
  return { settings: { currency, pricePerKwh, btcPrice, avgFeesBtc: avgFeesBtc ?? DEFAULT_AVG_FEES_BTC, enteredTotalW, enteredBoardW }, errors };
}

// ── Shared store (Dashboard and Settings show the same figures) ─────────────────────────────

export interface EconomicsSettingsState {
  settings: EconomicsSettings;
  /** False when the last save could not be written to storage. */
  persisted: boolean;
  update(next: EconomicsSettings): void;
}

export function createEconomicsSettingsStore(storage: KeyValueStorage | null): StoreApi<EconomicsSettingsState> {
  return createStore<EconomicsSettingsState>()((set) => ({
    settings: loadEconomicsSettings(storage),
    persisted: true,
    update(next) {
      const clean = parseEconomicsSettings(next);
      set({ settings: clean, persisted: saveEconomicsSettings(storage, clean) });
    },
  }));
}

function browserStorage(): KeyValueStorage | null {
  try {
    return typeof window !== 'undefined' && window.localStorage ? window.localStorage : null;
  } catch {
    return null; // access to localStorage can throw when storage is disabled
  }
}

export const economicsSettingsStore = createEconomicsSettingsStore(browserStorage());

// Another window of the same dashboard saved new figures: follow them.
if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
  window.addEventListener('storage', (e) => {
    if (e.key === ECONOMICS_STORAGE_KEY) economicsSettingsStore.setState({ settings: loadEconomicsSettings(browserStorage()) });
  });
}

export function useEconomicsSettings(): EconomicsSettingsState {
  return useStore(economicsSettingsStore);
}
