/**
 * What the schedule wants a board to do at an instant, and when that next changes. Pure: the
 * settings, the board, the instant and the zone in; a decision out (schedule-runner.ts in the
 * engine applies it). Windows are wall-clock times on weekdays in the schedule's zone, turned into
 * real intervals per day (zoned-time.ts: a skipped time starts when the clocks jump, a repeated
 * one at its first occurrence); where windows overlap the later one in the list wins; outside
 * every window `otherwise` applies. A window's price at or above the price limit pauses it. The
 * ambient rule (ambientDecision) acts on top, with hysteresis.
 */
import type { Schedule, ScheduleWindow, TuneProfile } from '@shared/contract';
import { WEEKDAYS } from '@shared/contract';
import { addDays, formatLocal, localTime, systemTimeZone, weekdayOf, zonedInstant, type CivilDate } from './zoned-time.js';

export interface ScheduleBoardRef {
  id: string;
  serial: string | null;
}

export interface ScheduleDecision {
  action: 'mine' | 'pause';
  profile: TuneProfile | null;
  /** Why, in words ("window Mon–Fri 17:00–21:00", "price 0.40 is not under the limit 0.30", "outside every window"). */
  reason: string;
}

export interface ScheduleChange extends ScheduleDecision {
  atMs: number;
}

interface Occurrence {
  fromMs: number;
  toMs: number;
  index: number;
  window: ScheduleWindow;
}

/** Days searched ahead for the next change: the same weekday a week on, whole. */
const LOOKAHEAD_DAYS = 9;

export function scheduleZone(schedule: Schedule): string {
  return schedule.timeZone ?? systemTimeZone();
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

function appliesTo(w: ScheduleWindow, board: ScheduleBoardRef | null): boolean {
  if (!w.boards || w.boards.length === 0) return true;
  // The rig-wide view (no board) shows only the windows for every board.
  return board !== null && w.boards.some((b) => b === board.id || (board.serial !== null && b === board.serial));
}

/** Real intervals of the windows that start on local dates first..last (inclusive). */
function occurrences(schedule: Schedule, board: ScheduleBoardRef | null, first: CivilDate, days: number, zone: string): Occurrence[] {
  const out: Occurrence[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(first, i);
    const weekday = WEEKDAYS[weekdayOf(date)]!;
    schedule.windows.forEach((w, index) => {
      if (!w.days.includes(weekday) || !appliesTo(w, board)) return;
      const start = minutesOf(w.start);
      let end = minutesOf(w.end);
      if (end <= start) end += 1440; // runs past midnight
      const fromMs = zonedInstant(date, start, zone);
      const toMs = zonedInstant(date, end, zone);
      // A window wholly inside the hour the clocks skip does not happen that day.
      if (toMs > fromMs) out.push({ fromMs, toMs, index, window: w });
    });
  }
  return out;
}

function decide(schedule: Schedule, atMs: number, occ: Occurrence[]): ScheduleDecision {
  let winner: Occurrence | null = null;
  for (const o of occ) if (o.fromMs <= atMs && atMs < o.toMs && (winner === null || o.index > winner.index)) winner = o;
  if (!winner) return { action: schedule.otherwise, profile: null, reason: 'outside every window' };
  const w = winner.window;
  const label = `window ${describeWindow(w)}`;
  if (w.action === 'pause') return { action: 'pause', profile: null, reason: label };
  if (schedule.priceLimit !== null && w.price !== undefined && w.price >= schedule.priceLimit) {
    return { action: 'pause', profile: null, reason: `price ${w.price} is not under the limit ${schedule.priceLimit} (${label})` };
  }
  return { action: 'mine', profile: w.action === 'profile' ? (w.profile ?? null) : null, reason: label };
}

/** What the schedule wants now (ambient aside). A disabled schedule always mines. */
export function scheduleDecision(schedule: Schedule, board: ScheduleBoardRef | null, atMs: number): ScheduleDecision {
  if (!schedule.enabled) return { action: 'mine', profile: null, reason: 'the schedule is off' };
  const zone = scheduleZone(schedule);
  const today = localTime(atMs, zone);
  // A window that started yesterday may run past midnight into today.
  return decide(schedule, atMs, occurrences(schedule, board, addDays(today, -1), 2, zone));
}

/** The next `count` changes after `atMs` within about a week (fewer when there are none). */
export function nextScheduleChanges(schedule: Schedule, board: ScheduleBoardRef | null, atMs: number, count = 2): ScheduleChange[] {
  if (!schedule.enabled) return [];
  const zone = scheduleZone(schedule);
  const today = localTime(atMs, zone);
  const occ = occurrences(schedule, board, addDays(today, -1), LOOKAHEAD_DAYS + 1, zone);
  const edges = [...new Set(occ.flatMap((o) => [o.fromMs, o.toMs]))].filter((t) => t > atMs).sort((a, b) => a - b);
  const changes: ScheduleChange[] = [];
  let previous = decide(schedule, atMs, occ);
  for (const t of edges) {
    const d = decide(schedule, t, occ);
    if (d.action !== previous.action || d.profile !== previous.profile) {
      changes.push({ ...d, atMs: t });
      if (changes.length >= count) break;
    }
    previous = d;
  }
  return changes;
}

/** "pauses at 17:00, resumes at 21:00" (times in the schedule's zone, relative to `nowMs`). */
export function describeChanges(schedule: Schedule, current: ScheduleDecision, changes: readonly ScheduleChange[], nowMs: number): string {
  if (!schedule.enabled) return 'the schedule is off';
  const zone = scheduleZone(schedule);
  if (changes.length === 0) return current.action === 'pause' ? 'paused; no change in the next week' : 'mining; no change in the next week';
  let before: ScheduleDecision = current;
  const parts = changes.map((c) => {
    const at = formatLocal(c.atMs, nowMs, zone);
    const verb = changeVerb(before, c);
    before = c;
    return `${verb} at ${at}`;
  });
  return parts.join(', ');
}

function changeVerb(from: ScheduleDecision, to: ScheduleDecision): string {
  const name = (p: TuneProfile): string => ({ eco: 'Eco', balanced: 'Balanced', max: 'Max' })[p];
  if (to.action === 'pause') return 'pauses';
  if (from.action === 'pause') return to.profile ? `resumes on ${name(to.profile)}` : 'resumes';
  if (to.profile) return `switches to ${name(to.profile)}`;
  return from.profile ? `leaves ${name(from.profile)}` : 'resumes';
}

/** "Mon–Fri 17:00–21:00", "Sat, Sun 00:00–24:00". */
export function describeWindow(w: ScheduleWindow): string {
  return `${describeDays(w.days)} ${w.start}–${w.end}`;
}

function describeDays(days: readonly string[]): string {
  const idx = [...new Set(days.map((d) => (WEEKDAYS as readonly string[]).indexOf(d)))].sort((a, b) => a - b);
  if (idx.length === 7) return 'every day';
  const name = (i: number): string => WEEKDAYS[i]!.charAt(0).toUpperCase() + WEEKDAYS[i]!.slice(1);
  const contiguous = idx.length >= 3 && idx.every((v, i) => i === 0 || v === idx[i - 1]! + 1);
  return contiguous ? `${name(idx[0]!)}–${name(idx[idx.length - 1]!)}` : idx.map(name).join(', ');
}

/**
 * The ambient rule: pause above `pauseAboveAmbientC`, resume once `ambientHysteresisC` below it.
 * `pausedNow` is whether the rule holds the board paused already. Null ambient: the rule cannot act.
 */
export function ambientDecision(schedule: Schedule, ambientC: number | null, pausedNow: boolean): { pause: boolean; reason: string | null } {
  const limit = schedule.pauseAboveAmbientC;
  if (!schedule.enabled || limit === null || ambientC === null) return { pause: false, reason: null };
  const pause = pausedNow ? ambientC > limit - schedule.ambientHysteresisC : ambientC > limit;
  return { pause, reason: pause ? `ambient ${ambientC.toFixed(1)} °C is above ${limit} °C` : null };
}
