/**
 * What the engine needs from a work source (Stratum pool list, bitcoind, synthetic benchmark).
 * A source pushes templates; the dispatcher turns them into chip jobs; shares flow back through
 * `submitShare`. Results are reported on the event bus ('share', 'block', 'pool' events) and via
 * the source's snapshot.
 */
import type { Share, WorkTemplate } from './job.js';
import type { NodeSnapshot, PoolSnapshot } from '@shared/contract';

export interface WorkSourceHandlers {
  /** A new template. `cleanJobs` means: every earlier template of this source is dead now. */
  onTemplate(template: WorkTemplate): void;
  /** Every template issued so far is void (reconnect, new extranonce, failover): invalidate chip job slots. */
  onInvalidateAll(reason: string): void;
}

export interface WorkSource {
  readonly kind: 'synthetic' | 'stratum' | 'node';
  start(handlers: WorkSourceHandlers): Promise<void>;
  stop(): Promise<void>;
  /** Is this template still one the source would accept shares for? (stale detection) */
  isTemplateLive(template: WorkTemplate): boolean;
  /** A validated share that meets template.shareTarget. Never called twice for the same share. */
  submitShare(share: Share): void;
  poolSnapshots(): PoolSnapshot[];
  nodeSnapshot(): NodeSnapshot | null;
}
