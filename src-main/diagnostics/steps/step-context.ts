/** What every diagnostics step receives, and the helper that shapes its result. */
import type { BoardUnderTest } from '../board-under-test.js';
import type { DiagnosticsOptions } from '../options.js';
import { STEP_TITLES, type StepName, type StepResult, type StepStatus } from '@shared/diagnostics-report.js';

export interface StepContext {
  board: BoardUnderTest;
  options: DiagnosticsOptions;
  progress(fraction: number, text: string): void;
}

export type StepOutcome = Omit<StepResult, 'name' | 'title' | 'durationMs'>;

export function outcome(status: StepStatus, detail: string, figures: StepResult['figures'] = {}): StepOutcome {
  return { status, detail, figures };
}

export function stepTitle(name: StepName): string {
  return STEP_TITLES[name];
}
