/**
 * Between the engine and the Diagnostics page: 'diagnostics' events feed the page's store (every
 * client sees a run live, whoever started it), and `runBoardTest` sends the `runDiagnostics`
 * command and turns a refusal into words the user can act on.
 */
import { diagnosticsRunResultSchema, type DiagnosticsCommandOptions, type EngineCommand, type EngineEvent } from '@shared/contract';
import type { DiagnosticsState } from '../pages/diagnostics/diagnostics-store.js';

export type DiagnosticsEvent = Extract<EngineEvent, { type: 'diagnostics' }>;

/**
 * A board test runs for minutes on hardware (hashing run up to 3 min, 30 s sweep steps): the reply
 * comes when it ends. Progress arrives as events meanwhile, so this is only a safety net.
 */
export const RUN_DIAGNOSTICS_TIMEOUT_MS = 30 * 60_000;

type Target = Pick<DiagnosticsState, 'apply' | 'fail'>;

/** Feed one engine 'diagnostics' event to the page's store. */
export function applyDiagnosticsEvent(target: Target, event: DiagnosticsEvent): void {
  const p = event.progress;
  if (p.type === 'cancelled' || p.type === 'error') target.fail(sentence(p.text));
  else target.apply(p, event.boardId);
}

/** The engine's refusal, in words the user can act on (the web dashboard may be read-only). */
export function diagnosticsRefusal(message: string): string {
  if (/read-only/i.test(message)) {
    return 'This dashboard is read-only, so it cannot run a board test. Start the engine with --allow-writes (hashdeck mine … --http … --allow-writes), use the desktop app, or run `hashdeck diagnose` on a board the engine is not mining.';
  }
  if (/did not answer in time/i.test(message)) return 'The engine did not report the end of the board test in time; the steps below show how far it got.';
  return `The board test could not run: ${message.replace(/^the board test could not run: /i, '')}`;
}

export interface BoardTestDeps {
  request(command: EngineCommand, timeoutMs?: number): Promise<unknown>;
  diagnostics(): Pick<DiagnosticsState, 'begin' | 'fail' | 'showError' | 'showReport' | 'running' | 'report'>;
}

/** Start a board test and settle the page's state from the engine's reply. */
export async function runBoardTest(deps: BoardTestDeps, boardId: string, options: DiagnosticsCommandOptions): Promise<void> {
  deps.diagnostics().begin(boardId);
  let reply: unknown;
  try {
    reply = await deps.request({ type: 'runDiagnostics', boardId, options }, RUN_DIAGNOSTICS_TIMEOUT_MS);
  } catch (err) {
    deps.diagnostics().fail(diagnosticsRefusal(err instanceof Error ? err.message : String(err)));
    return;
  }
  const parsed = diagnosticsRunResultSchema.safeParse(reply);
  const state = deps.diagnostics();
  if (!parsed.success) {
    if (state.running) state.fail('The engine answered the board test with something this page does not understand.');
    return;
  }
  const result = parsed.data;
  if (result.cancelled) {
    if (state.running) state.fail('Board test cancelled; no report was kept.');
    return;
  }
  // The 'done' event normally got here first; a client that missed it (slow link) gets the report from the reply.
  if (result.report && state.report?.startedAt !== result.report.startedAt) state.showReport(result.report);
}

export async function cancelBoardTest(deps: BoardTestDeps, boardId: string): Promise<void> {
  try {
    await deps.request({ type: 'cancelDiagnostics', boardId });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // The run goes on: only say why it could not be stopped.
    deps.diagnostics().showError(/read-only/i.test(message) ? 'This dashboard is read-only, so it cannot cancel the board test.' : `The board test could not be cancelled: ${message}`);
  }
}

function sentence(text: string): string {
  const t = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
