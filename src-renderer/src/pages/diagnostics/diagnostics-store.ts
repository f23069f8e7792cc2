/**
 * Live state of one diagnostics run for the Diagnostics page. Fed with the engine's progress
 * events (`apply`), or with a finished report (`showReport`, e.g. a saved file).
 */
import { create } from 'zustand';
import type { DiagnosticsProgress, DiagnosticsReport, StepName, StepResult, SweepRow } from '@shared/diagnostics-report.js';

export type StepView = {
  name: StepName;
  state: 'pending' | 'running' | 'done';
  fraction: number;
  text: string;
  result: StepResult | null;
};

export interface DiagnosticsState {
  running: boolean;
  /** The engine's id of the board under test (from the engine event), for cancelling. */
  boardId: string | null;
  boardName: string | null;
  order: StepName[];
  steps: Partial<Record<StepName, StepView>>;
  sweep: SweepRow[];
  report: DiagnosticsReport | null;
  error: string | null;
  apply(event: DiagnosticsProgress, boardId?: string): void;
  /** A run was asked for: clear the last one and show it as starting until the engine reports. */
  begin(boardId: string): void;
  showReport(report: DiagnosticsReport): void;
  /** The run ended without a report (refused, cancelled, could not run). */
  fail(message: string): void;
  /** Something to tell the user that does not end the run (a refused cancel). */
  showError(message: string): void;
  reset(): void;
}

const initial = { running: false, boardId: null as string | null, boardName: null, order: [] as StepName[], steps: {}, sweep: [] as SweepRow[], report: null, error: null };

export function reduceProgress(state: Pick<DiagnosticsState, 'running' | 'boardId' | 'boardName' | 'order' | 'steps' | 'sweep' | 'report' | 'error'>, e: DiagnosticsProgress) {
  switch (e.type) {
    case 'start':
      return {
        ...initial,
        running: true,
        boardId: state.boardId,
        boardName: e.board,
        order: e.steps,
        steps: Object.fromEntries(e.steps.map((name) => [name, { name, state: 'pending', fraction: 0, text: '', result: null } satisfies StepView])),
      };
    case 'step-start':
      return { steps: { ...state.steps, [e.name]: { ...viewOf(state, e.name), state: 'running' as const } } };
    case 'step-progress':
      return { steps: { ...state.steps, [e.name]: { ...viewOf(state, e.name), state: 'running' as const, fraction: e.fraction, text: e.text } } };
    case 'step-end':
      return { steps: { ...state.steps, [e.step.name]: { ...viewOf(state, e.step.name), state: 'done' as const, fraction: 1, result: e.step } } };
    case 'sweep-row':
      return { sweep: [...state.sweep, e.row] };
    case 'done':
      return { running: false, report: e.report, sweep: e.report.sweep ?? state.sweep };
  }
}

function viewOf(state: Pick<DiagnosticsState, 'steps'>, name: StepName): StepView {
  return state.steps[name] ?? { name, state: 'pending', fraction: 0, text: '', result: null };
}

export const useDiagnosticsStore = create<DiagnosticsState>((set) => ({
  ...initial,
  apply: (event, boardId) => set((s) => (boardId === undefined ? reduceProgress(s, event) : { boardId, ...reduceProgress({ ...s, boardId }, event) })),
  begin: (boardId) => set({ ...initial, running: true, boardId }),
  showReport: (report) =>
    set({
      ...initial,
      boardName: report.board.name,
      order: report.steps.map((s) => s.name),
      steps: Object.fromEntries(report.steps.map((s) => [s.name, { name: s.name, state: 'done', fraction: 1, text: '', result: s } satisfies StepView])),
      sweep: report.sweep ?? [],
      report,
    }),
  fail: (message) => set({ running: false, error: message }),
  showError: (message) => set({ error: message }),
  reset: () => set({ ...initial }),
}));

/** The report as a downloadable file name, e.g. hashdeck-diagnostics-bitaxe-2025-01-01T10-00-00Z.json. */
export function reportFileName(report: DiagnosticsReport): string {
  const safe = report.board.name.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40) || 'board';
  return `hashdeck-diagnostics-${safe}-${report.finishedAt.replace(/[:.]/g, '-')}.json`;
}
