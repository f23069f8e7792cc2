/**
 * The renderer's pure parts for pause, schedule and tuning: the schedule form and its checks (the
 * engine's schema, sentences per field), the manual setting checks, the steps of a tuning run from
 * its events, the tuning store, the write-access flag from the ready message, and paused time in
 * a History reply.
 */
import { describe, expect, it } from 'vitest';
import { scheduleSchema, type TuneProgress, type TuneRow } from '@shared/contract';
import { bm1366 } from '../../../src-main/chips/bm1366.js';
import { buildSchedule, formFromSchedule, newWindow } from '../../../src-renderer/src/lib/schedule-form.js';
import { normaliseHistory } from '../../../src-renderer/src/lib/history.js';
import { applyMessage, initialState } from '../../../src-renderer/src/state/store.js';
import { checkManual, measuringNow, stepsOf } from '../../../src-renderer/src/pages/tuning/tuning-figures.js';
import { reduceTune, type BoardTuneView } from '../../../src-renderer/src/pages/tuning/tuning-store.js';

const row = (frequencyMhz: number, coreVoltageMv: number, withinLimits = true): TuneRow => ({
  frequencyMhz,
  coreVoltageMv,
  hashrateHs: frequencyMhz * 894e6,
  powerW: 10,
  jPerTh: 25,
  asicTempMaxC: 60,
  vrTempMaxC: 50,
  hwErrorFraction: withinLimits ? 0 : 0.2,
  validNonces: 100,
  hwErrors: withinLimits ? 0 : 20,
  durationMs: 2000,
  withinLimits,
  limit: withinLimits ? null : 'too many errors',
  modelled: true,
});

describe('schedule form', () => {
  it('builds what the engine accepts: days in week order, prices with a comma, boards split, empty fields left out', () => {
    const form = formFromSchedule(null);
    form.timeZone = 'Europe/Berlin';
    form.priceLimit = '0,25';
    form.windows = [{ ...newWindow(), days: ['sun', 'mon'], start: '22:00', end: '06:00', action: 'profile', profile: 'max', price: '0,12', boards: 'emu0, SERIAL-1' }];
    const { errors, schedule } = buildSchedule(form);
    expect(errors).toEqual({});
    expect(schedule).toEqual({
      enabled: true,
      timeZone: 'Europe/Berlin',
      otherwise: 'mine',
      priceLimit: 0.25,
      pauseAboveAmbientC: null,
      ambientHysteresisC: 2,
      windows: [{ days: ['mon', 'sun'], start: '22:00', end: '06:00', action: 'profile', profile: 'max', price: 0.12, boards: ['emu0', 'SERIAL-1'] }],
    });
    // And back: the form shows what was saved.
    expect(formFromSchedule(scheduleSchema.parse(schedule)).windows[0]).toMatchObject({ price: '0.12', boards: 'emu0, SERIAL-1', profile: 'max' });
  });

  it('says what is wrong under each field and sends nothing', () => {
    const form = formFromSchedule(null);
    form.timeZone = 'Mars/Base';
    form.pauseAboveAmbientC = 'hot';
    form.windows = [{ ...newWindow(), days: [], start: '7:00', end: '7:00' }];
    const { errors, schedule } = buildSchedule(form);
    expect(schedule).toBeNull();
    expect(errors).toMatchObject({
      timeZone: 'is not a time zone this system knows (use an IANA name such as Europe/Berlin).',
      pauseAboveAmbientC: 'The ambient limit must be a number.',
      'windows.0.days': 'a window needs at least one day.',
      'windows.0.start': 'must be a time of day HH:MM (00:00 to 24:00).',
    });
  });
});

describe('tuning page figures', () => {
  it('checks a setting by hand against the chip range in one sentence per field', () => {
    expect(checkManual({ frequencyMhz: '700', coreVoltageMv: '1450' }, bm1366.limits, true, 'bm1366').errors).toEqual({
      frequencyMhz: "700 MHz is outside the BM1366's range of 300–575 MHz.",
      coreVoltageMv: "1450 mV is outside the BM1366's core-voltage range of 1000–1300 mV.",
    });
    expect(checkManual({ frequencyMhz: '', coreVoltageMv: '1200' }, bm1366.limits, false, 'bm1366').errors).toEqual({ coreVoltageMv: 'This board has no core regulator the host can set.' });
    expect(checkManual({ frequencyMhz: '', coreVoltageMv: '' }, bm1366.limits, true, 'bm1366').errors).toEqual({ form: 'Enter a frequency, a core voltage, or both.' });
    expect(checkManual({ frequencyMhz: '450', coreVoltageMv: '1150' }, bm1366.limits, true, 'bm1366')).toEqual({ errors: {}, command: { frequencyMhz: 450, coreVoltageMv: 1150 } });
  });

  it('turns the events of a run into steps and a live view', () => {
    const events: TuneProgress[] = [
      {
        type: 'started',
        atMs: 1,
        profile: 'eco',
        limits: { maxAsicTempC: 65, maxVrTempC: 85, maxPowerW: 25, maxHwErrorFraction: 0.01, minFrequencyMhz: 300, maxFrequencyMhz: 575, minCoreVoltageMv: 1000, maxCoreVoltageMv: 1300 },
        modelled: true,
        from: { frequencyMhz: 485, coreVoltageMv: 1200 },
      },
      { type: 'measuring', atMs: 2, index: 0, point: { frequencyMhz: 485, coreVoltageMv: 1200 }, baseline: true },
      { type: 'step', atMs: 3, index: 0, row: row(485, 1200), baseline: true },
      { type: 'measuring', atMs: 4, index: 1, point: { frequencyMhz: 300, coreVoltageMv: 1000 }, baseline: false },
      { type: 'limit', atMs: 5, index: 1, row: row(300, 1000, false), text: 'too many errors', restored: { frequencyMhz: 485, coreVoltageMv: 1200 } },
      { type: 'measuring', atMs: 6, index: 2, point: { frequencyMhz: 300, coreVoltageMv: 1100 }, baseline: false },
    ];
    expect(stepsOf(events).map((s) => [s.index, s.baseline, s.broken])).toEqual([
      [0, true, false],
      [1, false, true],
    ]);
    expect(measuringNow(events)).toEqual({ index: 2, point: { frequencyMhz: 300, coreVoltageMv: 1100 }, baseline: false });
    let view: BoardTuneView = { events: [], running: false, result: null, message: null };
    for (const e of events) view = reduceTune(view, e);
    expect(view.running).toBe(true);
    view = reduceTune(view, { type: 'stopped', atMs: 7, text: 'Tuning stopped; back at 485 MHz / 1200 mV.', restored: { frequencyMhz: 485, coreVoltageMv: 1200 } });
    expect(view).toMatchObject({ running: false, message: { tone: 'idle', text: 'Tuning stopped; back at 485 MHz / 1200 mV.' } });
  });
});

describe('write access and paused history', () => {
  it('takes write access from the ready message; unknown means the desktop window', () => {
    expect(applyMessage(initialState, { kind: 'ready', version: '1', writes: false })).toEqual({ engineVersion: '1', writes: false });
    expect(applyMessage(initialState, { kind: 'ready', version: '1' })).toEqual({ engineVersion: '1', writes: null });
  });

  it('keeps the paused share of each History point; a paused point has no hashrate', () => {
    const h = normaliseHistory({
      points: [
        { atMs: 0, hashrateHs: 5e11, powerW: 12, asicTempC: 60, paused: false, pausedFraction: 0 },
        { atMs: 5000, hashrateHs: null, powerW: 1.5, asicTempC: 30, paused: true, pausedFraction: 1 },
        { atMs: 10_000, hashrateHs: 5e11, powerW: 8, asicTempC: 45, paused: false, pausedFraction: 0.4 },
      ],
    });
    expect(h.hashrateHs).toEqual([5e11, null, 5e11]);
    expect(h.pausedFraction).toEqual([0, 1, 0.4]);
    // Older engines send no paused figures: none is invented.
    expect(normaliseHistory({ points: [{ atMs: 0, hashrateHs: 1 }] }).pausedFraction).toBeUndefined();
  });
});
