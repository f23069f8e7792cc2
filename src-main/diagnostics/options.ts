/**
 * Diagnostics thresholds. Defaults follow ESP-Miner's self-test and the board-test synthesis in
 * docs/features.md §(d)3: hashrate ≥ 85 % of expected, abort above 70 °C, input ±10 % of 5 V,
 * core voltage ±10 % of the setpoint, power ≤ target + 3 W (15 W single-chip), fan tach ≥ 1000 RPM
 * at 100 %, VR ≤ 86 °C (Bitaxe-Hashrate-Benchmark).
 */
import type { DiagnosticJobFields } from './board-under-test.js';
import type { Clock } from './clock.js';
import type { DiagnosticsProgress } from '@shared/diagnostics-report.js';

export interface SweepStep {
  frequencyMhz: number;
  /** Set only where the board has a host-settable regulator. */
  coreVoltageV?: number;
}

export interface DiagnosticsOptions {
  /** Acceptable chance that a live core is called dead (per core). */
  pMissPerCore: number;
  minHashRunMs: number;
  maxHashRunMs: number;
  tickMs: number;
  sensorPollMs: number;
  abortTempC: number;
  maxVrTempC: number;
  hashrateMinFraction: number;
  /**
   * Valid nonces needed before hashrate is judged: the count is Poisson, so N nonces measure the
   * rate to ±1/√N; 400 puts the 15 % margin at 3σ.
   */
  minNoncesForHashrate: number;
  maxHwErrorFraction: number;
  nominalInputV: number;
  inputVoltageTolerance: number;
  coreVoltageTolerance: number;
  powerLimitW: number;
  minFanRpm: number;
  fanSpinUpMs: number;
  knownAnswerTimeoutMs: number;
  /** The known-answer job starts this many nonces before the answer. */
  knownAnswerLeadNonces: number;
  /** Registers checked per chip besides CHIP_ID, with the value expected. */
  registerChecks: { register: number; expected: number; mask?: number; label: string }[];
  sweep: { steps: SweepStep[]; stepMs: number } | null;
  /** Work for the hashing runs (default: random merkle roots; tests pass a deterministic one). */
  makeJob: ((nowMs: number) => DiagnosticJobFields) | null;
  clock: Clock;
  onProgress: (event: DiagnosticsProgress) => void;
}

export const DEFAULT_DIAGNOSTICS_OPTIONS: Omit<DiagnosticsOptions, 'clock' | 'onProgress'> = {
  pMissPerCore: 1e-3,
  minHashRunMs: 10_000,
  maxHashRunMs: 180_000,
  tickMs: 250,
  sensorPollMs: 2000,
  abortTempC: 70,
  maxVrTempC: 86,
  hashrateMinFraction: 0.85,
  minNoncesForHashrate: 400,
  maxHwErrorFraction: 0.01,
  nominalInputV: 5.0,
  inputVoltageTolerance: 0.1,
  coreVoltageTolerance: 0.1,
  powerLimitW: 15,
  minFanRpm: 1000,
  fanSpinUpMs: 3000,
  knownAnswerTimeoutMs: 10_000,
  knownAnswerLeadNonces: 0x1000,
  registerChecks: [],
  sweep: null,
  makeJob: null,
};
