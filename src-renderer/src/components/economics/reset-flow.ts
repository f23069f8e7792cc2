/**
 * Resetting statistics: the commands, the outcome shown to the user, and the small state
 * machine behind the buttons (all-time needs a confirmation step first). Pure, so it is tested
 * without a browser.
 */
import type { EngineCommand } from '@shared/contract';

export type ResetScope = 'session' | 'allTime';

export function resetCommand(scope: ResetScope): EngineCommand {
  // The engine refuses an all-time reset without confirm: true; it is only sent after the dialog.
  return scope === 'session' ? { type: 'resetStats', scope: 'session' } : { type: 'resetStats', scope: 'allTime', confirm: true };
}

export const RESET_DONE_TEXT: Record<ResetScope, string> = {
  session: 'Session statistics reset: counters, hashrate windows, pool shares and session best start again now.',
  allTime: 'All-time statistics reset: all-time best and scoreboard cleared, and the session restarted. Found blocks stay recorded.',
};

/** The engine's refusal, in words the user can act on (the web dashboard may be read-only). */
export function describeResetError(scope: ResetScope, message: string): string {
  const what = scope === 'session' ? 'session' : 'all-time';
  if (/read-only/i.test(message))
    return `The engine refused to reset ${what} statistics: this dashboard is read-only. Reset from the desktop app, or start the engine's web server with write access. (${message})`;
  if (/not connected|connection to the engine lost|did not answer/i.test(message)) return `Could not reach the engine to reset ${what} statistics: ${message}`;
  return `The engine refused to reset ${what} statistics: ${message}`;
}

export type ResetState =
  { phase: 'idle' } | { phase: 'confirming' } | { phase: 'sending'; scope: ResetScope } | { phase: 'done'; scope: ResetScope; text: string } | { phase: 'failed'; scope: ResetScope; text: string };

export type ResetAction =
  { type: 'askAllTime' } | { type: 'cancel' } | { type: 'send'; scope: ResetScope } | { type: 'succeeded'; scope: ResetScope } | { type: 'failed'; scope: ResetScope; message: string };

/** All-time goes only from the confirmation step; nothing starts while a reset is in flight. */
export function canSend(state: ResetState, scope: ResetScope): boolean {
  if (state.phase === 'sending') return false;
  return scope === 'session' || state.phase === 'confirming';
}

export function resetReducer(state: ResetState, action: ResetAction): ResetState {
  switch (action.type) {
    case 'askAllTime':
      return state.phase === 'sending' ? state : { phase: 'confirming' };
    case 'cancel':
      return state.phase === 'sending' ? state : { phase: 'idle' };
    case 'send':
      return canSend(state, action.scope) ? { phase: 'sending', scope: action.scope } : state;
    case 'succeeded':
      return state.phase === 'sending' && state.scope === action.scope ? { phase: 'done', scope: action.scope, text: RESET_DONE_TEXT[action.scope] } : state;
    case 'failed':
      return state.phase === 'sending' && state.scope === action.scope ? { phase: 'failed', scope: action.scope, text: describeResetError(action.scope, action.message) } : state;
  }
}

/** Sends the reset and reports the outcome as the action to dispatch. */
export async function runReset(request: (c: EngineCommand) => Promise<unknown>, scope: ResetScope): Promise<ResetAction> {
  try {
    await request(resetCommand(scope));
    return { type: 'succeeded', scope };
  } catch (err) {
    return { type: 'failed', scope, message: err instanceof Error ? err.message : String(err) };
  }
}
