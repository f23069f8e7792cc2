/**
 * One timed hashing run on a board under test: sends fresh synthetic jobs at the board's job
 * interval, re-hashes every returned nonce on the host against the (scaled) ticket target, counts
 * per chip and per core, samples the sensors, and stops early when the ASIC gets too hot.
 */
import { randomBytes } from 'node:crypto';
import { headerHash } from '../bitcoin/header.js';
import { hashMeetsTarget } from '../bitcoin/target.js';
import { ticketTarget } from '../chips/bm13xx/ticket.js';
import type { SensorReadings } from '../boards/control/board-control.js';
import { isPlausibleTemperature } from '../boards/control/thermal-guard.js';
import type { BoardUnderTest, DiagnosticJobFields, DiagnosticNonce } from './board-under-test.js';
import type { Clock } from './clock.js';

export interface ChipCounts {
  valid: number;
  hwErrors: number;
  coreCounts: Map<number, number>;
}

export interface HashRunResult {
  durationMs: number;
  validNonces: number;
  hwErrors: number;
  /** Nonces for a job this run did not send (or already forgot). */
  unknownJobNonces: number;
  /** Difficulty-weighted: valid nonces × effective ticket difficulty × 2^32 / seconds. */
  hashrateHs: number;
  perChip: Map<number, ChipCounts>;
  samples: SensorReadings[];
  abortedReason: string | null;
}

export interface HashRunLimits {
  minMs: number;
  maxMs: number;
  /** Stop early once this is true (checked on every tick after minMs). */
  enough?: (validNonces: number) => boolean;
  onTick?: (elapsedMs: number, validNonces: number) => void;
}

export interface HashSessionOptions {
  tickMs: number;
  sensorPollMs: number;
  abortTempC: number;
  badReadingsToAbort: number;
  makeJob?: ((nowMs: number) => DiagnosticJobFields) | null;
}

/** Jobs remembered for validation; older ones count as unknown (the chips' slots are reused too). */
const JOB_MEMORY = 64;

export function effectiveTicketDifficulty(board: Pick<BoardUnderTest, 'ticketDifficulty' | 'scaleBits'>): number {
  return board.ticketDifficulty * 2 ** -board.scaleBits;
}

/**
 * The exact target the chips apply: 32 + p leading zero bits, i.e. 2^(224−p+K) − 1 with the emulator
 * scale K (docs/bm13xx-protocol.md §4). DIFF1 / ticket is ~1/65536 lower, which would call that
 * share of genuine nonces hardware errors.
 */
export function chipTicketTarget(board: Pick<BoardUnderTest, 'ticketDifficulty' | 'scaleBits'>): bigint {
  return ticketTarget(board.ticketDifficulty, board.scaleBits);
}

export function syntheticJob(nowMs: number): DiagnosticJobFields {
  return {
    version: 0x20000000,
    prevHash: randomBytes(32),
    merkleRoot: randomBytes(32),
    ntime: Math.floor(nowMs / 1000),
    nbits: 0x1d00ffff,
  };
}

export function checkNonce(fields: DiagnosticJobFields, n: Pick<DiagnosticNonce, 'nonce' | 'version'>, target: bigint): { valid: boolean; hash: Buffer } {
  const hash = headerHash({ ...fields, version: n.version, nonce: n.nonce });
  return { valid: hashMeetsTarget(hash, target), hash };
}

export async function runHashSession(board: BoardUnderTest, clock: Clock, options: HashSessionOptions, limits: HashRunLimits): Promise<HashRunResult> {
  const target = chipTicketTarget(board);
  const jobs = new Map<number, DiagnosticJobFields>();
  const result: HashRunResult = {
    durationMs: 0,
    validNonces: 0,
    hwErrors: 0,
    unknownJobNonces: 0,
    hashrateHs: 0,
    perChip: new Map(),
    samples: [],
    abortedReason: null,
  };
  let running = true;
  const off = board.onNonce((n) => {
    if (!running) return;
    const fields = jobs.get(n.jobHandle);
    if (!fields) {
      result.unknownJobNonces += 1;
      return;
    }
    let chip = result.perChip.get(n.chipIndex);
    if (!chip) result.perChip.set(n.chipIndex, (chip = { valid: 0, hwErrors: 0, coreCounts: new Map() }));
    if (checkNonce(fields, n, target).valid) {
      result.validNonces += 1;
      chip.valid += 1;
      chip.coreCounts.set(n.coreId, (chip.coreCounts.get(n.coreId) ?? 0) + 1);
    } else {
      result.hwErrors += 1;
      chip.hwErrors += 1;
    }
  });

  const startMs = clock.now();
  let nextJobMs = startMs;
  let nextSensorMs = startMs;
  let badReadings = 0;
  try {
    for (;;) {
      const now = clock.now();
      const elapsed = now - startMs;
      if (now >= nextJobMs) {
        const fields = (options.makeJob ?? syntheticJob)(now);
        const handle = await board.sendJob(fields, 0);
        jobs.delete(handle); // a reused handle now means the new job
        jobs.set(handle, fields);
        if (jobs.size > JOB_MEMORY) jobs.delete(jobs.keys().next().value!);
        nextJobMs = now + board.jobIntervalMs;
      }
      if (board.control && now >= nextSensorMs) {
        nextSensorMs = now + options.sensorPollMs;
        const s = await board.control.readSensors();
        result.samples.push(s);
        if (!isPlausibleTemperature(s.asicTempC)) {
          badReadings += 1;
          if (badReadings >= options.badReadingsToAbort) {
            result.abortedReason = `The ASIC temperature could not be read plausibly ${badReadings} times in a row; the run was stopped to be safe.`;
            break;
          }
        } else {
          badReadings = 0;
          if (s.asicTempC > options.abortTempC) {
            result.abortedReason = `The ASIC reached ${s.asicTempC.toFixed(1)} °C, above the ${options.abortTempC} °C test limit; the run was stopped.`;
            break;
          }
        }
      }
      limits.onTick?.(elapsed, result.validNonces);
      if (elapsed >= limits.maxMs) break;
      if (elapsed >= limits.minMs && limits.enough?.(result.validNonces)) break;
      await clock.sleep(Math.max(1, Math.min(options.tickMs, nextJobMs - clock.now(), limits.maxMs - elapsed)));
    }
  } finally {
    result.durationMs = clock.now() - startMs;
    running = false;
    off();
    await board.stopHashing();
  }
  result.hashrateHs = result.durationMs > 0 ? (result.validNonces * effectiveTicketDifficulty(board) * 2 ** 32) / (result.durationMs / 1000) : 0;
  return result;
}
