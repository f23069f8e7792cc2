/**
 * A tuning run on a board that keeps mining: the setting it runs at is measured first (the
 * baseline), then the plan's steps one by one (tune-plan.ts). Each step is applied, left to settle,
 * then measured: hashrate from the nonces the engine judged (on an emulator: the rated hashrate at
 * that frequency times the share of good nonces, labelled modelled), power, temperatures and the
 * hardware-error rate. A sensor limit broken at any moment of a step ends that step at once and the
 * last good setting is restored; too many hardware errors are undone the same way. At the end the
 * profiles are chosen (profiles.ts) and the one asked for is applied. A stopped run restores the
 * setting the board had before it.
 */
import type { BoardState, OperatingPoint, OperatingSource, TuneLimits, TuneProfile, TuneProgress, TuneRow } from '@shared/contract';
import { HASHES_PER_DIFFICULTY } from '@shared/economics.js';
import type { SensorReadings } from '../boards/control/board-control.js';
import { chooseProfiles, PROFILE_LABEL, type ChosenProfiles } from './profiles.js';
import { TunePlanner, type StepVerdict } from './tune-plan.js';
import { hwErrorLimitBroken, sensorLimitBroken } from './tune-limits.js';

/** What a tuning run needs from a board. */
export interface TunableBoard {
  readonly name: string;
  readonly emulated: boolean;
  readonly state: BoardState;
  readonly operatingPoint: OperatingPoint;
  readonly voltageSettable: boolean;
  readonly sensors: SensorReadings | null;
  /** Hashes one valid nonce stands for, in units of 2^32 (the scaled ticket difficulty). */
  readonly ticketWeight: number;
  /** Rated hashrate of the board's chips at a frequency. */
  ratedHashrateHs(frequencyMhz: number): number;
  /** Hashrate from the chips' hash counters, where they have them (a far steadier figure than a minute of nonces). */
  counterHashrateHs?(): number | null;
  setOperatingPoint(point: { frequencyMhz?: number; coreVoltageV?: number }, source: OperatingSource): Promise<void>;
  /** Every nonce the engine judged for this board; returns the unsubscribe. */
  onNonce(listener: (verdict: 'valid' | 'hw-error' | 'stale') => void): () => void;
}

export interface TuneClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface TuneRunOptions {
  profile: TuneProfile;
  limits: TuneLimits;
  frequencyStepMhz: number;
  voltageStepMv: number;
  /** Time each step is measured, after `settleMs`. */
  stepMs: number;
  settleMs: number;
  /** How often sensors and nonce counts are looked at. */
  tickMs: number;
  clock: TuneClock;
  signal: AbortSignal;
  onProgress(progress: TuneProgress): void;
}

export interface TuneRunResult {
  cancelled: boolean;
  baseline: TuneRow | null;
  rows: TuneRow[];
  profiles: ChosenProfiles;
  /** The setting applied at the end (the chosen profile, or the one restored). */
  applied: OperatingPoint | null;
  appliedSource: OperatingSource | null;
  text: string;
}

/** Judged nonces after which a step whose error rate is already 3× the limit is cut short. */
const EARLY_ERROR_JUDGED = 60;

class TuneStopped extends Error {}

export async function runTune(board: TunableBoard, o: TuneRunOptions): Promise<TuneRunResult> {
  const start = board.operatingPoint;
  const rows: TuneRow[] = [];
  let baseline: TuneRow | null = null;
  let lastGood: OperatingPoint = start;
  let index = 0;
  /** The lowest power at which a sensor limit broke: the profile is chosen below it. */
  let powerCeilingW: number | null = null;
  o.onProgress({ type: 'started', atMs: o.clock.now(), profile: o.profile, limits: o.limits, modelled: board.emulated, from: start });
  const apply = (p: OperatingPoint, source: OperatingSource): Promise<void> =>
    board.setOperatingPoint({ frequencyMhz: p.frequencyMhz, ...(p.coreVoltageMv !== null && board.voltageSettable ? { coreVoltageV: p.coreVoltageMv / 1000 } : {}) }, source);
  try {
    o.onProgress({ type: 'measuring', atMs: o.clock.now(), index, point: start, baseline: true });
    baseline = (await measureStep(board, start, o)).row;
    index++;
    o.onProgress({ type: 'step', atMs: o.clock.now(), index: 0, row: baseline, baseline: true });
    if (baseline.withinLimits) rows.push(baseline);
    else {
      // Already outside the limits where it stands: nothing above it can be tried.
      return await finish(chooseProfiles(rows), `The setting it ran at already breaks a limit: ${baseline.limit}`);
    }
    const planner = new TunePlanner({ limits: o.limits, frequencyStepMhz: o.frequencyStepMhz, voltageStepMv: o.voltageStepMv, voltageSettable: board.voltageSettable });
    for (let point = planner.next(); point !== null; point = planner.next()) {
      if (o.signal.aborted) throw new TuneStopped();
      o.onProgress({ type: 'measuring', atMs: o.clock.now(), index, point, baseline: false });
      await apply(point, 'tuning');
      const { row, verdict } = await measureStep(board, point, o);
      rows.push(row);
      if (verdict === 'ok') {
        lastGood = point;
        o.onProgress({ type: 'step', atMs: o.clock.now(), index, row, baseline: false });
      } else {
        // Undone at once: back to the last setting that kept every limit.
        await apply(lastGood, 'tuning');
        if (verdict === 'limit' && row.powerW !== null) powerCeilingW = Math.min(powerCeilingW ?? Infinity, row.powerW);
        o.onProgress({ type: 'limit', atMs: o.clock.now(), index, row, text: row.limit ?? 'A limit broke.', restored: lastGood });
      }
      planner.report(verdict);
      index++;
    }
    return await finish(chooseProfiles(rows, powerCeilingW), null);
  } catch (err) {
    const stopped = err instanceof TuneStopped || o.signal.aborted;
    const why = stopped ? 'Tuning stopped' : `Tuning failed: ${(err as Error).message}`;
    let restored: OperatingPoint | null = null;
    if (board.state === 'hashing') {
      restored = start;
      await apply(start, 'tuning').catch(() => (restored = null));
    }
    const text = `${why}; ${restored ? `back at ${describePoint(start)}` : 'the setting could not be restored'}.`;
    o.onProgress(stopped ? { type: 'stopped', atMs: o.clock.now(), text, restored } : { type: 'error', atMs: o.clock.now(), text });
    return { cancelled: true, baseline, rows, profiles: chooseProfiles(rows, powerCeilingW), applied: restored, appliedSource: null, text };
  }

  async function finish(profiles: ChosenProfiles, problem: string | null): Promise<TuneRunResult> {
    const chosen = profiles[o.profile];
    let applied: OperatingPoint;
    let source: OperatingSource;
    let text: string;
    if (chosen) {
      applied = { frequencyMhz: chosen.frequencyMhz, coreVoltageMv: chosen.coreVoltageMv };
      source = o.profile;
      text = `${PROFILE_LABEL[o.profile]} applied: ${describePoint(applied)}${describeRow(chosen)}.`;
    } else {
      applied = lastGood;
      source = 'tuning';
      text = `${problem ?? `No step gave a ${PROFILE_LABEL[o.profile]} setting (${o.profile === 'max' ? 'no step kept the limits' : 'no power figures for J/TH'})`}; back at ${describePoint(applied)}.`;
    }
    await apply(applied, source);
    return { cancelled: false, baseline, rows, profiles, applied, appliedSource: source, text };
  }
}

/** Apply nothing: measure the board where it stands for settle + step time. */
async function measureStep(board: TunableBoard, point: OperatingPoint, o: TuneRunOptions): Promise<{ row: TuneRow; verdict: StepVerdict }> {
  let valid = 0;
  let hwErrors = 0;
  let measuring = false;
  const off = board.onNonce((verdict) => {
    if (!measuring) return;
    if (verdict === 'valid') valid++;
    else if (verdict === 'hw-error') hwErrors++;
  });
  const readings: SensorReadings[] = [];
  const measured: SensorReadings[] = [];
  const counterRates: number[] = [];
  let lastAtMs = board.sensors?.atMs ?? -Infinity;
  let limit: string | null = null;
  const startedAt = o.clock.now();
  let measureFrom = startedAt + o.settleMs;
  try {
    for (;;) {
      await o.clock.sleep(o.tickMs);
      if (o.signal.aborted) throw new TuneStopped();
      if (board.state !== 'hashing') throw new Error(`board ${board.name} stopped hashing (${board.state})`);
      const now = o.clock.now();
      if (!measuring && now >= measureFrom) {
        measuring = true;
        measureFrom = now;
      }
      if (measuring) {
        const counted = board.counterHashrateHs?.() ?? null;
        if (counted !== null && counted > 0) counterRates.push(counted);
      }
      const r = board.sensors;
      if (r && r.atMs !== lastAtMs) {
        lastAtMs = r.atMs;
        readings.push(r);
        if (measuring) measured.push(r);
        limit = sensorLimitBroken(r, o.limits);
        if (limit) break;
      }
      if (measuring && valid + hwErrors >= EARLY_ERROR_JUDGED && hwErrors / (valid + hwErrors) > 3 * o.limits.maxHwErrorFraction) break;
      if (measuring && now - measureFrom >= o.stepMs) break;
    }
  } finally {
    off();
  }
  const durationMs = measuring ? o.clock.now() - measureFrom : 0;
  const judged = valid + hwErrors;
  const hwErrorFraction = judged > 0 ? hwErrors / judged : 0;
  const verdict: StepVerdict = limit !== null ? 'limit' : hwErrorLimitBroken(hwErrors, judged, o.limits) !== null ? 'hw-errors' : 'ok';
  limit ??= hwErrorLimitBroken(hwErrors, judged, o.limits);
  // An emulator hashes on the CPU: its rate says nothing about the chips, so the model's figure is
  // the rated hashrate at this frequency, less the share of nonces that were errors. Real chips:
  // the hash counters where they have them (less the error share), else the nonces counted.
  const counterHs = counterRates.length > 0 ? counterRates.reduce((a, b) => a + b, 0) / counterRates.length : null;
  const nonceHs = durationMs > 0 ? (valid * board.ticketWeight * HASHES_PER_DIFFICULTY) / (durationMs / 1000) : 0;
  const hashrateHs = board.emulated ? board.ratedHashrateHs(point.frequencyMhz) * (1 - hwErrorFraction) : counterHs !== null ? counterHs * (1 - hwErrorFraction) : nonceHs;
  const powerSource = measured.length > 0 ? measured : readings;
  const powers = powerSource.map((r) => r.powerW).filter((p): p is number => p !== null);
  const powerW = powers.length > 0 ? powers.reduce((a, b) => a + b, 0) / powers.length : null;
  const max = (values: (number | null)[]): number | null => {
    const v = values.filter((x): x is number => x !== null);
    return v.length > 0 ? Math.max(...v) : null;
  };
  const row: TuneRow = {
    frequencyMhz: point.frequencyMhz,
    coreVoltageMv: point.coreVoltageMv,
    hashrateHs,
    powerW,
    jPerTh: powerW !== null && hashrateHs > 0 ? powerW / (hashrateHs / 1e12) : null,
    asicTempMaxC: max(readings.map((r) => r.asicTempC)),
    vrTempMaxC: max(readings.map((r) => r.vrTempC)),
    hwErrorFraction,
    validNonces: valid,
    hwErrors,
    durationMs,
    withinLimits: limit === null,
    limit,
    modelled: board.emulated,
  };
  return { row, verdict };
}

export function describePoint(p: OperatingPoint): string {
  return `${p.frequencyMhz} MHz${p.coreVoltageMv === null ? '' : ` / ${p.coreVoltageMv} mV`}`;
}

function describeRow(r: TuneRow): string {
  const hs = `${(r.hashrateHs / 1e9).toFixed(1)} GH/s`;
  const j = r.jPerTh === null ? '' : `, ${r.jPerTh.toFixed(1)} J/TH`;
  return ` (${hs}${j}${r.modelled ? ', modelled' : ''})`;
}
