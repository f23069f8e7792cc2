/**
 * The path of a nonce after the board: re-hash and judge it (work/validator), count it (stats),
 * publish it, and send a share whose job is still live to the work source. A block candidate on a
 * pool's job is written to the data directory (work/block-store) before the share leaves; solo
 * blocks are written by the node source, which holds the whole block.
 */
import type { EventBus } from '@shared/bus.js';
import { encodeHeader } from '../bitcoin/header.js';
import { hashToDisplayHex } from '../bitcoin/sha256d.js';
import type { BlockStore } from '../work/block-store.js';
import { coinbaseBytes } from '../work/coinbase.js';
import type { ChipNonce, Job, Share } from '../work/job.js';
import type { WorkSource } from '../work/source.js';
import { shareFromNonce, validateNonce, type TicketContext } from '../work/validator.js';
import type { Stats } from '../stats/stats.js';

export interface NonceRouterParts {
  bus: EventBus;
  stats: Stats;
  source: WorkSource;
  /** Null without a data directory. */
  blocks: BlockStore | null;
}

export class NonceRouter {
  constructor(private readonly parts: NonceRouterParts) {}

  /** One nonce from `boardId`, with the job of its slot (if any) and whether that job is still live. */
  route(n: ChipNonce, job: Job | undefined, jobLive: boolean, ticket: TicketContext): void {
    const { bus, stats, source } = this.parts;
    const v = validateNonce(n, job, ticket);
    stats.recordNonce(v);
    bus.emit({ type: 'nonce', atMs: n.receivedAtMs, boardId: n.boardId, chipIndex: n.chipIndex, coreId: n.coreId, verdict: v.verdict, difficulty: v.difficulty });
    if (v.verdict !== 'valid' || !v.meetsShareTarget || !v.job) return;
    const share = shareFromNonce(v);
    const t = v.job.template;
    if (!jobLive || !source.isTemplateLive(t)) {
      // A late nonce for a job that is gone: counted stale, never sent (docs/design.md §3).
      bus.emit({
        type: 'share',
        atMs: Date.now(),
        boardId: n.boardId,
        pool: t.sourceId,
        difficulty: share.difficulty,
        targetDifficulty: t.shareDifficulty,
        result: 'stale',
        reason: 'job gone before the nonce arrived',
        responseMs: null,
      });
      if (share.isBlockCandidate) bus.log('error', 'engine', `late nonce meets the network target for a dead job ${t.sourceJobId}; it cannot be a block on the current tip`);
      return;
    }
    // Duplicates are filtered by the source that sends (the Stratum source, by the pool's own
    // definition of a duplicate); a block on the node's tip retires that tip, so a repeat is stale.
    if (share.isBlockCandidate) bus.log('error', 'engine', `BLOCK CANDIDATE from board ${share.boardId}: difficulty ${share.difficulty.toExponential(3)}`);
    this.forward(share);
  }

  /**
   * A share for the work source, from a board or a network miner (the Stratum server): a block
   * candidate on a pool's job is written down first, then the source submits it.
   */
  forward(share: Share): void {
    if (share.isBlockCandidate && this.parts.source.kind === 'stratum') this.recordPoolBlockCandidate(share);
    this.parts.source.submitShare(share);
  }

  /** A found block is written down before anything else happens to it: what the pool needs to rebuild it. */
  private recordPoolBlockCandidate(share: Share): void {
    const { blocks, bus } = this.parts;
    if (!blocks) return;
    const t = share.job.template;
    try {
      const header = encodeHeader({ version: share.version, prevHash: t.prevHash, merkleRoot: share.job.merkleRoot, ntime: share.ntime, nbits: t.nbits, nonce: share.nonce });
      blocks.writePoolCandidate({
        format: 1,
        kind: 'pool-share',
        pool: t.sourceId,
        jobId: t.sourceJobId,
        height: t.height ?? null,
        hash: hashToDisplayHex(share.hash),
        headerHex: header.toString('hex'),
        coinbaseHex: coinbaseBytes(t, share.job.extranonce2).toString('hex'),
        extranonce2: share.job.extranonce2.toString('hex'),
        boardId: share.boardId,
        foundAtMs: share.foundAtMs,
      });
    } catch (err) {
      bus.log('error', 'engine', `could not write the block candidate to ${blocks.dir}: ${(err as Error).message}`);
    }
  }
}
