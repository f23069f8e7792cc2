/**
 * Diagnostics page: run a board test, watch the steps live, see the verdict and the sweep, save
 * the JSON report. Data comes from `useDiagnosticsStore` (fed with the engine's 'diagnostics'
 * events, state/diagnostics-bridge.ts) or from the `report` prop.
 */
import { STEP_TITLES, type DiagnosticsReport, type StepResult, type SweepRow } from '@shared/diagnostics-report.js';
import { formatHashrate } from '../../lib/format.js';
import { formatFigure, sweepEfficiency } from './diagnostics-figures.js';
import { reportFileName, useDiagnosticsStore, type DiagnosticsState, type StepView } from './diagnostics-store.js';
import { SweepChart } from './SweepChart.js';
import './diagnostics.css';

export interface DiagnosticsRunOptions {
  /** Add the frequency sweep after the test. */
  sweep: boolean;
}

export interface DiagnosticsPageProps {
  /** Boards that can be tested; the page shows a picker when there is more than one. */
  boards?: { id: string; name: string; emulated?: boolean }[];
  /** Start a run (the app sends the engine command `runDiagnostics`). */
  onRun?: (boardId: string, options: DiagnosticsRunOptions) => void;
  /** Stop the running test (the app sends `cancelDiagnostics`). */
  onCancel?: (boardId: string) => void;
  /** Show this report instead of the store's (e.g. a saved one). */
  report?: DiagnosticsReport | null;
}

const STATUS_LABEL: Record<StepResult['status'], string> = { pass: 'PASS', fail: 'FAIL', 'n/a': 'N/A', skipped: 'SKIPPED' };

/** The page bound to the diagnostics store. */
export function DiagnosticsPage(props: DiagnosticsPageProps) {
  return <DiagnosticsView {...props} state={useDiagnosticsStore()} />;
}

export type DiagnosticsViewState = Pick<DiagnosticsState, 'running' | 'order' | 'steps' | 'sweep' | 'report' | 'error'> & Partial<Pick<DiagnosticsState, 'boardId' | 'boardName'>>;

/** The page as a pure function of its state (for any other data source, and for tests). */
export function DiagnosticsView({ boards = [], onRun, onCancel, report: reportProp, state }: DiagnosticsPageProps & { state: DiagnosticsViewState }) {
  const report = reportProp ?? state.report;
  const order = state.order.length > 0 ? state.order : (report?.steps.map((s) => s.name) ?? []);
  const views: StepView[] = order.map((name) => state.steps[name] ?? { name, state: 'done', fraction: 1, text: '', result: report?.steps.find((s) => s.name === name) ?? null });
  const sweep: SweepRow[] = report?.sweep ?? state.sweep;
  const firstBoard = boards[0];
  const emulated = report?.board.emulated ?? boards.find((b) => b.id === state.boardId)?.emulated ?? false;
  const testing = state.running ? (state.boardName ?? boards.find((b) => b.id === state.boardId)?.name ?? state.boardId ?? 'the board') : null;

  return (
    <section className="page diagnostics-page" aria-label="Diagnostics">
      {/* Before any run this is the page's empty state: what the test does and how else to run it. */}
      <div className="panel diagnostics-intro" data-testid={views.length === 0 && !report && !state.running ? 'diagnostics-empty' : 'diagnostics-intro'}>
        <p className="muted">
          A pass/fail test of one board: chip count, sensors, register read-back, a known-answer hash, per-core response, hashrate and limits, and optionally a frequency sweep. Mining pauses on the
          board under test only and resumes when the test ends; the engine keeps the report in its data directory. A board no engine is mining can be tested from the command line:
        </p>
        <code className="diagnostics-cli">hashdeck diagnose --device /dev/ttyACM0 --chip bm1366 --report board.json</code>
        {onRun && (
          <form
            className="diagnostics-run"
            onSubmit={(e) => {
              e.preventDefault();
              const data = new FormData(e.currentTarget);
              const id = data.get('board');
              if (typeof id === 'string' && id) onRun(id, { sweep: data.get('sweep') === 'on' });
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
              <>
                <input type="hidden" name="board" value={firstBoard?.id ?? ''} />
                <span className="diagnostics-board">{firstBoard ? firstBoard.name : 'No board to test'}</span>
              </>
            )}
            <label className="check">
              <input type="checkbox" name="sweep" disabled={state.running} /> Frequency sweep
            </label>
            <button type="submit" disabled={state.running || boards.length === 0}>
              {state.running ? 'Testing…' : 'Run board test'}
            </button>
            {onCancel && state.running && state.boardId ? (
              <button type="button" className="btn" onClick={() => onCancel(state.boardId!)}>
                Cancel
              </button>
            ) : null}
          </form>
        )}
      </div>

      {testing !== null && (
        <p className="diagnostics-running" data-testid="diagnostics-running">
          Testing {testing}: mining is paused on this board until the test ends.
        </p>
      )}

      {state.error && (
        <p className="diagnostics-error" role="alert" data-testid="diagnostics-error">
          {state.error}
        </p>
      )}

      {report && !state.running && <Verdict report={report} />}

      {views.length > 0 && (
        <ol className="diagnostics-steps" data-testid="diagnostics-steps">
          {views.map((v) => (
            <StepRow key={v.name} view={v} />
          ))}
        </ol>
      )}

      {sweep.length > 0 && (
        <section className="panel diagnostics-sweep" data-testid="diagnostics-sweep">
          <h2>Frequency sweep{emulated ? ' (emulated board)' : ''}</h2>
          {emulated && <p className="muted small">An emulator hashes on the host CPU: its hashrate is not the chips&apos;. Efficiency is the modelled power over the chips&apos; rated hashrate.</p>}
          <div className="diagnostics-sweep-body">
            <SweepChart rows={sweep} emulated={emulated} />
            <table className="table">
              <thead>
                <tr>
                  <th className="num">MHz</th>
                  <th className="num">Core V</th>
                  <th className="num">Hashrate</th>
                  <th className="num">Rated</th>
                  <th className="num">Power W</th>
                  <th className="num">{emulated ? 'J/TH (modelled)' : 'J/TH'}</th>
                  <th className="num">Max °C</th>
                </tr>
              </thead>
              <tbody>
                {sweep.map((r) => (
                  <tr key={`${r.frequencyMhz}-${r.coreVoltageV ?? ''}`}>
                    <td>{r.frequencyMhz}</td>
                    <td>{fmt(r.coreVoltageV, 3)}</td>
                    <td>{formatHashrate(r.hashrateHs)}</td>
                    <td>{formatHashrate(r.expectedHashrateHs)}</td>
                    <td>{fmt(r.powerW, 2)}</td>
                    <td>{fmt(sweepEfficiency(r, emulated), 1)}</td>
                    <td>{fmt(r.asicTempMaxC, 1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </section>
  );
}

function Verdict({ report }: { report: DiagnosticsReport }) {
  const pass = report.verdict === 'PASS';
  return (
    <section className={`diagnostics-verdict ${pass ? 'pass' : 'fail'}`} aria-live="polite" data-testid="diagnostics-verdict" data-verdict={report.verdict}>
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
      <button type="button" className="btn" data-testid="save-report" onClick={() => saveReport(report)}>
        Save report
      </button>
    </section>
  );
}

function StepRow({ view }: { view: StepView }) {
  const r = view.result;
  const status = r ? r.status : view.state;
  const title = r?.title ?? STEP_TITLES[view.name];
  return (
    <li className={`diagnostics-step step-${status.replace('/', '')}`} data-testid={`step-${view.name}`} data-state={r ? r.status : view.state}>
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
              <dd>{formatFigure(k, v)}</dd>
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
