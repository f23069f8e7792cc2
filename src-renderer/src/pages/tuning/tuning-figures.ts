/**
 * What the Tuning page shows, from the 'tune' events and the board's range: the measured steps in
 * order, the step being measured, and the checks on a setting made by hand (the same ranges the
 * engine enforces; its answer is shown as well).
 */
import type { BoardSnapshot, ChipLimits, OperatingPoint, TuneProgress, TuneRow } from '@shared/contract';

export interface StepView {
  /** 1-based step number as the run counts it (the baseline is step 0). */
  index: number;
  row: TuneRow;
  baseline: boolean;
  /** The step broke a limit and was undone. */
  broken: boolean;
}

export function stepsOf(events: readonly TuneProgress[]): StepView[] {
  const steps: StepView[] = [];
  for (const e of events) {
    if (e.type === 'step') steps.push({ index: e.index, row: e.row, baseline: e.baseline, broken: false });
    if (e.type === 'limit') steps.push({ index: e.index, row: e.row, baseline: false, broken: true });
  }
  return steps;
}

/** The step being measured now, if any. */
export function measuringNow(events: readonly TuneProgress[]): { index: number; point: OperatingPoint; baseline: boolean } | null {
  const last = events[events.length - 1];
  return last?.type === 'measuring' ? { index: last.index, point: last.point, baseline: last.baseline } : null;
}

export function describePoint(p: { frequencyMhz: number; coreVoltageMv: number | null }): string {
  return `${p.frequencyMhz} MHz${p.coreVoltageMv === null ? '' : ` / ${p.coreVoltageMv} mV`}`;
}

export interface ManualForm {
  frequencyMhz: string;
  coreVoltageMv: string;
}

export interface ManualCheck {
  errors: { frequencyMhz?: string; coreVoltageMv?: string; form?: string };
  command: { frequencyMhz?: number; coreVoltageMv?: number } | null;
}

/** Checks a setting by hand against the chip's range; one sentence per field. */
export function checkManual(form: ManualForm, limits: ChipLimits, voltageSettable: boolean, model: BoardSnapshot['model']): ManualCheck {
  const errors: ManualCheck['errors'] = {};
  const out: { frequencyMhz?: number; coreVoltageMv?: number } = {};
  const name = model.toUpperCase();
  const f = form.frequencyMhz.trim();
  if (f !== '') {
    const n = Number(f);
    if (!Number.isFinite(n)) errors.frequencyMhz = 'Enter the frequency in MHz, e.g. 485.';
    else if (n < limits.minFrequencyMhz || n > limits.maxFrequencyMhz) errors.frequencyMhz = `${n} MHz is outside the ${name}'s range of ${limits.minFrequencyMhz}–${limits.maxFrequencyMhz} MHz.`;
    else out.frequencyMhz = n;
  }
  const v = form.coreVoltageMv.trim();
  if (v !== '') {
    const n = Number(v);
    if (!voltageSettable) errors.coreVoltageMv = 'This board has no core regulator the host can set.';
    else if (!Number.isInteger(n)) errors.coreVoltageMv = 'Enter the core voltage in whole mV, e.g. 1200.';
    else if (n < limits.minCoreVoltageMv || n > limits.maxCoreVoltageMv)
      errors.coreVoltageMv = `${n} mV is outside the ${name}'s core-voltage range of ${limits.minCoreVoltageMv}–${limits.maxCoreVoltageMv} mV.`;
    else out.coreVoltageMv = n;
  }
  if (f === '' && v === '') errors.form = 'Enter a frequency, a core voltage, or both.';
  const ok = Object.keys(errors).length === 0;
  return { errors, command: ok ? out : null };
}
