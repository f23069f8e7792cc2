/**
 * The schedule editor's form and its check: text fields in, a schedule the engine accepts out
 * (checked with the same schema the engine uses), or one sentence per field that is wrong.
 */
import { scheduleSchema, WEEKDAYS, type Schedule, type ScheduleInput, type TuneProfile, type Weekday } from '@shared/contract';

export interface WindowForm {
  days: Weekday[];
  start: string;
  end: string;
  action: 'mine' | 'pause' | 'profile';
  profile: TuneProfile;
  price: string;
  /** Board ids or serials, comma-separated; empty = every board. */
  boards: string;
}

export interface ScheduleForm {
  enabled: boolean;
  /** Empty: the system's zone. */
  timeZone: string;
  otherwise: 'mine' | 'pause';
  priceLimit: string;
  pauseAboveAmbientC: string;
  ambientHysteresisC: string;
  windows: WindowForm[];
}

export const WEEKDAY_LABEL: Readonly<Record<Weekday, string>> = { mon: 'Mo', tue: 'Tu', wed: 'We', thu: 'Th', fri: 'Fr', sat: 'Sa', sun: 'Su' };

export function newWindow(): WindowForm {
  return { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '17:00', end: '21:00', action: 'pause', profile: 'eco', price: '', boards: '' };
}

export function formFromSchedule(s: Schedule | null): ScheduleForm {
  if (!s) return { enabled: true, timeZone: '', otherwise: 'mine', priceLimit: '', pauseAboveAmbientC: '', ambientHysteresisC: '2', windows: [] };
  return {
    enabled: s.enabled,
    timeZone: s.timeZone ?? '',
    otherwise: s.otherwise,
    priceLimit: s.priceLimit === null ? '' : String(s.priceLimit),
    pauseAboveAmbientC: s.pauseAboveAmbientC === null ? '' : String(s.pauseAboveAmbientC),
    ambientHysteresisC: String(s.ambientHysteresisC),
    windows: s.windows.map((w) => ({
      days: [...w.days],
      start: w.start,
      end: w.end,
      action: w.action,
      profile: w.profile ?? 'eco',
      price: w.price === undefined ? '' : String(w.price),
      boards: (w.boards ?? []).join(', '),
    })),
  };
}

/** A number field: empty → undefined, else the number or the sentence to show. */
function numberField(text: string, what: string): { value?: number; error?: string } {
  const t = text.trim().replace(',', '.');
  if (t === '') return {};
  const n = Number(t);
  return Number.isFinite(n) ? { value: n } : { error: `${what} must be a number.` };
}

export function buildSchedule(form: ScheduleForm): { errors: Record<string, string>; schedule: ScheduleInput | null } {
  const errors: Record<string, string> = {};
  const num = (key: string, text: string, what: string): number | undefined => {
    const r = numberField(text, what);
    if (r.error) errors[key] = r.error;
    return r.value;
  };
  const input: ScheduleInput = {
    enabled: form.enabled,
    timeZone: form.timeZone.trim() === '' ? null : form.timeZone.trim(),
    otherwise: form.otherwise,
    priceLimit: num('priceLimit', form.priceLimit, 'The price limit') ?? null,
    pauseAboveAmbientC: num('pauseAboveAmbientC', form.pauseAboveAmbientC, 'The ambient limit') ?? null,
    ambientHysteresisC: num('ambientHysteresisC', form.ambientHysteresisC, 'The hysteresis') ?? 2,
    windows: form.windows.map((w, i) => {
      const price = num(`windows.${i}.price`, w.price, 'The price');
      const boards = w.boards
        .split(',')
        .map((b) => b.trim())
        .filter((b) => b !== '');
      return {
        days: WEEKDAYS.filter((d) => w.days.includes(d)),
        start: w.start.trim(),
        end: w.end.trim(),
        action: w.action,
        ...(w.action === 'profile' ? { profile: w.profile } : {}),
        ...(price !== undefined ? { price } : {}),
        ...(boards.length > 0 ? { boards } : {}),
      };
    }),
  };
  const parsed = scheduleSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.') || 'schedule';
      // Shown under the field it belongs to, in the schema's (the engine's) words.
      errors[key] ??= `${issue.message}.`;
    }
  }
  return { errors, schedule: Object.keys(errors).length === 0 ? input : null };
}

/** IANA zones the browser knows, for the time-zone field's suggestions. */
export function knownTimeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}
