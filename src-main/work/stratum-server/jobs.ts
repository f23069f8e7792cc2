/**
 * A job as network miners see it: a work source's template under a server job id, and its
 * mining.notify line (docs/stratum-and-gbt.md §1.5; the miner's extranonce1 is not in the
 * notify, so one line serves every connection). Job ids are a hex counter, never reused in a run.
 */
import { headerPrevHashToStratum } from '../../bitcoin/prevhash.js';
import type { WorkTemplate } from '../job.js';
import { hex8 } from '../stratum/submit-params.js';
import { notificationLine } from './replies.js';

export class ServerJob {
  private readonly lines: [string | null, string | null] = [null, null];

  constructor(
    readonly id: string,
    /** The template as the work source knows it (a payout variant for `--stratum-pay-username`). */
    readonly template: WorkTemplate,
  ) {}

  /** The 8 notify parameters before clean_jobs. */
  params(): unknown[] {
    const t = this.template;
    return [
      this.id,
      headerPrevHashToStratum(t.prevHash),
      t.coinb1.toString('hex'),
      t.coinb2.toString('hex'),
      t.merkleBranches.map((b) => b.toString('hex')),
      hex8(t.version),
      hex8(t.nbits),
      hex8(t.ntime),
    ];
  }

  /** The mining.notify line, built once per clean flag. */
  notifyLine(cleanJobs: boolean): string {
    const i = cleanJobs ? 1 : 0;
    return (this.lines[i] ??= notificationLine('mining.notify', [...this.params(), cleanJobs]));
  }
}

/** Hands out job ids. */
export class JobIds {
  private next = 1;

  issue(template: WorkTemplate): ServerJob {
    return new ServerJob((this.next++).toString(16), template);
  }
}
