/**
 * The board test: enumeration → sensors → register read-back → known-answer → hashing run
 * (validity, per-core map, hashrate) → limits → optional sweep, with progress events and a JSON
 * report whose verdict is FAIL when any step fails. Procedure after docs/features.md §(d)3.
 *
 * Leaving the board safe afterwards (reset held, VCORE off) is the caller's decision: a tester may
 * want to rerun at once.
 */
import type { BoardUnderTest } from './board-under-test.js';
import { realClock } from './clock.js';
import { DEFAULT_DIAGNOSTICS_OPTIONS, type DiagnosticsOptions } from './options.js';
import { STEP_NAMES, STEP_TITLES, type DiagnosticsReport, type StepName, type StepResult } from '@shared/diagnostics-report.js';
import { enumerationStep } from './steps/enumeration.js';
import { hashingSteps, type HashingStepsResult } from './steps/hashing.js';
import { knownAnswerStep, settleKnownAnswer } from './steps/known-answer.js';
import { limitsStep } from './steps/limits.js';
import { registerReadbackStep } from './steps/register-readback.js';
import { sensorsStep } from './steps/sensors.js';
import { sweepStep } from './steps/sweep.js';
import { outcome, type StepContext, type StepOutcome } from './steps/step-context.js';

export async function runDiagnostics(board: BoardUnderTest, partial: Partial<DiagnosticsOptions> = {}): Promise<DiagnosticsReport> {
  const options: DiagnosticsOptions = { ...DEFAULT_DIAGNOSTICS_OPTIONS, clock: realClock, onProgress: () => undefined, ...partial };
  const clock = options.clock;
  const emit: DiagnosticsOptions['onProgress'] = (e) => {
    try {
      options.onProgress(e);
    } catch {
      // A broken progress listener must not break the test itself.
    }
  };
  const startedMs = clock.now();
  const startedAt = new Date().toISOString();
  emit({ type: 'start', atMs: startedMs, board: board.name, steps: [...STEP_NAMES] });

  const results = new Map<StepName, StepResult>();
  let current: StepName = 'enumeration';
  let stepStart = startedMs;
  const ctx: StepContext = {
    board,
    options,
    progress: (fraction, text) => emit({ type: 'step-progress', atMs: clock.now(), name: current, fraction: Math.max(0, Math.min(1, fraction)), text }),
  };
  const begin = (name: StepName) => {
    current = name;
    stepStart = clock.now();
    emit({ type: 'step-start', atMs: stepStart, name });
  };
  const finish = (name: StepName, o: StepOutcome, durationMs = clock.now() - stepStart) => {
    const step: StepResult = { name, title: STEP_TITLES[name], durationMs, ...o };
    results.set(name, step);
    emit({ type: 'step-end', atMs: clock.now(), step });
  };
  const guarded = async <T>(name: StepName, run: () => Promise<T>, onError: (msg: string) => T): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      return onError(`The ${STEP_TITLES[name].toLowerCase()} step failed unexpectedly: ${(err as Error).message}.`);
    }
  };

  begin('enumeration');
  const enumeration = await guarded(
    'enumeration',
    () => enumerationStep(ctx),
    (m) => ({ found: 0, result: outcome('fail', m) }),
  );
  const found = enumeration.found;
  finish('enumeration', enumeration.result);

  begin('sensors');
  const sensors = await guarded(
    'sensors',
    () => sensorsStep(ctx, clock),
    (m) => ({ readings: null, result: outcome('fail', m) }),
  );
  finish('sensors', sensors.result);

  const skipAll = found === 0;
  const noChips = outcome('skipped', 'Skipped: no chip answered.');

  begin('register-readback');
  finish(
    'register-readback',
    skipAll
      ? noChips
      : await guarded(
          'register-readback',
          () => registerReadbackStep(ctx, found),
          (m) => outcome('fail', m),
        ),
  );

  begin('known-answer');
  const katStart = stepStart;
  const kat = skipAll
    ? null
    : await guarded(
        'known-answer',
        () => knownAnswerStep(ctx, clock),
        (m) => ({ noResponse: false, result: outcome('fail', m) }),
      );
  const katDurationMs = clock.now() - katStart;
  if (kat && !kat.noResponse) finish('known-answer', kat.result, katDurationMs);
  else if (!kat) finish('known-answer', noChips, katDurationMs);

  begin('hashing');
  let hashing: HashingStepsResult | null = null;
  if (skipAll) {
    finish('hashing', noChips);
    finish('core-map', noChips, 0);
    finish('hashrate', noChips, 0);
  } else {
    try {
      hashing = await hashingSteps(ctx, clock, found);
      finish('hashing', hashing.hashing);
      finish('core-map', hashing.coreMap, 0);
      finish('hashrate', hashing.hashrate, 0);
    } catch (err) {
      const m = `The hashing run failed unexpectedly: ${(err as Error).message}.`;
      finish('hashing', outcome('fail', m));
      finish('core-map', outcome('skipped', 'Skipped: the hashing run failed.'), 0);
      finish('hashrate', outcome('skipped', 'Skipped: the hashing run failed.'), 0);
    }
  }
  if (kat?.noResponse) finish('known-answer', settleKnownAnswer(kat, hashing?.run.validNonces ?? null), katDurationMs);

  begin('limits');
  finish('limits', skipAll && board.control ? outcome('skipped', 'Skipped: no chip answered.') : limitsStep(ctx, hashing?.run.samples ?? []));

  begin('sweep');
  let sweepRows: DiagnosticsReport['sweep'] = null;
  if (skipAll) finish('sweep', options.sweep ? noChips : outcome('skipped', 'No sweep was requested.'));
  else {
    const sweep = await guarded(
      'sweep',
      () => sweepStep(ctx, clock, found, (row) => emit({ type: 'sweep-row', atMs: clock.now(), row })),
      (m) => ({ rows: null, result: outcome('fail', m) }),
    );
    sweepRows = sweep.rows;
    finish('sweep', sweep.result);
  }

  const steps = STEP_NAMES.map((n) => results.get(n)!).filter(Boolean);
  const failed = steps.filter((s) => s.status === 'fail');
  const verdict = failed.length === 0 ? 'PASS' : 'FAIL';
  const reasons =
    failed.length > 0
      ? failed.map((s) => `${s.title}: ${s.detail}`)
      : ['Every check that applies to this board passed.', ...steps.filter((s) => s.status === 'n/a').map((s) => `${s.title}: ${s.detail}`)];
  const finishedMs = clock.now();
  const report: DiagnosticsReport = {
    kind: 'hashdeck-diagnostics',
    version: 1,
    verdict,
    reasons,
    board: {
      name: board.name,
      model: board.model,
      emulated: board.emulated,
      scaleBits: board.scaleBits,
      frequencyMhz: board.frequencyMhz,
      coreVoltageV: board.control?.coreVoltageSetpointV ?? null,
      ticketDifficulty: board.ticketDifficulty,
      controlParts: board.control ? [...board.control.parts] : [],
    },
    chips: { expected: board.chipsExpected, found },
    steps,
    coreMap: hashing ? hashing.coverage : null,
    sweep: sweepRows,
    startedAt,
    finishedAt: new Date(Date.parse(startedAt) + (finishedMs - startedMs)).toISOString(),
    durationMs: finishedMs - startedMs,
  };
  emit({ type: 'done', atMs: finishedMs, report });
  return report;
}
