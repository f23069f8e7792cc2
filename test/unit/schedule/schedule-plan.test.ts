/**
 * The schedule as a pure function of a (fake) instant: window edges, windows past midnight, the
 * price and ambient rules, and Europe/Berlin's daylight-saving changes in 2026 (clocks forward at
 * 01:00 UTC on 29 March, 02:00 CET → 03:00 CEST; back at 01:00 UTC on 25 October, 03:00 CEST →
 * 02:00 CET), including windows on the skipped and the repeated hour.
 */
import { describe, expect, it } from 'vitest';
import { scheduleSchema, type ScheduleInput } from '@shared/contract';
import { ambientDecision, describeChanges, nextScheduleChanges, scheduleDecision } from '../../../src-main/schedule/schedule-plan.js';
import { localTime, zonedInstant } from '../../../src-main/schedule/zoned-time.js';

const SEC = 1000;
const utc = (iso: string): number => Date.parse(`${iso}Z`);
const berlin = (input: Omit<ScheduleInput, 'timeZone'>) => scheduleSchema.parse({ timeZone: 'Europe/Berlin', ...input });
const ALL = { id: 'b0', serial: null };
const at = (s: ReturnType<typeof berlin>, iso: string) => scheduleDecision(s, ALL, utc(iso)).action;

describe('zoned time (Europe/Berlin, 2026)', () => {
  it('maps local times to instants across both changes', () => {
    expect(zonedInstant({ year: 2026, month: 1, day: 5 }, 17 * 60, 'Europe/Berlin')).toBe(utc('2026-01-05T16:00:00'));
    expect(zonedInstant({ year: 2026, month: 7, day: 6 }, 17 * 60, 'Europe/Berlin')).toBe(utc('2026-07-06T15:00:00'));
    // 02:30 does not exist on 29 March: it means the moment the clocks jump (01:00 UTC).
    expect(zonedInstant({ year: 2026, month: 3, day: 29 }, 2 * 60 + 30, 'Europe/Berlin')).toBe(utc('2026-03-29T01:00:00'));
    expect(zonedInstant({ year: 2026, month: 3, day: 29 }, 3 * 60, 'Europe/Berlin')).toBe(utc('2026-03-29T01:00:00'));
    // 02:30 happens twice on 25 October: the first time (CEST, 00:30 UTC).
    expect(zonedInstant({ year: 2026, month: 10, day: 25 }, 2 * 60 + 30, 'Europe/Berlin')).toBe(utc('2026-10-25T00:30:00'));
    expect(zonedInstant({ year: 2026, month: 10, day: 25 }, 3 * 60, 'Europe/Berlin')).toBe(utc('2026-10-25T02:00:00'));
    // 24:00 is the next midnight.
    expect(zonedInstant({ year: 2026, month: 10, day: 24 }, 1440, 'Europe/Berlin')).toBe(utc('2026-10-24T22:00:00'));
    expect(localTime(utc('2026-10-25T01:30:00'), 'Europe/Berlin')).toMatchObject({ day: 25, minutes: 150, weekday: 6 });
  });
});

describe('schedule decisions', () => {
  const evenings = berlin({ windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '17:00', end: '21:00', action: 'pause' }] });

  it('pauses exactly at the window edges (start included, end excluded)', () => {
    // Monday 5 January 2026 (CET, UTC+1).
    expect(at(evenings, '2026-01-05T15:59:59')).toBe('mine');
    expect(at(evenings, '2026-01-05T16:00:00')).toBe('pause');
    expect(at(evenings, '2026-01-05T19:59:59')).toBe('pause');
    expect(at(evenings, '2026-01-05T20:00:00')).toBe('mine');
    // Not on a Saturday.
    expect(at(evenings, '2026-01-10T17:00:00')).toBe('mine');
    const now = utc('2026-01-05T11:00:00');
    const changes = nextScheduleChanges(evenings, ALL, now);
    expect(changes.map((c) => [c.atMs, c.action])).toEqual([
      [utc('2026-01-05T16:00:00'), 'pause'],
      [utc('2026-01-05T20:00:00'), 'mine'],
    ]);
    expect(describeChanges(evenings, scheduleDecision(evenings, ALL, now), changes, now)).toBe('pauses at 17:00, resumes at 21:00');
    expect(scheduleDecision(evenings, ALL, utc('2026-01-05T16:30:00')).reason).toBe('window Mon–Fri 17:00–21:00');
  });

  it('a window that runs past midnight belongs to the day it starts on', () => {
    const nights = berlin({ otherwise: 'pause', windows: [{ days: ['fri'], start: '22:00', end: '06:00', action: 'mine' }] });
    // Friday 9 January 2026, 22:00 CET = 21:00 UTC.
    expect(at(nights, '2026-01-09T20:59:59')).toBe('pause');
    expect(at(nights, '2026-01-09T21:00:00')).toBe('mine');
    expect(at(nights, '2026-01-10T04:59:59')).toBe('mine'); // Saturday 05:59 local: still Friday's window
    expect(at(nights, '2026-01-10T05:00:00')).toBe('pause');
    expect(at(nights, '2026-01-10T22:00:00')).toBe('pause'); // Saturday night: no window
    const now = utc('2026-01-09T12:00:00');
    expect(describeChanges(nights, scheduleDecision(nights, ALL, now), nextScheduleChanges(nights, ALL, now), now)).toBe('resumes at 22:00, pauses at Sat 06:00');
  });

  it('later windows win where windows overlap; a whole day is 00:00–24:00', () => {
    const s = berlin({
      windows: [
        { days: ['sat', 'sun'], start: '00:00', end: '24:00', action: 'pause' },
        { days: ['sun'], start: '12:00', end: '14:00', action: 'profile', profile: 'eco' },
      ],
    });
    expect(at(s, '2026-01-10T00:00:00')).toBe('pause');
    expect(scheduleDecision(s, ALL, utc('2026-01-11T11:30:00'))).toMatchObject({ action: 'mine', profile: 'eco' });
    expect(at(s, '2026-01-11T13:00:00')).toBe('pause');
    expect(at(s, '2026-01-11T23:00:00')).toBe('mine'); // Monday 00:00 local
  });

  it('mines only while the window price is under the limit', () => {
    const tariff = berlin({
      priceLimit: 0.25,
      windows: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '06:00', action: 'mine', price: 0.12 },
        { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '06:00', end: '24:00', action: 'mine', price: 0.35 },
      ],
    });
    expect(at(tariff, '2026-01-05T04:59:00')).toBe('mine');
    const day = scheduleDecision(tariff, ALL, utc('2026-01-05T05:00:00'));
    expect(day.action).toBe('pause');
    expect(day.reason).toBe('price 0.35 is not under the limit 0.25 (window every day 06:00–24:00)');
    // Without a limit the prices change nothing.
    expect(at({ ...tariff, priceLimit: null }, '2026-01-05T12:00:00')).toBe('mine');
  });

  it('windows for some boards, by id or serial; the rig-wide view shows only windows for every board', () => {
    const s = berlin({ windows: [{ days: ['mon'], start: '10:00', end: '11:00', action: 'pause', boards: ['SERIAL-7'] }] });
    const t = utc('2026-01-05T09:30:00');
    expect(scheduleDecision(s, { id: 'b1', serial: 'SERIAL-7' }, t).action).toBe('pause');
    expect(scheduleDecision(s, { id: 'b2', serial: 'OTHER' }, t).action).toBe('mine');
    expect(scheduleDecision(s, null, t).action).toBe('mine');
  });

  it('a disabled schedule always mines and announces nothing', () => {
    const off = { ...evenings, enabled: false };
    expect(at(off, '2026-01-05T17:00:00')).toBe('mine');
    expect(nextScheduleChanges(off, ALL, utc('2026-01-05T11:00:00'))).toEqual([]);
  });

  it('pauses above an ambient temperature and resumes only once it is the hysteresis below', () => {
    const s = berlin({ pauseAboveAmbientC: 30, ambientHysteresisC: 2 });
    expect(ambientDecision(s, 29.9, false).pause).toBe(false);
    expect(ambientDecision(s, 30.5, false)).toEqual({ pause: true, reason: 'ambient 30.5 °C is above 30 °C' });
    expect(ambientDecision(s, 28.5, true).pause).toBe(true);
    expect(ambientDecision(s, 27.9, true).pause).toBe(false);
    // A board that reports no ambient temperature is never paused by the rule.
    expect(ambientDecision(s, null, false).pause).toBe(false);
  });
});

describe('schedule across the daylight-saving changes (Europe/Berlin, 2026)', () => {
  it('spring forward: wall-clock times hold on both sides of the change', () => {
    const evenings = berlin({ windows: [{ days: ['sat', 'sun'], start: '17:00', end: '21:00', action: 'pause' }] });
    const changes = nextScheduleChanges(evenings, ALL, utc('2026-03-28T12:00:00'), 4);
    expect(changes.map((c) => [new Date(c.atMs).toISOString(), c.action])).toEqual([
      ['2026-03-28T16:00:00.000Z', 'pause'], // Saturday 17:00 CET
      ['2026-03-28T20:00:00.000Z', 'mine'],
      ['2026-03-29T15:00:00.000Z', 'pause'], // Sunday 17:00 CEST
      ['2026-03-29T19:00:00.000Z', 'mine'],
    ]);
  });

  it('spring forward: a window across the jump is an hour shorter; its edges are where the wall clock says', () => {
    const early = berlin({ windows: [{ days: ['sun'], start: '01:00', end: '05:00', action: 'pause' }] });
    expect(at(early, '2026-03-28T23:59:59')).toBe('mine');
    expect(at(early, '2026-03-29T00:00:00')).toBe('pause'); // 01:00 CET
    expect(at(early, '2026-03-29T02:59:59')).toBe('pause'); // 04:59:59 CEST
    expect(at(early, '2026-03-29T03:00:00')).toBe('mine'); // 05:00 CEST: three real hours
  });

  it('spring forward: a window that starts in the skipped hour starts when the clocks jump', () => {
    const s = berlin({ windows: [{ days: ['sun'], start: '02:30', end: '04:00', action: 'pause' }] });
    expect(at(s, '2026-03-29T00:59:59')).toBe('mine'); // 01:59:59 CET
    expect(at(s, '2026-03-29T01:00:00')).toBe('pause'); // the jump: 03:00 CEST
    expect(at(s, '2026-03-29T01:59:59')).toBe('pause');
    expect(at(s, '2026-03-29T02:00:00')).toBe('mine'); // 04:00 CEST
    const changes = nextScheduleChanges(s, ALL, utc('2026-03-28T22:00:00'));
    expect(changes.map((c) => c.atMs)).toEqual([utc('2026-03-29T01:00:00'), utc('2026-03-29T02:00:00')]);
    // A week later the same window is 90 minutes long again.
    expect(at(s, '2026-04-05T00:30:00')).toBe('pause'); // 02:30 CEST
    expect(at(s, '2026-04-05T01:59:59')).toBe('pause');
    expect(at(s, '2026-04-05T02:00:00')).toBe('mine');
  });

  it('spring forward: a window wholly inside the skipped hour does not happen that day', () => {
    const s = berlin({ windows: [{ days: ['sun'], start: '02:00', end: '02:45', action: 'pause' }] });
    for (const iso of ['2026-03-29T00:59:59', '2026-03-29T01:00:00', '2026-03-29T01:30:00']) expect(at(s, iso)).toBe('mine');
    const changes = nextScheduleChanges(s, ALL, utc('2026-03-28T22:00:00'));
    // The next pause is a week later (02:00 CEST on 5 April).
    expect(changes[0]!.atMs).toBe(utc('2026-04-05T00:00:00'));
  });

  it('fall back: a window starting in the repeated hour starts once, at its first occurrence, and does not restart', () => {
    const s = berlin({ windows: [{ days: ['sun'], start: '02:30', end: '05:00', action: 'pause' }] });
    expect(at(s, '2026-10-25T00:29:59')).toBe('mine'); // 02:29:59 CEST
    expect(at(s, '2026-10-25T00:30:00')).toBe('pause'); // 02:30 CEST (first)
    expect(at(s, '2026-10-25T01:00:00')).toBe('pause'); // 02:00 CET (repeated hour)
    expect(at(s, '2026-10-25T01:30:00')).toBe('pause'); // 02:30 CET (second): still the same pause
    expect(at(s, '2026-10-25T03:59:59')).toBe('pause');
    expect(at(s, '2026-10-25T04:00:00')).toBe('mine'); // 05:00 CET: four and a half real hours
    const changes = nextScheduleChanges(s, ALL, utc('2026-10-24T20:00:00'), 3);
    expect(changes.slice(0, 2).map((c) => [c.atMs, c.action])).toEqual([
      [utc('2026-10-25T00:30:00'), 'pause'],
      [utc('2026-10-25T04:00:00'), 'mine'],
    ]);
    // Nothing in between: the repeated 02:30 is no edge.
    expect(changes[2]!.atMs).toBeGreaterThan(utc('2026-10-26T00:00:00'));
  });

  it('fall back: a night window ending in the repeated hour ends at its first occurrence', () => {
    const s = berlin({ otherwise: 'pause', windows: [{ days: ['sat'], start: '22:00', end: '02:30', action: 'mine' }] });
    expect(at(s, '2026-10-24T19:59:59')).toBe('pause'); // 21:59:59 CEST
    expect(at(s, '2026-10-24T20:00:00')).toBe('mine');
    expect(at(s, '2026-10-25T00:29:59')).toBe('mine');
    expect(at(s, '2026-10-25T00:30:00')).toBe('pause');
    expect(at(s, '2026-10-25T01:30:00')).toBe('pause'); // the second 02:30 does not bring it back
  });

  it('fall back: evening windows keep their wall-clock times after the change', () => {
    const evenings = berlin({ windows: [{ days: ['sat', 'sun'], start: '17:00', end: '21:00', action: 'pause' }] });
    const changes = nextScheduleChanges(evenings, ALL, utc('2026-10-24T12:00:00'), 4);
    expect(changes.map((c) => new Date(c.atMs).toISOString())).toEqual([
      '2026-10-24T15:00:00.000Z', // Saturday 17:00 CEST
      '2026-10-24T19:00:00.000Z',
      '2026-10-25T16:00:00.000Z', // Sunday 17:00 CET
      '2026-10-25T20:00:00.000Z',
    ]);
    expect(describeChanges(evenings, scheduleDecision(evenings, ALL, utc('2026-10-25T12:00:00')), changes.slice(2), utc('2026-10-25T12:00:00'))).toBe('pauses at 17:00, resumes at 21:00');
  });
});

describe('schedule settings', () => {
  it('refuses a window without length, a profile window without a profile and an unknown zone, each with a sentence', () => {
    const bad = scheduleSchema.safeParse({
      timeZone: 'Mars/Olympus',
      windows: [
        { days: ['mon'], start: '10:00', end: '10:00', action: 'pause' },
        { days: ['tue'], start: '08:00', end: '09:00', action: 'profile' },
      ],
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'timeZone: is not a time zone this system knows (use an IANA name such as Europe/Berlin)',
        'windows.0.end: a window needs an end different from its start (00:00 to 24:00 for a whole day)',
        'windows.1.profile: a profile window needs a profile (eco, balanced or max)',
      ]),
    );
    expect(scheduleSchema.safeParse({ windows: [{ days: ['mon'], start: '25:00', end: '26:00', action: 'pause' }] }).success).toBe(false);
    expect(scheduleSchema.parse({})).toEqual({ enabled: true, timeZone: null, otherwise: 'mine', windows: [], priceLimit: null, pauseAboveAmbientC: null, ambientHysteresisC: 2 });
  });

  it('a fake clock that steps second by second over the spring change sees each edge exactly once', () => {
    const s = berlin({ windows: [{ days: ['sun'], start: '01:30', end: '03:30', action: 'pause' }] });
    let previous = at(s, '2026-03-28T23:00:00');
    const edges: string[] = [];
    for (let t = utc('2026-03-28T23:00:00'); t <= utc('2026-03-29T03:00:00'); t += 10 * SEC) {
      const now = scheduleDecision(s, ALL, t).action;
      if (now !== previous) edges.push(`${new Date(t).toISOString()} ${now}`);
      previous = now;
    }
    // 01:30 CET = 00:30 UTC; 03:30 CEST = 01:30 UTC (the window is 1 h long that night).
    expect(edges).toEqual(['2026-03-29T00:30:00.000Z pause', '2026-03-29T01:30:00.000Z mine']);
  });
});
