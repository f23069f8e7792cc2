/**
 * `hashdeck diagnose`: test one board and say PASS (exit 0) or FAIL (exit 1), with a JSON report
 * (`--report file.json`). A missing chip, a dead core or an overheating board is a FAIL in the
 * report, not an error; an unopenable port or bad input is (exit 1 / exit 2). Ctrl-C stops the
 * test, leaves the board safe and writes no report.
 */
import { accessSync, constants, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createEmulatorDevice } from '../emulator/emulated-device.js';
import { runBoardDiagnostics, type BoardDiagnosticsResult, type DiagnosticsTarget } from '../diagnostics/engine-runner.js';
import { STEP_NAMES, type DiagnosticsProgress, type DiagnosticsReport } from '@shared/diagnostics-report.js';
import type { DiagnoseOptions } from './args.js';
import { formatHashrate } from '@shared/format.js';
import { UsageError } from './usage-error.js';
import { diagnosticsSweepPlan } from '../engine/board-diagnostics.js';

/** Human progress lines during a long step: at most one per this interval. */
const PROGRESS_LINE_INTERVAL_MS = 5000;
/** JSON progress lines: at most one per step per this interval. */
const JSON_PROGRESS_INTERVAL_MS = 1000;
export const EXIT_CANCELLED = 130;

export async function runDiagnose(opts: DiagnoseOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const reportPath = opts.reportPath === null ? null : path.resolve(opts.reportPath);
  if (reportPath) checkWritable(reportPath);
  const { target, describe } = targetFor(opts);
  const print = (obj: unknown): void => void out.write(`${JSON.stringify(obj)}\n`);
  const line = (text: string): void => void out.write(`${text}\n`);

  if (opts.json) print({ type: 'diagnose', atMs: Date.now(), device: target.name, model: target.model, emulated: target.emulated, scaleBits: target.scaleBits });
  else line(`Diagnosing ${describe}`);

  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const show = opts.json ? jsonProgress(print) : humanProgress(line);
  // After Ctrl-C the remaining steps only fail for want of time: not worth showing.
  const onProgress = (e: DiagnosticsProgress): void => {
    if (!controller.signal.aborted) show(e);
  };
  let result: BoardDiagnosticsResult;
  try {
    result = await runBoardDiagnostics(
      target,
      {
        sweep: opts.sweep ? diagnosticsSweepPlan(target) : null,
        signal: controller.signal,
        log: (level, text) => (opts.json ? print({ type: 'log', atMs: Date.now(), level, text }) : line(`  ${level === 'warn' ? 'warning: ' : ''}${text}`)),
      },
      onProgress,
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const { report } = result;
  const safeProblems = result.leftSafe?.problems ?? [];
  if (result.cancelled) {
    if (opts.json) print({ type: 'summary', verdict: null, cancelled: true, reportPath: null, leftSafe: result.leftSafe });
    else line(`Diagnostics cancelled; no report was written.${result.leftSafe?.resetHeld ? ' The chips are held in reset.' : ''}`);
    return EXIT_CANCELLED;
  }

  const written: string[] = [];
  if (reportPath) {
    writeReport(reportPath, report);
    written.push(reportPath);
  }
  if (opts.dataDir) {
    // A copy beside the app's other records, so the desktop app can list past tests.
    const dir = path.join(path.resolve(opts.dataDir), 'diagnostics');
    const file = path.join(dir, `${report.startedAt.replace(/[:.]/g, '-')}-${safeName(report.board.name)}.json`);
    try {
      mkdirSync(dir, { recursive: true });
      writeReport(file, report);
      written.push(file);
    } catch (err) {
      line(`warning: could not keep a copy of the report in ${dir}: ${(err as Error).message}`);
    }
  }

  const exitCode = report.verdict === 'PASS' ? 0 : 1;
  if (opts.json) {
    print({ type: 'summary', verdict: report.verdict, reasons: report.reasons, chips: report.chips, reportPath: reportPath, reportCopies: written, leftSafe: result.leftSafe, exitCode });
  } else {
    line('');
    line(`Verdict: ${report.verdict}${report.board.emulated ? ' (EMULATED board)' : ''}`);
    for (const r of report.reasons) line(`  - ${r}`);
    for (const p of safeProblems) line(`  warning: ${p}`);
    for (const f of written) line(`Report written to ${f}`);
  }
  return exitCode;
}

function targetFor(opts: DiagnoseOptions): { target: DiagnosticsTarget; describe: string } {
  const d = opts.device;
  if (d.kind === 'emulator') {
    const dev = createEmulatorDevice({ chips: d.chips, model: d.model, scaleBits: d.scaleBits });
    return {
      target: {
        name: `Emulator (${d.chips}× ${d.model.toUpperCase()})`,
        path: dev.path,
        model: d.model,
        binding: dev.binding,
        scaleBits: d.scaleBits,
        emulated: true,
        expectedChips: opts.expectChips ?? d.chips,
        controlLink: dev.control ?? null,
        frequencyMhz: opts.frequencyMhz,
      },
      describe: `the built-in emulator: ${d.chips}× ${d.model.toUpperCase()}, nonces at ticket × 2^-${d.scaleBits} (EMULATED)`,
    };
  }
  if (d.kind === 'path') {
    const model = d.chip!;
    const emulated = d.scaleBits !== null;
    return {
      target: {
        name: d.path,
        path: d.path,
        model,
        scaleBits: d.scaleBits ?? 0,
        emulated,
        expectedChips: opts.expectChips ?? d.expectChips,
        controlPath: d.control,
        frequencyMhz: opts.frequencyMhz,
      },
      describe: `${d.path} (${model.toUpperCase()}${emulated ? `, emulated: nonces at ticket × 2^-${d.scaleBits}` : ''}${d.control ? `, control ${d.control}` : ', no control port'})`,
    };
  }
  throw new UsageError('diagnose needs a specific board: --device emulator[:chips] or a serial path with --chip');
}

function humanProgress(line: (text: string) => void): (e: DiagnosticsProgress) => void {
  let lastLineMs = 0;
  return (e) => {
    switch (e.type) {
      case 'step-start':
        lastLineMs = Date.now();
        break;
      case 'step-progress':
        if (Date.now() - lastLineMs >= PROGRESS_LINE_INTERVAL_MS) {
          lastLineMs = Date.now();
          line(`        … ${e.text}`);
        }
        break;
      case 'step-end': {
        const n = STEP_NAMES.indexOf(e.step.name) + 1;
        const status = e.step.status.toUpperCase().padEnd(7);
        line(`[${String(n).padStart(2)}/${STEP_NAMES.length}] ${e.step.title.padEnd(40, ' ')} ${status} ${e.step.detail}`);
        break;
      }
      case 'sweep-row': {
        const r = e.row;
        line(`        ${r.frequencyMhz} MHz: ${formatHashrate(r.hashrateHs)}${r.powerW === null ? '' : `, ${r.powerW.toFixed(2)} W`}${r.jPerTh === null ? '' : `, ${r.jPerTh.toFixed(1)} J/TH`}`);
        break;
      }
      default:
        break;
    }
  };
}

function jsonProgress(print: (obj: unknown) => void): (e: DiagnosticsProgress) => void {
  const lastByStep = new Map<string, number>();
  return (e) => {
    if (e.type === 'step-progress') {
      const last = lastByStep.get(e.name) ?? 0;
      if (Date.now() - last < JSON_PROGRESS_INTERVAL_MS) return;
      lastByStep.set(e.name, Date.now());
    }
    print(e);
  };
}

function checkWritable(file: string): void {
  const dir = path.dirname(file);
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`cannot write the report to ${file}: ${dir} is not a writable directory`);
  }
  try {
    if (statSync(file).isDirectory()) throw new UsageError(`--report ${file} is a directory; give a file name`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // The file does not exist yet: fine.
  }
}

function writeReport(file: string, report: DiagnosticsReport): void {
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

function safeName(name: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9_-]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 60) || 'board'
  );
}
