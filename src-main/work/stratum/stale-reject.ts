/**
 * The one rule for "the pool refused this share because it came too late for its job": such a
 * share is counted as stale, not as rejected. The Stratum source uses it for the pool panel
 * counters and stats for the board totals, so both always agree.
 * Pools word it freely (docs/stratum-and-gbt.md §1.9): public-pool answers error code 21
 * "Job not found"; ckpool says "Invalid JobID" (unknown id) or "Stale" (job from before the last
 * block change); others say "too late", "expired", "unknown job". Pure: no imports.
 */

/** Stratum error code "Job not found" (public-pool's enum; codes 20–25 are the usual convention). */
export const JOB_NOT_FOUND_CODE = 21;

/** The pool no longer knows the job id. */
const JOB_GONE = /job.?(?:id.?)?not.?found|unknown.?job|invalid.?job|no.?such.?job|job.*gone/i;
/** The pool knows the job was replaced (usually a new block) or the share missed its deadline. */
const TOO_LATE = /stale|too.?late|expired|old.?job/i;

/** Why a reject counts as stale: the job id is gone, or the share was too late for it. */
export type StaleRejectKind = 'job-not-found' | 'stale';

/** The kind of stale reject, or null when the reply is a real rejection (or no reason at all). */
export function staleRejectKind(code: number | null, reason: string | null | undefined): StaleRejectKind | null {
  if (code === JOB_NOT_FOUND_CODE) return 'job-not-found';
  if (!reason) return null;
  if (JOB_GONE.test(reason)) return 'job-not-found';
  if (TOO_LATE.test(reason)) return 'stale';
  return null;
}

/** True when a reject (error code, if any, and the pool's reason text) means "too late": count as stale. */
export function isStaleReject(code: number | null, reason: string | null | undefined): boolean {
  return staleRejectKind(code, reason) !== null;
}
