/**
 * What the server writes to a miner, in the shapes pools use (docs/stratum-and-gbt.md §8.2):
 * a reply `{id, result, error}` per request, errors as `[code, message, null]` with the usual
 * codes 20–25, and notifications `{id: null, method, params}`. Each message is one JSON line.
 */

/** Stratum error codes as public-pool and most pools number them (§1.9, §8.2). */
export const STRATUM_ERROR = {
  other: 20,
  jobNotFound: 21,
  duplicate: 22,
  lowDifficulty: 23,
  unauthorized: 24,
  notSubscribed: 25,
} as const;
export type StratumErrorCode = (typeof STRATUM_ERROR)[keyof typeof STRATUM_ERROR];

export type RequestId = number | string | null;

/** A rejection: the code and a short message (both go to the miner and to the statistics). */
export interface StratumRejection {
  code: StratumErrorCode;
  message: string;
}

export function resultLine(id: RequestId, result: unknown): string {
  return `${JSON.stringify({ id, result, error: null })}\n`;
}

export function errorLine(id: RequestId, rejection: StratumRejection): string {
  return `${JSON.stringify({ id, result: null, error: [rejection.code, rejection.message, null] })}\n`;
}

export function notificationLine(method: string, params: unknown[]): string {
  return `${JSON.stringify({ id: null, method, params })}\n`;
}
