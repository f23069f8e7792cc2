/**
 * The timed hashing run and the three judgements made from it: nonce validity (hardware errors),
 * the per-chip/per-core response map, and hashrate against the chip's rating.
 */
import type { Clock } from '../clock.js';
import { formatIdList, missProbability, nonceRateHz, noncesPerCoreNeeded, requiredValidNonces } from '../core-coverage.js';
import { effectiveTicketDifficulty, runHashSession, type HashRunResult } from '../hash-session.js';
import type { ChipCoverage } from '@shared/diagnostics-report.js';
import { outcome, type StepContext, type StepOutcome } from './step-context.js';
import { formatHashrate } from '@shared/format.js';

export interface HashingStepsResult {
  run: HashRunResult;
  hashing: StepOutcome;
  coreMap: StepOutcome;
  hashrate: StepOutcome;
  coverage: { coresPerChip: number; requiredNonces: number; judged: boolean; chips: ChipCoverage[] };
}

export async function hashingSteps(ctx: StepContext, clock: Clock, found: number): Promise<HashingStepsResult> {
  const { board, options: o } = ctx;
  const cores = board.coresPerChip;
  const required = requiredValidNonces(found, cores, o.pMissPerCore);
  const effDiff = effectiveTicketDifficulty(board);
  const expectedHs = board.expectedHashrateHs(board.frequencyMhz) * (found / Math.max(1, board.chipsExpected));
  // Enough for both judgements: silent cores (per-core Poisson) and the hashrate ratio.
  const target = board.emulated ? required : Math.max(required, o.minNoncesForHashrate);
  const rateHz = nonceRateHz(expectedHs, effDiff);
  const plannedMs = board.emulated ? null : rateHz > 0 ? (target / rateHz) * 1000 : Infinity;
  const run = await runHashSession(
    board,
    clock,
    { tickMs: o.tickMs, sensorPollMs: o.sensorPollMs, abortTempC: o.abortTempC, badReadingsToAbort: 3, makeJob: o.makeJob },
    {
      minMs: o.minHashRunMs,
      maxMs: o.maxHashRunMs,
      enough: (valid) => valid >= target,
      onTick: (elapsed, valid) => ctx.progress(Math.max(elapsed / o.maxHashRunMs, valid / target), `${valid} / ${target} valid nonces`),
    },
  );

  const total = run.validNonces + run.hwErrors;
  const hwFraction = total > 0 ? run.hwErrors / total : 0;
  const runFigures = {
    durationMs: run.durationMs,
    validNonces: run.validNonces,
    hwErrors: run.hwErrors,
    hwErrorFraction: round(hwFraction, 5),
    staleNonces: run.unknownJobNonces,
    effectiveTicketDifficulty: effDiff,
  };
  let hashing: StepOutcome;
  if (run.abortedReason) hashing = outcome('fail', run.abortedReason, runFigures);
  else if (run.validNonces === 0)
    hashing = outcome('fail', `No valid nonce came back in ${(run.durationMs / 1000).toFixed(1)} s of hashing${run.hwErrors ? ` (${run.hwErrors} invalid)` : ''}.`, runFigures);
  else if (hwFraction > o.maxHwErrorFraction) {
    hashing = outcome('fail', `${(hwFraction * 100).toFixed(2)} % of nonces were invalid (limit ${(o.maxHwErrorFraction * 100).toFixed(2)} %).`, runFigures);
  } else hashing = outcome('pass', `${run.validNonces} valid nonces, ${run.hwErrors} invalid, in ${(run.durationMs / 1000).toFixed(1)} s.`, runFigures);

  // Per-core map. Core ids beyond the rated count (a chip's id field can be wider) widen the space.
  let coreSpace = cores;
  for (const c of run.perChip.values()) for (const id of c.coreCounts.keys()) coreSpace = Math.max(coreSpace, id + 1);
  const chips: ChipCoverage[] = [];
  for (let i = 0; i < found; i++) {
    const c = run.perChip.get(i);
    const coreCounts = Array.from({ length: coreSpace }, (_, id) => c?.coreCounts.get(id) ?? 0);
    const silentCores = coreCounts.slice(0, cores).flatMap((n, id) => (n === 0 ? [id] : []));
    chips.push({ index: i, validNonces: c?.valid ?? 0, hwErrors: c?.hwErrors ?? 0, coreCounts, silentCores });
  }
  const lambda = run.validNonces / (found * coreSpace);
  const judged = found > 0 && lambda >= noncesPerCoreNeeded(o.pMissPerCore);
  const mapFigures = {
    coresPerChip: cores,
    requiredValidNonces: required,
    validNonces: run.validNonces,
    meanNoncesPerCore: round(lambda, 2),
    pMissPerCore: o.pMissPerCore,
    pMissAchieved: found > 0 ? Number(missProbability(run.validNonces, found * coreSpace).toPrecision(3)) : null,
    plannedRunS: plannedMs === null || !Number.isFinite(plannedMs) ? null : Math.round(plannedMs / 1000),
  };
  let coreMap: StepOutcome;
  const deadChips = chips.filter((c) => c.validNonces === 0);
  if (found === 0) coreMap = outcome('skipped', 'No chips to map.', mapFigures);
  else if (run.validNonces === 0) coreMap = outcome('fail', 'No chip returned a valid nonce.', mapFigures);
  else if (deadChips.length > 0 && judged) {
    coreMap = outcome('fail', deadChips.map((c) => `Chip ${c.index + 1} returned no valid nonce.`).join(' '), mapFigures);
  } else if (!judged) {
    coreMap = outcome(
      'skipped',
      `The run gave ${run.validNonces} valid nonces; ${required} are needed to call a silent core dead with P(miss) < ${o.pMissPerCore}. Lower the ticket difficulty or allow a longer run${plannedMs !== null && Number.isFinite(plannedMs) ? ` (about ${Math.ceil(plannedMs / 1000)} s at the expected hashrate)` : ''}.`,
      mapFigures,
    );
  } else {
    const withSilent = chips.filter((c) => c.silentCores.length > 0);
    coreMap =
      withSilent.length === 0
        ? outcome('pass', `Every core of ${found} chip${found === 1 ? '' : 's'} answered (${cores} per chip).`, mapFigures)
        : outcome('fail', withSilent.map((c) => `Chip ${c.index + 1}: core${c.silentCores.length > 1 ? 's' : ''} ${formatIdList(c.silentCores)} never answered.`).join(' '), mapFigures);
  }

  const ratio = expectedHs > 0 ? run.hashrateHs / expectedHs : 0;
  const rateFigures = {
    hashrateHs: Math.round(run.hashrateHs),
    expectedHashrateHs: Math.round(expectedHs),
    ratio: round(ratio, 3),
    minRatio: o.hashrateMinFraction,
    frequencyMhz: board.frequencyMhz,
  };
  let hashrate: StepOutcome;
  if (board.emulated) hashrate = outcome('n/a', `Emulated board (difficulty scale 2^-${board.scaleBits}): hashrate is not judged against the chip's rating.`, rateFigures);
  else if (run.validNonces === 0 || run.abortedReason) hashrate = outcome('skipped', 'The hashing run gave no usable measurement.', rateFigures);
  else if (run.validNonces < o.minNoncesForHashrate) {
    hashrate = outcome(
      'skipped',
      `Only ${run.validNonces} valid nonces; ${o.minNoncesForHashrate} are needed to measure hashrate within the 15 % margin. Lower the ticket difficulty or allow a longer run.`,
      rateFigures,
    );
  } else if (ratio >= o.hashrateMinFraction) hashrate = outcome('pass', `${formatHs(run.hashrateHs)} is ${(ratio * 100).toFixed(1)} % of the expected ${formatHs(expectedHs)}.`, rateFigures);
  else hashrate = outcome('fail', `${formatHs(run.hashrateHs)} is only ${(ratio * 100).toFixed(1)} % of the expected ${formatHs(expectedHs)} (needs ${o.hashrateMinFraction * 100} %).`, rateFigures);

  return { run, hashing, coreMap, hashrate, coverage: { coresPerChip: cores, requiredNonces: required, judged, chips } };
}

/** Hashrate as text (the one formatter, src-main/format/units.ts). */
export function formatHs(hs: number): string {
  return formatHashrate(hs);
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
