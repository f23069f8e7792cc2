/**
 * Board tests. Until the diagnostics views (src-renderer/src/pages/diagnostics/) are wired in,
 * this explains how to run the same test from the command line.
 */
import { EmptyState } from '../components/EmptyState.js';

export function DiagnosticsPage(): React.JSX.Element {
  return (
    <div className="page">
      <EmptyState title="Board diagnostics" testId="diagnostics-empty">
        <p>
          A repeatable pass/fail test of a board: chip count, per-core response, known-answer hashing and a frequency/voltage sweep, with a saved report. It runs from the command line
          today:
        </p>
        <pre>hashdeck diagnose --device /dev/ttyACM0 --chip bm1366 --expect-chips 1 --report board.json</pre>
        <p>Exit code 0 means PASS and 1 means FAIL; a missing chip is a FAIL. The report file holds every step with its measured value and limit.</p>
      </EmptyState>
    </div>
  );
}
