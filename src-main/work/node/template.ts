/**
 * getblocktemplate result → WorkTemplate (docs/stratum-and-gbt.md §3.2, §3.4, §3.10).
 * Pure: the caller supplies the clock, counter and tip bookkeeping.
 */
import { z } from 'zod';
import { hashFromDisplayHex, hexToBytes } from '../../bitcoin/sha256d.js';
import { merkleBranchesForCoinbase, merkleRoot } from '../../bitcoin/merkle.js';
import { nbitsToTarget, networkDifficulty } from '../../bitcoin/target.js';
import { sha256d } from '../../bitcoin/sha256d.js';
import type { WorkTemplate } from '../job.js';
import { buildCoinbaseParts, EXTRANONCE_BYTES, WITNESS_RESERVED_VALUE } from './coinbase.js';

const hex64 = z.string().regex(/^[0-9a-fA-F]{64}$/, 'expected 64 hex characters');

export const gbtTransactionSchema = z.object({
  data: z.string().regex(/^(?:[0-9a-fA-F]{2})+$/, 'expected whole bytes of hex'),
  txid: hex64,
  hash: hex64.optional(),
});

export const blockTemplateSchema = z.looseObject({
  version: z.number().int(),
  previousblockhash: hex64,
  transactions: z.array(gbtTransactionSchema),
  coinbasevalue: z.number().int().nonnegative(),
  height: z.number().int().positive(),
  bits: z.string().regex(/^[0-9a-fA-F]{1,8}$/),
  curtime: z.number().int(),
  mintime: z.number().int().optional(),
  longpollid: z.string().optional(),
  default_witness_commitment: z
    .string()
    .regex(/^[0-9a-fA-F]+$/)
    .optional(),
  rules: z.array(z.string()).optional(),
});
export type BlockTemplate = z.infer<typeof blockTemplateSchema>;

/** Parse a GBT result; a clear error sentence for anything missing or malformed. */
export function parseBlockTemplate(raw: unknown): BlockTemplate {
  const r = blockTemplateSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`The node's block template is malformed (${issue ? `${issue.path.join('.') || 'result'}: ${issue.message}` : 'unknown'}).`);
  }
  return r.data;
}

/** Does the template's rule set include segwit? Core and bcoin prefix required rules with '!'. */
export function templateHasSegwit(t: BlockTemplate): boolean {
  return (t.rules ?? []).some((r) => r.replace(/^!/, '') === 'segwit');
}

/** BIP141 commitment script for a tx set: 6a24aa21a9ed ‖ SHA256d(witness root ‖ reserved value). */
export function witnessCommitmentScript(wtxidsInternal: readonly Uint8Array[]): Buffer {
  const root = merkleRoot([Buffer.alloc(32), ...wtxidsInternal]);
  const commitment = sha256d(Buffer.concat([root, WITNESS_RESERVED_VALUE]));
  return Buffer.concat([Buffer.from('6a24aa21a9ed', 'hex'), commitment]);
}

export interface NodeWork {
  template: WorkTemplate;
  gbt: BlockTemplate;
  /** Coinbase must be witness-serialised in the block. */
  segwit: boolean;
}

export interface BuildOptions {
  key: string;
  sourceId: string;
  sourceJobId: string;
  payoutScript: Buffer;
  tag: string;
  versionMask: number;
  cleanJobs: boolean;
  nowMs: number;
}

export function buildNodeWork(gbt: BlockTemplate, o: BuildOptions): NodeWork {
  const segwit = templateHasSegwit(gbt);
  let commitment: Buffer | null = null;
  if (segwit) {
    // Use the node's commitment as-is (tx set unchanged); compute it ourselves only if absent.
    commitment = gbt.default_witness_commitment ? hexToBytes(gbt.default_witness_commitment) : witnessCommitmentScript(gbt.transactions.map((t) => hashFromDisplayHex(t.hash ?? t.txid)));
  }
  // bcoin sends default_witness_commitment with rules [] before segwit activates: omitted then
  // (a commitment there is "unexpected-witness").
  const parts = buildCoinbaseParts({ height: gbt.height, tag: o.tag, payoutScript: o.payoutScript, valueSats: gbt.coinbasevalue, witnessCommitment: commitment });
  const nbits = parseInt(gbt.bits, 16) >>> 0;
  const networkTarget = nbitsToTarget(nbits);
  const nowS = Math.floor(o.nowMs / 1000);
  const template: WorkTemplate = {
    key: o.key,
    sourceKind: 'node',
    sourceId: o.sourceId,
    sourceJobId: o.sourceJobId,
    prevHash: hashFromDisplayHex(gbt.previousblockhash),
    coinb1: parts.coinb1,
    coinb2: parts.coinb2,
    extranonce1: Buffer.alloc(0),
    extranonce2Size: EXTRANONCE_BYTES,
    // Merkle tree over txids, never wtxids (§3.4).
    merkleBranches: merkleBranchesForCoinbase(gbt.transactions.map((t) => hashFromDisplayHex(t.txid))),
    version: gbt.version >>> 0,
    versionMask: o.versionMask >>> 0,
    nbits,
    ntime: Math.max(gbt.mintime ?? 0, nowS),
    // Solo: a "share" is a block candidate, so the share target is the block target.
    shareTarget: networkTarget,
    shareDifficulty: networkDifficulty(nbits),
    networkTarget,
    cleanJobs: o.cleanJobs,
    height: gbt.height,
    createdAtMs: o.nowMs,
  };
  return { template, gbt, segwit };
}
