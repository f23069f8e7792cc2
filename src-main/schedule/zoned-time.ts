/**
 * Wall-clock time in an IANA time zone, from the runtime's own zone data (Intl.DateTimeFormat),
 * with daylight-saving changes handled: a local time the clocks skip maps to the moment they jump,
 * and one they repeat maps to its first occurrence. Pure: no clock of its own.
 */

/** A calendar date with no zone (month 1–12). */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export interface LocalTime extends CivilDate {
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  /** Minutes since local midnight (0–1439). */
  minutes: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  return f;
}

/** The system's zone (what `null` in a schedule means). */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function fields(ms: number, zone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatter(zone).formatToParts(ms)) {
    if (p.type in out) out[p.type as keyof typeof out] = Number(p.value);
  }
  return out;
}

/** Offset of the zone from UTC at an instant, in ms (Berlin in winter: +3 600 000). */
export function zoneOffsetMs(ms: number, zone: string): number {
  const f = fields(ms, zone);
  const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return wall - Math.floor(ms / 1000) * 1000;
}

export function localTime(ms: number, zone: string): LocalTime {
  const f = fields(ms, zone);
  return { year: f.year, month: f.month, day: f.day, weekday: weekdayOf(f), minutes: f.hour * 60 + f.minute };
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(d: CivilDate): number {
  return (new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7;
}

export function addDays(d: CivilDate, days: number): CivilDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

function sameLocal(ms: number, zone: string, d: CivilDate, minutes: number): boolean {
  const l = localTime(ms, zone);
  return l.year === d.year && l.month === d.month && l.day === d.day && l.minutes === minutes;
}

/**
 * The instant a local date and time happens in `zone` (minutes 0–1440; 1440 is the next midnight).
 * Repeated (clocks back): the first occurrence. Skipped (clocks forward): the moment of the jump.
 */
export function zonedInstant(date: CivilDate, minutes: number, zone: string): number {
  if (minutes >= 1440) return zonedInstant(addDays(date, Math.floor(minutes / 1440)), minutes % 1440, zone);
  const naive = Date.UTC(date.year, date.month - 1, date.day) + minutes * MINUTE_MS;
  // At most one change of offset within a day either side.
  const before = zoneOffsetMs(naive - DAY_MS, zone);
  const after = zoneOffsetMs(naive + DAY_MS, zone);
  const candidates = [...new Set([naive - before, naive - after])].filter((c) => sameLocal(c, zone, date, minutes)).sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0]!;
  // Skipped: the offset changes between the two readings; find when, to the second.
  let lo = Math.min(naive - before, naive - after);
  let hi = Math.max(naive - before, naive - after);
  const offsetAtLo = zoneOffsetMs(lo, zone);
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (zoneOffsetMs(mid, zone) === offsetAtLo) lo = mid;
    else hi = mid;
  }
  return hi;
}

const WEEKDAY_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** "17:00" on the same local day as `nowMs`, "Tue 17:00" within a week, else "2026-03-29 17:00". */
export function formatLocal(ms: number, nowMs: number, zone: string): string {
  const t = localTime(ms, zone);
  const n = localTime(nowMs, zone);
  const hhmm = `${String(Math.floor(t.minutes / 60)).padStart(2, '0')}:${String(t.minutes % 60).padStart(2, '0')}`;
  if (t.year === n.year && t.month === n.month && t.day === n.day) return hhmm;
  if (ms - nowMs < 6.5 * DAY_MS) return `${WEEKDAY_SHORT[t.weekday]} ${hhmm}`;
  return `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')} ${hhmm}`;
}
