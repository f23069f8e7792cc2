/**
 * Optional frequency (and voltage) sweep: hashrate, power and J/TH per step. The frequency and
 * core voltage in force before the sweep are restored afterwards, whatever happens.
 */
import type { Clock } from '../clock.js';
import { runHashSession } from '../hash-session.js';
import type { SweepRow } from '@shared/diagnostics-report.js';
import { outcome, type StepContext, type StepOutcome } from './step-context.js';

export async function sweepStep(ctx: StepContext, clock: Clock, found: number, onRow: (row: SweepRow) => void): Promise<{ result: StepOutcome; rows: SweepRow[] | null }> {
  const plan = ctx.options.sweep;
  if (!plan || plan.steps.length === 0) return { rows: null, result: outcome('skipped', 'No sweep was requested.') };
  if (found === 0) return { rows: null, result: outcome('skipped', 'No chips to sweep.') };
  const { board, options: o } = ctx;
  const control = board.control;
  const previousMhz = board.frequencyMhz;
  const previousV = control?.coreVoltageSetpointV ?? null;
  const rows: SweepRow[] = [];
  const problems: string[] = [];
  try {
    for (const [i, step] of plan.steps.entries()) {
      ctx.progress(i / plan.steps.length, `${step.frequencyMhz} MHz`);
      let note: string | null = null;
      if (step.coreVoltageV !== undefined) {
        if (control && control.coreVoltageSetpointV !== null) await control.setCoreVoltageV(step.coreVoltageV);
        else note = 'Core voltage not settable on this board; left as it was.';
      }
      await board.setFrequency(step.frequencyMhz);
      const run = await runHashSession(
        board,
        clock,
        { tickMs: o.tickMs, sensorPollMs: o.sensorPollMs, abortTempC: o.abortTempC, badReadingsToAbort: 3, makeJob: o.makeJob },
        { minMs: plan.stepMs, maxMs: plan.stepMs },
      );
      const powers = run.samples.map((s) => s.powerW).filter((p): p is number => p !== null);
      const temps = run.samples.map((s) => s.asicTempC).filter((t): t is number => t !== null);
      const powerW = powers.length > 0 ? powers.reduce((a, b) => a + b, 0) / powers.length : null;
      const row: SweepRow = {
        frequencyMhz: step.frequencyMhz,
        coreVoltageV: control?.coreVoltageSetpointV ?? null,
        hashrateHs: run.hashrateHs,
        expectedHashrateHs: board.expectedHashrateHs(step.frequencyMhz) * (found / Math.max(1, board.chipsExpected)),
        powerW,
        // An emulator hashes on the host CPU: its J/TH is modelled power over the rated chip
        // hashrate at this frequency, never over the CPU's rate.
        jPerTh: jPerThFor(board.emulated, powerW, run.hashrateHs, board.expectedHashrateHs(step.frequencyMhz) * (found / Math.max(1, board.chipsExpected))),
        asicTempMaxC: temps.length > 0 ? Math.max(...temps) : null,
        validNonces: run.validNonces,
        hwErrors: run.hwErrors,
        durationMs: run.durationMs,
        note: run.abortedReason ?? note,
      };
      rows.push(row);
      onRow(row);
      if (run.abortedReason) {
        problems.push(`Sweep stopped at ${step.frequencyMhz} MHz: ${run.abortedReason}`);
        break;
      }
    }
  } catch (err) {
    problems.push(`The sweep failed: ${(err as Error).message}.`);
  } finally {
    try {
      await board.setFrequency(previousMhz);
      if (control && previousV !== null && control.coreVoltageSetpointV !== previousV) await control.setCoreVoltageV(previousV);
    } catch (err) {
      problems.push(`Restoring ${previousMhz} MHz${previousV === null ? '' : ` / ${previousV} V`} failed: ${(err as Error).message}.`);
    }
  }
  const best = rows.filter((r) => r.jPerTh !== null).sort((a, b) => a.jPerTh! - b.jPerTh!)[0];
  const figures = { steps: rows.length, restoredFrequencyMhz: previousMhz, restoredCoreVoltageV: previousV, bestJPerThMhz: best?.frequencyMhz ?? null };
  const emulatedNote = board.emulated ? ' Emulated board: the figures describe the emulator, not silicon.' : '';
  if (problems.length > 0) return { rows, result: outcome('fail', problems.join(' ') + emulatedNote, figures) };
  return { rows, result: outcome('pass', `${rows.length} step${rows.length === 1 ? '' : 's'} measured; settings restored to ${previousMhz} MHz.${emulatedNote}`, figures) };
}

function jPerThFor(emulated: boolean, powerW: number | null, measuredHs: number, ratedHs: number): number | null {
  const hs = emulated ? ratedHs : measuredHs;
  return powerW !== null && hs > 0 ? powerW / (hs / 1e12) : null;
}
