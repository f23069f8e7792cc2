/**
 * Diagnostics page: run a board test, watch the steps live, see the verdict and the sweep, save
 * the JSON report. Data comes from `useDiagnosticsStore` (fed with the engine's progress events by
 * whoever wires the `runDiagnostics` command) or from the `report` prop.
 */
import type { DiagnosticsReport, StepResult, SweepRow } from '../../../../src-main/diagnostics/report.js';
import { reportFileName, useDiagnosticsStore, type DiagnosticsState, type StepView } from './diagnostics-store.js';
import { SweepChart } from './SweepChart.js';

export interface DiagnosticsPageProps {
  /** Boards that can be tested; the page shows a picker when there is more than one. */
  boards?: { id: string; name: string }[];
  /** Start a run (the app sends the engine command `runDiagnostics`). */
  onRun?: (boardId: string) => void;
  /** Show this report instead of the store's (e.g. a saved one). */
  report?: DiagnosticsReport | null;
}

const STATUS_LABEL: Record<StepResult['status'], string> = { pass: 'PASS', fail: 'FAIL', 'n/a': 'N/A', skipped: 'SKIPPED' };

/** The page bound to the diagnostics store. */
export function DiagnosticsPage(props: DiagnosticsPageProps) {
  return <DiagnosticsView {...props} state={useDiagnosticsStore()} />;
}

export type DiagnosticsViewState = Pick<DiagnosticsState, 'running' | 'order' | 'steps' | 'sweep' | 'report' | 'error'>;

/** The page as a pure function of its state (for any other data source, and for tests). */
export function DiagnosticsView({ boards = [], onRun, report: reportProp, state }: DiagnosticsPageProps & { state: DiagnosticsViewState }) {
  const report = reportProp ?? state.report;
  const order = state.order.length > 0 ? state.order : (report?.steps.map((s) => s.name) ?? []);
  const views: StepView[] = order.map(
    (name) => state.steps[name] ?? { name, state: 'done', fraction: 1, text: '', result: report?.steps.find((s) => s.name === name) ?? null },
  );
  const sweep: SweepRow[] = report?.sweep ?? state.sweep;
  const firstBoard = boards[0];

  return (
    <section className="page diagnostics-page">
      <header className="page-header">
        <h1>Diagnostics</h1>
        {onRun && (
          <form
            className="diagnostics-run"
            onSubmit={(e) => {
              e.preventDefault();
              const id = new FormData(e.currentTarget).get('board');
              if (typeof id === 'string' && id) onRun(id);
            }}
          >
            {boards.length > 1 ? (
              <select name="board" defaultValue={firstBoard?.id} aria-label="Board to test">
                {boards.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name}
                  </option>
                ))}
              </select>
            ) : (
              <input type="hidden" name="board" value={firstBoard?.id ?? ''} />
            )}
            <button type="submit" disabled={state.running || boards.length === 0}>
              {state.running ? 'Testing…' : 'Run board test'}
            </button>
          </form>
        )}
      </header>

      {state.error && (
        <p className="diagnostics-error" role="alert">
          {state.error}
        </p>
      )}

      {report && <Verdict report={report} />}

      {views.length > 0 && (
        <ol className="diagnostics-steps">
          {views.map((v) => (
            <StepRow key={v.name} view={v} />
          ))}
        </ol>
      )}

      {sweep.length > 0 && (
        <section className="diagnostics-sweep">
          <h2>Frequency sweep{report?.board.emulated ? ' (emulated board)' : ''}</h2>
          <SweepChart rows={sweep} />
          <table>
            <thead>
              <tr>
                <th>MHz</th>
                <th>Core V</th>
                <th>GH/s</th>
                <th>Expected GH/s</th>
                <th>Power W</th>
                <th>J/TH</th>
                <th>Max °C</th>
              </tr>
            </thead>
            <tbody>
              {sweep.map((r) => (
                <tr key={`${r.frequencyMhz}-${r.coreVoltageV ?? ''}`}>
                  <td>{r.frequencyMhz}</td>
                  <td>{fmt(r.coreVoltageV, 3)}</td>
                  <td>{fmt(r.hashrateHs / 1e9, 2)}</td>
                  <td>{fmt(r.expectedHashrateHs / 1e9, 2)}</td>
                  <td>{fmt(r.powerW, 2)}</td>
                  <td>{fmt(r.jPerTh, 1)}</td>
                  <td>{fmt(r.asicTempMaxC, 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}

function Verdict({ report }: { report: DiagnosticsReport }) {
  const pass = report.verdict === 'PASS';
  return (
    <section className={`diagnostics-verdict ${pass ? 'pass' : 'fail'}`} aria-live="polite">
      <h2>
        {report.verdict} — {report.board.name} ({report.board.model.toUpperCase()}
        {report.board.emulated ? `, emulated 2^-${report.board.scaleBits}` : ''}): {report.chips.found} of {report.chips.expected} chips
      </h2>
      <ul>
        {report.reasons.map((r, i) => (
          <li key={i}>{r}</li>
        ))}
      </ul>
      <p className="diagnostics-when">
        {new Date(report.startedAt).toLocaleString()} · {(report.durationMs / 1000).toFixed(1)} s
      </p>
      <button type="button" onClick={() => saveReport(report)}>
        Save report
      </button>
    </section>
  );
}

function StepRow({ view }: { view: StepView }) {
  const r = view.result;
  const status = r ? r.status : view.state;
  const title = r?.title ?? view.name;
  return (
    <li className={`diagnostics-step step-${status.replace('/', '')}`}>
      <span className="step-status">{r ? STATUS_LABEL[r.status] : view.state === 'running' ? 'RUNNING' : 'PENDING'}</span>
      <span className="step-title">{title}</span>
      {view.state === 'running' && (
        <>
          <progress max={1} value={view.fraction} />
          <span className="step-text">{view.text}</span>
        </>
      )}
      {r && <p className="step-detail">{r.detail}</p>}
      {r && Object.keys(r.figures).length > 0 && (
        <dl className="step-figures">
          {Object.entries(r.figures).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v === null ? '—' : String(v)}</dd>
            </div>
          ))}
        </dl>
      )}
    </li>
  );
}

function fmt(v: number | null, digits: number): string {
  return v === null || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

/** Download the report as JSON (a Blob URL; nothing leaves the machine). */
export function saveReport(report: DiagnosticsReport): void {
  const blob = new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = reportFileName(report);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
