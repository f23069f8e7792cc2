/**
 * mining.notify params (docs/stratum-and-gbt.md §1.5), checked by hand: a notify is the one message
 * on the way from the pool to the chips, so it skips the schema library that every other message
 * goes through, with the same rules and the same kind of reason (`params.<index>: <what>`):
 *
 *   [job_id (1–256 chars), prevhash (64 hex), coinb1 (hex), coinb2 (hex),
 *    merkle_branch (≤ 32 × 64 hex), version (8 hex), nbits (8 hex), ntime (8 hex), …, clean_jobs]
 *
 * Nine params or more; clean_jobs is always the LAST one and a boolean. Hex comes back lower-case.
 */

/** ESP-Miner caps branches at 32 (§1.1); a real block needs at most ~14. */
export const MAX_MERKLE_BRANCHES = 32;

export interface NotifyParams {
  jobId: string;
  prevHashHex: string;
  coinb1Hex: string;
  coinb2Hex: string;
  merkleBranchesHex: string[];
  versionHex: string;
  nbitsHex: string;
  ntimeHex: string;
  cleanJobs: boolean;
}

export type NotifyParse = { ok: true; value: NotifyParams } | { ok: false; error: string };

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const HEX8 = /^[0-9a-fA-F]{8}$/;
const HASH64 = /^[0-9a-fA-F]{64}$/;

class NotifyError extends Error {}

function text(value: unknown, at: string, pattern: RegExp | null, what: string): string {
  if (typeof value !== 'string') throw new NotifyError(`${at}: expected a string`);
  if (pattern !== null && !pattern.test(value)) throw new NotifyError(`${at}: ${what}`);
  return value;
}

/** Validate and normalise the params of a mining.notify. Never throws. */
export function parseNotifyParams(params: unknown): NotifyParse {
  try {
    if (!Array.isArray(params)) throw new NotifyError('params: expected an array');
    if (params.length < 9 || typeof params[params.length - 1] !== 'boolean') throw new NotifyError('params: notify needs ≥ 9 params with clean_jobs (boolean) last');
    const jobId = text(params[0], 'params.0', null, '');
    if (jobId.length < 1 || jobId.length > 256) throw new NotifyError('params.0: a job id has 1 to 256 characters');
    const branches: unknown = params[4];
    if (!Array.isArray(branches)) throw new NotifyError('params.4: expected an array');
    if (branches.length > MAX_MERKLE_BRANCHES) throw new NotifyError(`params.4: at most ${MAX_MERKLE_BRANCHES} branches`);
    const merkleBranchesHex = branches.map((b, i) => text(b, `params.4.${i}`, HASH64, '64 hex digits').toLowerCase());
    return {
      ok: true,
      value: {
        jobId,
        prevHashHex: text(params[1], 'params.1', HASH64, '64 hex digits').toLowerCase(),
        coinb1Hex: text(params[2], 'params.2', HEX, 'hex string').toLowerCase(),
        coinb2Hex: text(params[3], 'params.3', HEX, 'hex string').toLowerCase(),
        merkleBranchesHex,
        versionHex: text(params[5], 'params.5', HEX8, '8 hex digits').toLowerCase(),
        nbitsHex: text(params[6], 'params.6', HEX8, '8 hex digits').toLowerCase(),
        ntimeHex: text(params[7], 'params.7', HEX8, '8 hex digits').toLowerCase(),
        cleanJobs: params[params.length - 1] as boolean,
      },
    };
  } catch (err) {
    if (err instanceof NotifyError) return { ok: false, error: err.message };
    throw err;
  }
}
