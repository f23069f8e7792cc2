/**
 * Turns a `getHistory` reply into columns for uPlot. The ledger's reply shape is owned by the
 * stats module; this accepts the forms it may take and rejects anything else (an empty series is
 * shown as an empty state, never filled in):
 *   - an array of points, or `{ points: [...] }`, each point `{ atMs | tMs | timeMs | t, hashrateHs,
 *     powerW?, asicTempC?, vrTempC?, fanRpm? }`;
 *   - columns `{ atMs: number[], hashrateHs: number[], … }` (optionally under `series`).
 */
export interface HistoryColumns {
  /** Seconds since the epoch (uPlot's x unit). */
  timeS: number[];
  hashrateHs: (number | null)[];
  powerW: (number | null)[];
  asicTempC: (number | null)[];
  /** Share of each bucket's samples that were paused (0..1): a paused board, or the whole rig for the total. */
  pausedFraction?: number[];
}

/*
 * Checked by hand, not with a schema library: a day at 5 s is 17 280 points, and a per-point schema
 * check was most of the History page's time for it (bench/dashboard.bench.ts).
 */
const TIME_KEYS = ['atMs', 'tMs', 'timeMs', 't'] as const;
const VALUE_KEYS = ['hashrateHs', 'powerW', 'asicTempC', 'vrTempC', 'fanRpm'] as const;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isOptionalNumber = (v: unknown): boolean => v === undefined || typeof v === 'number';
const isOptionalValue = (v: unknown): boolean => v === undefined || v === null || typeof v === 'number';
const isPausedShape = (raw: Record<string, unknown>): boolean => {
  const fraction = raw['pausedFraction'];
  return (raw['paused'] === undefined || typeof raw['paused'] === 'boolean') && (fraction === undefined || (typeof fraction === 'number' && fraction >= 0 && fraction <= 1));
};

export const EMPTY_HISTORY: HistoryColumns = { timeS: [], hashrateHs: [], powerW: [], asicTempC: [] };

export function normaliseHistory(reply: unknown): HistoryColumns {
  if (reply === null || reply === undefined) return EMPTY_HISTORY;
  const obj = reply as Record<string, unknown>;
  if (Array.isArray(reply)) return fromPoints(reply);
  if (typeof reply !== 'object') throw new Error('history reply is not an object');
  if (Array.isArray(obj['points'])) return fromPoints(obj['points']);
  if (obj['series'] && typeof obj['series'] === 'object' && !Array.isArray(obj['series'])) return fromColumns(obj['series']);
  if (Array.isArray(obj['series'])) return fromPoints(obj['series']);
  return fromColumns(reply);
}

function fromPoints(list: unknown[]): HistoryColumns {
  const rows: Array<{ t: number; h: number | null; p: number | null; c: number | null; paused: number }> = [];
  for (const raw of list) {
    if (!isObject(raw) || !TIME_KEYS.every((k) => isOptionalNumber(raw[k])) || !VALUE_KEYS.every((k) => isOptionalValue(raw[k])) || !isPausedShape(raw))
      throw new Error('history point has an unexpected shape');
    const ms = (raw['atMs'] ?? raw['tMs'] ?? raw['timeMs'] ?? raw['t']) as number | undefined;
    if (ms === undefined) throw new Error('history point has no time');
    const fraction = raw['pausedFraction'];
    rows.push({
      t: ms / 1000,
      h: (raw['hashrateHs'] as number | null | undefined) ?? null,
      p: (raw['powerW'] as number | null | undefined) ?? null,
      c: (raw['asicTempC'] as number | null | undefined) ?? null,
      paused: typeof fraction === 'number' ? fraction : raw['paused'] === true ? 1 : 0,
    });
  }
  rows.sort((a, b) => a.t - b.t);
  const columns: HistoryColumns = { timeS: rows.map((r) => r.t), hashrateHs: rows.map((r) => r.h), powerW: rows.map((r) => r.p), asicTempC: rows.map((r) => r.c) };
  if (rows.some((r) => r.paused > 0)) columns.pausedFraction = rows.map((r) => r.paused);
  return columns;
}

const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');
const isValueArray = (v: unknown): v is (number | null)[] => Array.isArray(v) && v.every((x) => x === null || typeof x === 'number');

function fromColumns(raw: unknown): HistoryColumns {
  const columns = { atMs: 'time', tMs: 'time', timeMs: 'time', hashrateHs: 'value', powerW: 'value', asicTempC: 'value' } as const;
  if (!isObject(raw) || !Object.entries(columns).every(([k, kind]) => raw[k] === undefined || (kind === 'time' ? isNumberArray(raw[k]) : isValueArray(raw[k])))) {
    throw new Error('history columns have an unexpected shape');
  }
  const t = (raw['atMs'] ?? raw['tMs'] ?? raw['timeMs']) as number[] | undefined;
  if (!t) throw new Error('history reply has no time column');
  const col = (v: unknown): (number | null)[] => t.map((_, i) => (v as (number | null)[] | undefined)?.[i] ?? null);
  return { timeS: t.map((ms) => ms / 1000), hashrateHs: col(raw['hashrateHs']), powerW: col(raw['powerW']), asicTempC: col(raw['asicTempC']) };
}

export function historyHasData(h: HistoryColumns): boolean {
  return h.timeS.length > 0 && (h.hashrateHs.some((v) => v !== null) || h.powerW.some((v) => v !== null) || h.asicTempC.some((v) => v !== null) || (h.pausedFraction?.some((v) => v > 0) ?? false));
}
