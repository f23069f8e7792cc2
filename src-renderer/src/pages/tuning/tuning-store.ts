/**
 * The Tuning page's live state per board: the progress of the latest run as 'tune' events arrive
 * (every client sees a run live, whoever started it) and the last result.
 */
import { create } from 'zustand';
import type { TuneProgress, TuneResult } from '@shared/contract';

export interface BoardTuneView {
  /** Events of the latest run, from its 'started' on. */
  events: TuneProgress[];
  running: boolean;
  result: TuneResult | null;
  /** The last thing to tell the user (a refusal, a stopped or failed run, a step back). */
  message: { tone: 'good' | 'bad' | 'idle'; text: string } | null;
}

export interface TuningState {
  boards: Record<string, BoardTuneView>;
  apply(boardId: string, progress: TuneProgress): void;
  setResult(boardId: string, result: TuneResult | null): void;
  say(boardId: string, tone: 'good' | 'bad' | 'idle', text: string): void;
}

const EMPTY: BoardTuneView = { events: [], running: false, result: null, message: null };

export function reduceTune(view: BoardTuneView, p: TuneProgress): BoardTuneView {
  switch (p.type) {
    case 'started':
      return { events: [p], running: true, result: view.result, message: null };
    case 'measuring':
    case 'step':
    case 'limit':
      return { ...view, running: true, events: [...view.events, p] };
    case 'done':
      return { events: [...view.events, p], running: false, result: p.result, message: { tone: 'good', text: p.text } };
    case 'stopped':
    case 'error':
      return { ...view, events: [...view.events, p], running: false, message: { tone: p.type === 'error' ? 'bad' : 'idle', text: p.text } };
    case 'stepped-back':
      return { ...view, message: { tone: 'bad', text: p.text } };
  }
}

export const useTuningStore = create<TuningState>()((set) => ({
  boards: {},
  apply(boardId, progress) {
    set((s) => ({ boards: { ...s.boards, [boardId]: reduceTune(s.boards[boardId] ?? EMPTY, progress) } }));
  },
  setResult(boardId, result) {
    set((s) => ({ boards: { ...s.boards, [boardId]: { ...(s.boards[boardId] ?? EMPTY), result } } }));
  },
  say(boardId, tone, text) {
    set((s) => ({ boards: { ...s.boards, [boardId]: { ...(s.boards[boardId] ?? EMPTY), message: { tone, text } } } }));
  },
}));

export function tuneView(state: TuningState, boardId: string | null): BoardTuneView {
  return (boardId && state.boards[boardId]) || EMPTY;
}
