/**
 * Turns a `getHistory` reply into columns for uPlot. The ledger's reply shape is owned by the
 * stats module; this accepts the forms it may take and rejects anything else (an empty series is
 * shown as an empty state, never filled in):
 *   - an array of points, or `{ points: [...] }`, each point `{ atMs | tMs | timeMs | t, hashrateHs,
 *     powerW?, asicTempC?, vrTempC?, fanRpm? }`;
 *   - columns `{ atMs: number[], hashrateHs: number[], … }` (optionally under `series`).
 */
import { z } from 'zod';

export interface HistoryColumns {
  /** Seconds since the epoch (uPlot's x unit). */
  timeS: number[];
  hashrateHs: (number | null)[];
  powerW: (number | null)[];
  asicTempC: (number | null)[];
  /** Share of each bucket's samples that were paused (0..1): a paused board, or the whole rig for the total. */
  pausedFraction?: number[];
}

const num = z.number().nullable().optional();
const pointSchema = z
  .object({ atMs: z.number().optional(), tMs: z.number().optional(), timeMs: z.number().optional(), t: z.number().optional(), hashrateHs: num, powerW: num, asicTempC: num, vrTempC: num, fanRpm: num, paused: z.boolean().optional(), pausedFraction: z.number().min(0).max(1).optional() })
  .loose();
const columnsSchema = z
  .object({ atMs: z.array(z.number()).optional(), tMs: z.array(z.number()).optional(), timeMs: z.array(z.number()).optional(), hashrateHs: z.array(z.number().nullable()).optional(), powerW: z.array(z.number().nullable()).optional(), asicTempC: z.array(z.number().nullable()).optional() })
  .loose();

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
    const p = pointSchema.safeParse(raw);
    if (!p.success) throw new Error('history point has an unexpected shape');
    const ms = p.data.atMs ?? p.data.tMs ?? p.data.timeMs ?? p.data.t;
    if (ms === undefined) throw new Error('history point has no time');
    rows.push({ t: ms / 1000, h: p.data.hashrateHs ?? null, p: p.data.powerW ?? null, c: p.data.asicTempC ?? null, paused: p.data.pausedFraction ?? (p.data.paused === true ? 1 : 0) });
  }
  rows.sort((a, b) => a.t - b.t);
  const columns: HistoryColumns = { timeS: rows.map((r) => r.t), hashrateHs: rows.map((r) => r.h), powerW: rows.map((r) => r.p), asicTempC: rows.map((r) => r.c) };
  if (rows.some((r) => r.paused > 0)) columns.pausedFraction = rows.map((r) => r.paused);
  return columns;
}

function fromColumns(raw: unknown): HistoryColumns {
  const c = columnsSchema.safeParse(raw);
  if (!c.success) throw new Error('history columns have an unexpected shape');
  const t = c.data.atMs ?? c.data.tMs ?? c.data.timeMs;
  if (!t) throw new Error('history reply has no time column');
  const col = (v: (number | null)[] | undefined): (number | null)[] => t.map((_, i) => v?.[i] ?? null);
  return { timeS: t.map((ms) => ms / 1000), hashrateHs: col(c.data.hashrateHs), powerW: col(c.data.powerW), asicTempC: col(c.data.asicTempC) };
}

export function historyHasData(h: HistoryColumns): boolean {
  return h.timeS.length > 0 && (h.hashrateHs.some((v) => v !== null) || h.powerW.some((v) => v !== null) || h.asicTempC.some((v) => v !== null) || (h.pausedFraction?.some((v) => v > 0) ?? false));
}
