/**
 * The Diagnostics page as the app routes it: the engine's boards to pick from, and runs and
 * cancels sent through the engine store (state/diagnostics-bridge.ts).
 */
import { useMemo } from 'react';
import { engineStore, useEngine } from '../../state/store.js';
import { cancelBoardTest, runBoardTest } from '../../state/diagnostics-bridge.js';
import { DiagnosticsPage } from './DiagnosticsPage.js';
import { useDiagnosticsStore } from './diagnostics-store.js';

const deps = {
  request: (...args: Parameters<ReturnType<typeof engineStore.getState>['request']>) => engineStore.getState().request(...args),
  diagnostics: () => useDiagnosticsStore.getState(),
};

export function DiagnosticsRoute(): React.JSX.Element {
  const boardList = useEngine((s) => s.snapshot?.boards);
  // A new snapshot every second: the picker only changes when the boards do.
  const key = JSON.stringify((boardList ?? []).map((b) => ({ id: b.id, name: b.name, emulated: b.emulated })));
  const boards = useMemo(() => JSON.parse(key) as { id: string; name: string; emulated: boolean }[], [key]);
  return <DiagnosticsPage boards={boards} onRun={(id, options) => void runBoardTest(deps, id, options)} onCancel={(id) => void cancelBoardTest(deps, id)} />;
}
