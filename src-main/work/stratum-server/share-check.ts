/**
 * Judging one mining.submit from a network miner (docs/stratum-and-gbt.md §8.2), with the same
 * parts as every board's nonce: the one coinbase/merkle function (work/coinbase.ts), the one header
 * builder (bitcoin/header.ts), SHA-256d and exact bigint targets (bitcoin/target.ts); the float
 * difficulty is for display only. Pure: the caller looks the job up, checks duplicates and
 * liveness, and decides what to do with the verdict.
 */
import { encodeHeader } from '../../bitcoin/header.js';
import { sha256d } from '../../bitcoin/sha256d.js';
import { difficultyOfHash, hashToBigInt } from '../../bitcoin/target.js';
import { jobMerkleRoot } from '../coinbase.js';
import type { WorkTemplate } from '../job.js';
import { hex8 } from '../stratum/submit-params.js';
import { STRATUM_ERROR, type StratumRejection } from './replies.js';

/** How far past the job's ntime a miner may roll it (ckpool's range, within consensus' two hours). */
export const NTIME_AHEAD_S = 7000;

export interface ShareJob {
  /** The template as the work source knows it (a payout variant keeps its key). */
  template: WorkTemplate;
  /** The connection's slot bytes: the start of the source's extranonce2. */
  slotPrefix: Buffer;
  minerExtranonce2Size: number;
}

export interface Submission {
  extranonce2: Buffer;
  ntime: number;
  nonce: number;
  /** The 6th submit parameter, or null when the miner sent none. */
  versionBits: number | null;
}

export interface ShareRules {
  /** The version mask granted to this connection (0: version rolling not negotiated). */
  versionMask: number;
  /** The connection's share target (its difficulty when the job was sent, or lower since). */
  shareTarget: bigint;
}

export type ShareCheck =
  | { ok: false; rejection: StratumRejection }
  | {
      ok: true;
      /** The rolled block version. */
      version: number;
      /** extranonce2 as the work source sees it: slot ‖ the miner's. */
      sourceExtranonce2: Buffer;
      merkleRoot: Buffer;
      /** SHA-256d of the header, internal byte order. */
      hash: Buffer;
      /** Display difficulty of the hash. */
      difficulty: number;
      meetsShareTarget: boolean;
      /** Meets the work source's own share target (the pool's difficulty; the network's when solo). */
      meetsSourceTarget: boolean;
      isBlock: boolean;
    };

function reject(code: StratumRejection['code'], message: string): ShareCheck {
  return { ok: false, rejection: { code, message } };
}

export function checkShare(job: ShareJob, s: Submission, rules: ShareRules): ShareCheck {
  const t = job.template;
  if (s.extranonce2.length !== job.minerExtranonce2Size) return reject(STRATUM_ERROR.other, `Invalid extranonce2 size (expected ${job.minerExtranonce2Size} bytes)`);
  let version = t.version >>> 0;
  if (s.versionBits !== null && s.versionBits !== 0) {
    if (rules.versionMask === 0) return reject(STRATUM_ERROR.other, 'Version rolling was not negotiated');
    if ((s.versionBits & ~rules.versionMask) >>> 0 !== 0) return reject(STRATUM_ERROR.other, `Version bits ${hex8(s.versionBits)} outside the mask ${hex8(rules.versionMask)}`);
    // ESP-Miner sends rolled XOR job version and public-pool rebuilds with XOR; with no mask bits
    // in the job version this equals BIP310's (job & ~mask) | (bits & mask) (§1.8).
    version = (version ^ s.versionBits) >>> 0;
  }
  if (s.ntime < t.ntime || s.ntime > t.ntime + NTIME_AHEAD_S) return reject(STRATUM_ERROR.other, 'Ntime out of range');
  const sourceExtranonce2 = Buffer.concat([job.slotPrefix, s.extranonce2]);
  const merkleRoot = jobMerkleRoot(t, sourceExtranonce2);
  const hash = sha256d(encodeHeader({ version, prevHash: t.prevHash, merkleRoot, ntime: s.ntime, nbits: t.nbits, nonce: s.nonce }));
  const value = hashToBigInt(hash);
  return {
    ok: true,
    version,
    sourceExtranonce2,
    merkleRoot,
    hash,
    difficulty: difficultyOfHash(hash),
    meetsShareTarget: value <= rules.shareTarget,
    meetsSourceTarget: value <= t.shareTarget,
    isBlock: value <= t.networkTarget,
  };
}
