/**
 * What the engine's `runDiagnostics` command needs besides the engine itself: the runner's target
 * built from a board's request, the sweep plan, and where a finished report is kept
 * (`<dataDir>/diagnostics/<board>-<time>.json`, beside the app's other records).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chipDriver } from '../chips/index.js';
import type { DiagnosticsTarget } from '../diagnostics/engine-runner.js';
import type { SweepStep } from '../diagnostics/options.js';
import type { DiagnosticsReport } from '@shared/diagnostics-report.js';
import type { DiagnosticsCommandOptions } from '@shared/contract';
import type { BoardRequest } from './engine.js';

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
