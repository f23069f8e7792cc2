/**
 * Every nonce a chip returns is re-hashed here before anything else happens to it
 * (docs/bm13xx-protocol.md §4.3). Classification uses exact bigint targets:
 *  - stale: the chip job id is not one we sent (nothing to re-hash against);
 *  - hw-error: the rebuilt header does not meet the ticket target the chip was given
 *    (scaled by 2^K for an emulated board);
 *  - valid: it does. It is a share if it also meets the job's share target, and a block
 *    candidate if it meets the network target. Whether the job is still live (a late nonce after
 *    clean_jobs is a stale share, never submitted) is the caller's decision.
 */
import { encodeHeader, HEADER_BYTES } from '../bitcoin/header.js';
import { sha256d } from '../bitcoin/sha256d.js';
import { difficultyOfHash, hashToBigInt } from '../bitcoin/target.js';
import type { ChipNonce, Job, Share, ValidatedNonce } from './job.js';

export interface TicketContext {
  /** Exact target the chip (or emulator at scale K) applies. */
  ticketTarget: bigint;
  /** Hashrate weight of one valid nonce: effective ticket difficulty × 2^-K. */
  weight: number;
}

const headerScratch = Buffer.alloc(HEADER_BYTES);

export function validateNonce(n: ChipNonce, job: Job | undefined, ticket: TicketContext): ValidatedNonce {
  if (!job) {
    return { chipNonce: n, job, verdict: 'stale', difficulty: 0, weight: ticket.weight, meetsShareTarget: false, meetsNetworkTarget: false };
  }
  const t = job.template;
  const header = encodeHeader({ version: n.version, prevHash: t.prevHash, merkleRoot: job.merkleRoot, ntime: job.ntime, nbits: t.nbits, nonce: n.nonce }, headerScratch);
  const hash = sha256d(header);
  const value = hashToBigInt(hash);
  const difficulty = difficultyOfHash(hash);
  if (value > ticket.ticketTarget) {
    return { chipNonce: n, job, verdict: 'hw-error', hash, difficulty, weight: ticket.weight, meetsShareTarget: false, meetsNetworkTarget: false };
  }
  return {
    chipNonce: n,
    job,
    verdict: 'valid',
    hash,
    difficulty,
    weight: ticket.weight,
    meetsShareTarget: value <= t.shareTarget,
    meetsNetworkTarget: value <= t.networkTarget,
  };
}

/** The Share for a valid nonce that met its job's share target. */
export function shareFromNonce(v: ValidatedNonce): Share {
  if (v.verdict !== 'valid' || !v.job || !v.hash) throw new Error('only a valid nonce becomes a share');
  return {
    job: v.job,
    nonce: v.chipNonce.nonce,
    version: v.chipNonce.version,
    ntime: v.job.ntime,
    hash: v.hash,
    difficulty: v.difficulty,
    isBlockCandidate: v.meetsNetworkTarget,
    boardId: v.chipNonce.boardId,
    chipIndex: v.chipNonce.chipIndex,
    foundAtMs: v.chipNonce.receivedAtMs,
  };
}
