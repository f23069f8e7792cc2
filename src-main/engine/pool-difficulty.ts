/**
 * A pool difficulty too high for the rig makes progress look erratic: fewer than one share per
 * 10 minutes. The check runs with every snapshot and raises (or clears) one warning.
 */
import { formatDifficulty, formatHashrate } from '@shared/format.js';
import type { PoolSnapshot } from '@shared/contract';
import type { Warnings } from './warnings.js';
import type { EventBus } from '@shared/bus.js';
import type { Board } from '../boards/board.js';
import type { Stats } from '../stats/stats.js';

/** Above this many seconds between expected shares the pool difficulty is too high for the board(s). */
export const SLOW_SHARE_INTERVAL_S = 600;

/** Seconds between shares expected at `difficulty` for `hashrateHs` (difficulty 1 = 2^32 hashes). */
export function expectedShareIntervalS(difficulty: number, hashrateHs: number): number | null {
  if (!(difficulty > 0) || !(hashrateHs > 0) || !Number.isFinite(difficulty) || !Number.isFinite(hashrateHs)) return null;
  return (difficulty * 2 ** 32) / hashrateHs;
}

/** The warning text when fewer than one share per 10 minutes is expected, else null. */
export function slowShareWarning(poolUrl: string, difficulty: number, hashrateHs: number): string | null {
  const intervalS = expectedShareIntervalS(difficulty, hashrateHs);
  if (intervalS === null || intervalS <= SLOW_SHARE_INTERVAL_S) return null;
  const every = intervalS >= 7200 ? `${(intervalS / 3600).toFixed(1)} h` : `${Math.round(intervalS / 60)} min`;
  return `Pool ${poolUrl} set difficulty ${formatDifficulty(difficulty)}: at ${formatHashrate(hashrateHs)} that is one share every ${every} on average, so progress will look erratic. Ask for a lower difficulty (--suggest-difficulty) or use a pool that allows it.`;
}

const WARNING_ID = 'pool-difficulty';

/**
 * Raise or clear the warning for the active pool. `hashrateHs` is what the hashing boards do
 * (rated for real boards; measured for emulated ones once a minute of nonces makes it worth judging).
 */
export function checkPoolDifficulty(active: PoolSnapshot | undefined, hashrateHs: number, warnings: Warnings, bus: EventBus): void {
  const text = active && active.difficulty !== null ? slowShareWarning(active.url, active.difficulty, hashrateHs) : null;
  if (text === null) {
    if (hashrateHs > 0 || !active) warnings.clear(WARNING_ID);
    return;
  }
  const existing = warnings.get(WARNING_ID);
  // One event per difficulty, not per second: the text moves with the hashrate, the difficulty does not.
  if (existing && existing.text.startsWith(text.slice(0, text.indexOf(': at ')))) {
    warnings.refresh(WARNING_ID, text);
    return;
  }
  warnings.raise(WARNING_ID, 'warn', text, null);
  bus.log('warn', 'work', text);
}

/**
 * What the hashing boards do, for judging a pool difficulty: the rating of real boards; for emulated
 * ones (which hash at the emulator's rate, not the silicon's) what they measure, once a minute of
 * nonces since the first job makes the figure worth judging.
 */
export function rigHashrateForShares(boards: Iterable<Board>, stats: Stats, firstJobAtMs: number | null, nowMs: number): number {
  const measuredLongEnough = firstJobAtMs !== null && nowMs - firstJobAtMs >= 60_000;
  let hashrateHs = 0;
  for (const b of boards) {
    if (b.state !== 'hashing') continue;
    if (b.config.emulated) hashrateHs += measuredLongEnough ? stats.hashrateSinceStartHs(b.id) : 0;
    else hashrateHs += b.expectedHashrateHs;
  }
  return hashrateHs;
}
