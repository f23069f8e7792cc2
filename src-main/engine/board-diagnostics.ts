/**
 * Board tests on boards the engine is mining (`runDiagnostics`, `cancelDiagnostics`): the board is
 * parked (mining stops on it only), tested over its port with progress as 'diagnostics' events,
 * the report kept under `<dataDir>/diagnostics/<board>-<time>.json`, and mining resumes on it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chipDriver } from '../chips/index.js';
import type { DiagnosticsTarget } from '../diagnostics/engine-runner.js';
import type { SweepStep } from '../diagnostics/options.js';
import type { DiagnosticsReport } from '@shared/diagnostics-report.js';
import type { DiagnosticsCommandOptions, DiagnosticsRunResult, EngineDiagnosticsProgress } from '@shared/contract';
import type { EventBus } from '@shared/bus.js';
import { runBoardDiagnostics } from '../diagnostics/engine-runner.js';
import type { BoardFleet } from './board-fleet.js';
import type { BoardRequest } from './board-request.js';

export function diagnosticsTarget(req: BoardRequest, options: DiagnosticsCommandOptions, frequencyMhz: number | null): DiagnosticsTarget {
  return {
    name: req.name,
    path: req.path,
    model: req.model,
    binding: req.binding,
    scaleBits: req.scaleBits,
    emulated: req.emulated,
    // Null lets the runner learn the count from a first enumeration (and say so in its notes).
    expectedChips: options.expectChips ?? req.expectedChips ?? null,
    controlPath: req.controlPath ?? null,
    controlLink: req.control ?? null,
    frequencyMhz,
    coreVoltageV: req.coreVoltageV ?? null,
  };
}

/**
 * The sweep: 80 %, 90 % and 100 % of the test frequency, and 110 % only where a control port
 * watches the temperature (the hashing session stops above the abort limit). Steps of 4 s on an
 * emulator (no silicon to settle), 30 s on hardware.
 */
export function diagnosticsSweepPlan(target: Pick<DiagnosticsTarget, 'model' | 'frequencyMhz' | 'controlPath' | 'controlLink' | 'emulated'>): { steps: SweepStep[]; stepMs: number } {
  const base = target.frequencyMhz ?? chipDriver(target.model).defaultFrequencyMhz;
  const fractions = target.controlPath || target.controlLink ? [0.8, 0.9, 1, 1.1] : [0.8, 0.9, 1];
  return { steps: fractions.map((f) => ({ frequencyMhz: Math.round(base * f) })), stepMs: target.emulated ? 4000 : 30_000 };
}

/** `<dir>/diagnostics/<board>-<startedAt>.json`, characters unsafe in file names replaced. */
export function diagnosticsReportPath(dataDir: string, boardId: string, report: DiagnosticsReport): string {
  const board = boardId.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 60) || 'board';
  return path.join(dataDir, 'diagnostics', `${board}-${report.startedAt.replace(/[:.]/g, '-')}.json`);
}

export function saveDiagnosticsReport(dataDir: string, boardId: string, report: DiagnosticsReport): string {
  const file = diagnosticsReportPath(dataDir, boardId, report);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

export interface BoardTestsOptions {
  bus: EventBus;
  fleet: BoardFleet;
  dataDir: string | null;
  frequencyMhz: number | null;
}

/** The board tests in progress, one at most per board. */
export class BoardTests {
  private readonly runs = new Map<string, { controller: AbortController; done: Promise<unknown> }>();
  private stopping = false;

  constructor(private readonly options: BoardTestsOptions) {}

  isTesting(boardId: string): boolean {
    return this.runs.has(boardId);
  }

  run(boardId: string, options: DiagnosticsCommandOptions): Promise<DiagnosticsRunResult> {
    const { fleet } = this.options;
    if (this.stopping) return Promise.reject(new Error('the engine is stopping'));
    const req = fleet.request(boardId);
    if (!req) {
      const known = fleet.requestIds().join(', ');
      return Promise.reject(new Error(`there is no board "${boardId}"${known ? ` (boards: ${known})` : ''}`));
    }
    if (this.runs.has(boardId)) return Promise.reject(new Error(`board ${boardId} is already being tested: wait for that run to finish or cancel it`));
    const board = fleet.boards.get(boardId);
    // Stopping a board half-way through its start would race the start's own error handling.
    if (board && (board.state === 'starting' || board.state === 'initialising')) {
      return Promise.reject(new Error(`board ${boardId} is still initialising: try again once it is hashing`));
    }
    const controller = new AbortController();
    // Registered before the run's first step, so a second request is refused from now on.
    const done = Promise.resolve().then(() => this.test(req, options, controller.signal));
    this.runs.set(boardId, { controller, done });
    return done;
  }

  cancel(boardId: string): { cancelling: string } {
    const run = this.runs.get(boardId);
    if (!run) throw new Error(`no board test is running on ${boardId}`);
    run.controller.abort();
    return { cancelling: boardId };
  }

  /** Every run ends (each leaves its board safe); their boards are not restarted. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const run of this.runs.values()) run.controller.abort();
    await Promise.all([...this.runs.values()].map((r) => r.done.catch(() => undefined)));
  }

  private async test(req: BoardRequest, options: DiagnosticsCommandOptions, signal: AbortSignal): Promise<DiagnosticsRunResult> {
    const { bus, fleet, dataDir } = this.options;
    const boardId = req.id;
    const scope = `diagnostics ${boardId}`;
    const publish = (progress: EngineDiagnosticsProgress): void => bus.emit({ type: 'diagnostics', atMs: Date.now(), boardId, progress });
    try {
      bus.log('info', scope, `board test starting on ${req.name}${options.sweep ? ' (with a frequency sweep)' : ''}: mining paused on this board`);
      await fleet.park(boardId, 'board test running');
      const target = diagnosticsTarget(req, options, this.options.frequencyMhz);
      let result;
      try {
        result = await runBoardDiagnostics(target, { sweep: options.sweep ? diagnosticsSweepPlan(target) : null, signal, log: (level, text) => bus.log(level, scope, text) }, (progress) => {
          // After a cancel the remaining steps only fail for want of time: not worth showing.
          if (!signal.aborted) publish(progress);
        });
      } catch (err) {
        const text = signal.aborted ? 'board test cancelled' : `the board test could not run: ${(err as Error).message}`;
        bus.log(signal.aborted ? 'info' : 'error', scope, text);
        publish(signal.aborted ? { type: 'cancelled', atMs: Date.now(), text } : { type: 'error', atMs: Date.now(), text });
        if (signal.aborted) return { boardId, report: null, cancelled: true, reportPath: null, notes: [] };
        throw new Error(text);
      }
      if (result.cancelled) {
        const text = 'board test cancelled; no report was kept';
        bus.log('info', scope, text);
        publish({ type: 'cancelled', atMs: Date.now(), text });
        return { boardId, report: null, cancelled: true, reportPath: null, notes: result.notes };
      }
      const { report } = result;
      let reportPath: string | null = null;
      if (dataDir) {
        try {
          reportPath = saveDiagnosticsReport(dataDir, boardId, report);
        } catch (err) {
          bus.log('warn', scope, `could not save the report under ${dataDir}: ${(err as Error).message}`);
        }
      }
      bus.log(
        report.verdict === 'PASS' ? 'info' : 'warn',
        scope,
        `board test ${report.verdict}${report.reasons.length ? `: ${report.reasons.join(' ')}` : ''}${reportPath ? ` (report ${reportPath})` : ''}`,
      );
      return { boardId, report, cancelled: false, reportPath, notes: result.notes };
    } finally {
      this.runs.delete(boardId);
      if (!this.stopping) {
        bus.log('info', scope, 'mining resumes on this board');
        fleet.unpark(boardId);
      }
    }
  }
}
