/**
 * Running boards when it pays: pause and resume, the schedule (time windows, a price rule, an
 * ambient-temperature rule), tuning profiles from a tuning run, and frequency and core voltage set
 * by hand. The schemas both sides share: commands, the 'tune' event, snapshot figures, settings.
 */
import { z } from 'zod';

// ── chip operating range ─────────────────────────────────────────────────────────────────────

/** A chip model's frequency and core-voltage range (the chip drivers hold the values). */
export const chipLimitsSchema = z.object({
  minFrequencyMhz: z.number(),
  maxFrequencyMhz: z.number(),
  defaultFrequencyMhz: z.number(),
  minCoreVoltageMv: z.number(),
  maxCoreVoltageMv: z.number(),
  defaultCoreVoltageMv: z.number(),
});
export type ChipLimits = z.infer<typeof chipLimitsSchema>;

// ── tuning ───────────────────────────────────────────────────────────────────────────────────

export const TUNE_PROFILES = ['eco', 'balanced', 'max'] as const;
export const tuneProfileSchema = z.enum(TUNE_PROFILES);
export type TuneProfile = z.infer<typeof tuneProfileSchema>;

/** Where a board's frequency and core voltage come from. */
export const operatingSourceSchema = z.enum(['default', 'options', 'eco', 'balanced', 'max', 'manual', 'tuning']);
export type OperatingSource = z.infer<typeof operatingSourceSchema>;

export const operatingPointSchema = z.object({
  frequencyMhz: z.number(),
  /** Null when the board's core voltage is not set from the host. */
  coreVoltageMv: z.number().nullable(),
});
export type OperatingPoint = z.infer<typeof operatingPointSchema>;

/** The limits a tuning run and a tuned board stay inside. */
export const tuneLimitsSchema = z.object({
  maxAsicTempC: z.number(),
  maxVrTempC: z.number(),
  maxPowerW: z.number(),
  /** Hardware errors / judged nonces. */
  maxHwErrorFraction: z.number(),
  minFrequencyMhz: z.number(),
  maxFrequencyMhz: z.number(),
  minCoreVoltageMv: z.number(),
  maxCoreVoltageMv: z.number(),
});
export type TuneLimits = z.infer<typeof tuneLimitsSchema>;

/** One measured step of a tuning run. */
export const tuneRowSchema = z.object({
  frequencyMhz: z.number(),
  coreVoltageMv: z.number().nullable(),
  /** Measured from nonces; on an emulated board modelled (rated hashrate × the share of good nonces). */
  hashrateHs: z.number(),
  powerW: z.number().nullable(),
  jPerTh: z.number().nullable(),
  asicTempMaxC: z.number().nullable(),
  vrTempMaxC: z.number().nullable(),
  hwErrorFraction: z.number(),
  validNonces: z.number(),
  hwErrors: z.number(),
  durationMs: z.number(),
  /** False when a limit broke during the step (the step was undone). */
  withinLimits: z.boolean(),
  /** The limit that broke, as a sentence. */
  limit: z.string().nullable(),
  /** Figures from the emulator's model, not from silicon. */
  modelled: z.boolean(),
});
export type TuneRow = z.infer<typeof tuneRowSchema>;

export const tuneResultSchema = z.object({
  /** The board's stable identity (USB serial number, or a synthetic one for an emulator). */
  serial: z.string(),
  model: z.string(),
  boardName: z.string(),
  finishedAtMs: z.number(),
  modelled: z.boolean(),
  limits: tuneLimitsSchema,
  /** The setting the board ran at before the run, measured first. */
  baseline: tuneRowSchema.nullable(),
  rows: z.array(tuneRowSchema),
  profiles: z.object({ eco: tuneRowSchema.nullable(), balanced: tuneRowSchema.nullable(), max: tuneRowSchema.nullable() }),
  /** What is applied now and re-applied when the board is plugged in again. */
  applied: z.object({ source: operatingSourceSchema, frequencyMhz: z.number(), coreVoltageMv: z.number().nullable() }).nullable(),
});
export type TuneResult = z.infer<typeof tuneResultSchema>;

/** `startTune` options: the profile to apply at the end, limits (defaults per model), and the step plan. */
export const tuneOptionsSchema = z
  .object({
    profile: tuneProfileSchema.default('balanced'),
    maxAsicTempC: z.number().min(30).max(90).optional(),
    maxVrTempC: z.number().min(30).max(120).optional(),
    maxPowerW: z.number().positive().max(2000).optional(),
    maxHwErrorPercent: z.number().min(0).max(20).optional(),
    /** Seconds each step is measured (after a settle period). */
    stepS: z.number().min(0.5).max(900).optional(),
    settleS: z.number().min(0).max(300).optional(),
    frequencyStepMhz: z.number().min(5).max(100).optional(),
    voltageStepMv: z.number().min(5).max(200).optional(),
  })
  .strict();
export type TuneOptions = z.input<typeof tuneOptionsSchema>;

export const tuneProgressSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), atMs: z.number(), profile: tuneProfileSchema, limits: tuneLimitsSchema, modelled: z.boolean(), from: operatingPointSchema }),
  z.object({ type: z.literal('measuring'), atMs: z.number(), index: z.number(), point: operatingPointSchema, baseline: z.boolean() }),
  z.object({ type: z.literal('step'), atMs: z.number(), index: z.number(), row: tuneRowSchema, baseline: z.boolean() }),
  /** A step broke a limit: it was undone at once (`restored`). */
  z.object({ type: z.literal('limit'), atMs: z.number(), index: z.number(), row: tuneRowSchema, text: z.string(), restored: operatingPointSchema }),
  z.object({ type: z.literal('done'), atMs: z.number(), result: tuneResultSchema, chosen: tuneProfileSchema, applied: operatingPointSchema.nullable(), text: z.string() }),
  /** A tuned board broke a limit later (a failing fan): it stepped back to a lower setting. */
  z.object({ type: z.literal('stepped-back'), atMs: z.number(), text: z.string(), from: operatingPointSchema, to: operatingPointSchema.nullable() }),
  z.object({ type: z.literal('stopped'), atMs: z.number(), text: z.string(), restored: operatingPointSchema.nullable() }),
  z.object({ type: z.literal('error'), atMs: z.number(), text: z.string() }),
]);
export type TuneProgress = z.infer<typeof tuneProgressSchema>;

/** A board's tuning run in the snapshot. */
export const tuningStatusSchema = z.object({
  running: z.boolean(),
  profile: tuneProfileSchema,
  steps: z.number(),
  startedAtMs: z.number(),
});

// ── schedule ─────────────────────────────────────────────────────────────────────────────────

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const weekdaySchema = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof weekdaySchema>;

/** Wall-clock time of day, 00:00 to 24:00 (24:00 only as an end). */
export const clockTimeSchema = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time of day HH:MM (00:00 to 24:00)');

export const scheduleActionSchema = z.enum(['mine', 'pause', 'profile']);
export type ScheduleAction = z.infer<typeof scheduleActionSchema>;

/** True where the runtime knows the IANA zone (Intl, in Node and browsers alike). */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A window of wall-clock time on some weekdays. An end at or before the start runs past midnight
 * into the next day; a time in the hour a daylight-saving change repeats means its first
 * occurrence, and one in the hour it skips takes effect when the clocks jump.
 */
export const scheduleWindowSchema = z
  .object({
    days: z.array(weekdaySchema).min(1, 'a window needs at least one day').max(7),
    start: clockTimeSchema,
    end: clockTimeSchema,
    action: scheduleActionSchema,
    profile: tuneProfileSchema.optional(),
    /** The price of electricity the user enters for this window (any currency per kWh). */
    price: z.number().min(0).max(1e6).optional(),
    /** Board ids or serials the window is for (all boards when absent). */
    boards: z.array(z.string().min(1)).max(64).optional(),
  })
  .strict()
  .superRefine((w, ctx) => {
    if (w.start === '24:00') ctx.addIssue({ code: 'custom', path: ['start'], message: 'a window cannot start at 24:00 (use 00:00)' });
    if (w.start === w.end) ctx.addIssue({ code: 'custom', path: ['end'], message: 'a window needs an end different from its start (00:00 to 24:00 for a whole day)' });
    if (w.action === 'profile' && !w.profile) ctx.addIssue({ code: 'custom', path: ['profile'], message: 'a profile window needs a profile (eco, balanced or max)' });
  });
export type ScheduleWindow = z.infer<typeof scheduleWindowSchema>;

export const scheduleSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** IANA time zone the windows are in; null = the system's. */
    timeZone: z
      .string()
      .refine((zone) => isValidTimeZone(zone), 'is not a time zone this system knows (use an IANA name such as Europe/Berlin)')
      .nullable()
      .default(null),
    /** What boards do outside every window. */
    otherwise: z.enum(['mine', 'pause']).default('mine'),
    /** Later windows win where windows overlap. */
    windows: z.array(scheduleWindowSchema).max(100).default([]),
    /** Mine only while a window's price is under this limit (windows without a price are not affected). */
    priceLimit: z.number().min(0).max(1e6).nullable().default(null),
    /** Pause a board whose ambient temperature is above this (boards that report one). */
    pauseAboveAmbientC: z.number().min(-40).max(80).nullable().default(null),
    /** Resume once the ambient is this far below the limit again. */
    ambientHysteresisC: z.number().min(0).max(20).default(2),
  })
  .strict();
export type Schedule = z.infer<typeof scheduleSchema>;
export type ScheduleInput = z.input<typeof scheduleSchema>;

/** What the schedule wants a board to do now, and its next change. */
export const boardScheduleStatusSchema = z.object({
  action: z.enum(['mine', 'pause']),
  profile: tuneProfileSchema.nullable(),
  reason: z.string(),
  nextAtMs: z.number().nullable(),
  nextAction: z.enum(['mine', 'pause']).nullable(),
  nextProfile: tuneProfileSchema.nullable(),
  /** "pauses at 17:00" (the next change, in the schedule's zone). */
  text: z.string(),
});
export type BoardScheduleStatus = z.infer<typeof boardScheduleStatusSchema>;

export const scheduleStatusSchema = z.object({
  enabled: z.boolean(),
  timeZone: z.string(),
  /** "pauses at 17:00, resumes at 21:00" (times in the schedule's zone). */
  text: z.string(),
  next: z.array(z.object({ atMs: z.number(), action: z.enum(['mine', 'pause']), profile: tuneProfileSchema.nullable(), boardIds: z.array(z.string()) })),
});
export type ScheduleStatus = z.infer<typeof scheduleStatusSchema>;

/** A board's operating point in the snapshot, with where it came from and the model's range. */
export const boardOperatingSchema = z.object({
  frequencyMhz: z.number(),
  coreVoltageMv: z.number().nullable(),
  /** The core voltage can be changed from the host (a regulator on a control port). */
  voltageSettable: z.boolean(),
  source: operatingSourceSchema,
  limits: chipLimitsSchema,
});
export type BoardOperating = z.infer<typeof boardOperatingSchema>;
