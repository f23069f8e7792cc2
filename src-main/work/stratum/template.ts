/**
 * mining.notify → WorkTemplate (docs/stratum-and-gbt.md §1.5–§1.7). Pure: no I/O, no clocks except
 * the `nowMs` passed in.
 *   prevhash: word-swapped text → header order (stratumPrevHashToHeader)
 *   version / nbits / ntime: big-endian hex text of the u32 (the header builder writes them LE)
 *   branches: raw internal order, used as-is
 *   share target: the difficulty in force when the template is made (§4 "pool_diff at creation")
 */
import type { WorkTemplate } from '../job.js';
import { stratumPrevHashToHeader } from '../../bitcoin/prevhash.js';
import { difficultyToTarget, nbitsToTarget } from '../../bitcoin/target.js';
import type { NotifyParams } from './messages.js';

export interface TemplateContext {
  /** Pool URL. */
  sourceId: string;
  /** Unique per connection (keys must never repeat across reconnects). */
  sessionId: number;
  /** Counter of templates made by this source (key uniqueness when a job id repeats). */
  sequence: number;
  extranonce1: Buffer;
  extranonce2Size: number;
  /** Negotiated BIP310 mask; 0 when version rolling was refused. */
  versionMask: number;
  difficulty: number;
  /** Force cleanJobs (first job of a session, new extranonce). */
  forceClean?: boolean;
  nowMs: number;
}

export function notifyToTemplate(n: NotifyParams, ctx: TemplateContext): WorkTemplate {
  const coinb1 = Buffer.from(n.coinb1Hex, 'hex');
  const height = coinbaseHeight(coinb1);
  const template: WorkTemplate = {
    key: `${ctx.sourceId}#${ctx.sessionId}/${n.jobId}/${ctx.sequence}`,
    sourceKind: 'stratum',
    sourceId: ctx.sourceId,
    sourceJobId: n.jobId,
    prevHash: stratumPrevHashToHeader(n.prevHashHex),
    coinb1,
    coinb2: Buffer.from(n.coinb2Hex, 'hex'),
    extranonce1: Buffer.from(ctx.extranonce1),
    extranonce2Size: ctx.extranonce2Size,
    merkleBranches: n.merkleBranchesHex.map((b) => Buffer.from(b, 'hex')),
    version: parseInt(n.versionHex, 16) >>> 0,
    versionMask: ctx.versionMask >>> 0,
    nbits: parseInt(n.nbitsHex, 16) >>> 0,
    ntime: parseInt(n.ntimeHex, 16) >>> 0,
    shareTarget: difficultyToTarget(ctx.difficulty),
    shareDifficulty: ctx.difficulty,
    networkTarget: nbitsToTarget(parseInt(n.nbitsHex, 16) >>> 0),
    cleanJobs: n.cleanJobs || ctx.forceClean === true,
    createdAtMs: ctx.nowMs,
  };
  if (height !== undefined) template.height = height;
  return template;
}

/**
 * BIP34 height from the start of the coinbase scriptSig, when coinb1 reaches that far:
 * version(4) · input count (1) · prevout (36) · scriptSig length (varint) · first push.
 * Heights 1–16 are OP_1..OP_16; otherwise a minimal little-endian CScriptNum push (§3.5).
 */
export function coinbaseHeight(coinb1: Uint8Array): number | undefined {
  let pos = 4;
  if (coinb1.length < pos + 1 || coinb1[pos] !== 0x01) return undefined;
  pos += 1 + 36;
  const len = coinb1[pos];
  if (len === undefined || len >= 0xfd) return undefined; // a scriptSig is ≤ 100 bytes
  pos += 1;
  const op = coinb1[pos];
  if (op === undefined) return undefined;
  if (op >= 0x51 && op <= 0x60) return op - 0x50;
  if (op < 0x01 || op > 0x05) return undefined;
  if (coinb1.length < pos + 1 + op) return undefined;
  let value = 0;
  for (let i = op - 1; i >= 0; i--) value = value * 256 + coinb1[pos + 1 + i]!;
  const top = coinb1[pos + op]!;
  if (top & 0x80) return undefined; // negative: not a height
  return value;
}
