/**
 * The work space of one template, handed out job by job (docs/stratum-and-gbt.md §4). Every job of
 * a template gets a distinct (extranonce2, ntime) pair, so no two boards or jobs hash the same
 * header; the chips roll the nonce and the version bits inside each job themselves. The counter
 * starts at 0 for every template with new work (as ESP-Miner does per notify), but not for the same
 * work under a new job id (a pool re-sends its job after set_difficulty): counting from 0 again
 * would hash the same headers twice and submit duplicates. Extranonce2 comes first, and when a
 * pool's extranonce2 is too small for the boards (0, 1 or 2 bytes from proxies), ntime is rolled
 * forward one second at a time, at most MAX_NTIME_ROLL_S past the template's ntime. Past that the
 * template is used up: no new job until the next template (the boards keep hashing the jobs they
 * have), never a crash.
 */
import type { WorkTemplate } from './job.js';
import { extranonce2FromCounter } from './coinbase.js';

/** cgminer lets drivers advance ntime by up to 60 s; pools accept far more (ckpool 7000 s). */
export const MAX_NTIME_ROLL_S = 60;

export interface JobSlice {
  extranonce2: Buffer;
  ntime: number;
  /** Seconds ntime was rolled past the template's (0 while extranonce2 lasts). */
  ntimeRollS: number;
}

export class JobSpace {
  private current: WorkTemplate | null = null;
  private next = 0n;

  /**
   * The next unused slice of `template`, or null when its space is used up. With a `prefix` (the
   * boards' slot when HashDeck also serves network miners), every extranonce2 starts with it and
   * only the bytes after it are counted.
   */
  take(template: WorkTemplate, prefix: Buffer = Buffer.alloc(0)): JobSlice | null {
    if (template !== this.current) {
      if (!this.current || !sameWork(template, this.current)) this.next = 0n;
      this.current = template;
    }
    const countedBytes = template.extranonce2Size - prefix.length;
    if (countedBytes < 0) return null;
    const extranonce2Space = 1n << BigInt(8 * countedBytes);
    const roll = this.next / extranonce2Space;
    if (roll > BigInt(MAX_NTIME_ROLL_S)) return null;
    const counted = extranonce2FromCounter(this.next % extranonce2Space, countedBytes);
    const extranonce2 = prefix.length > 0 ? Buffer.concat([prefix, counted]) : counted;
    this.next++;
    const ntimeRollS = Number(roll);
    return { extranonce2, ntime: (template.ntime + ntimeRollS) >>> 0, ntimeRollS };
  }
}

/** Two templates whose jobs would give the same headers for the same (extranonce2, ntime). */
export function sameWork(a: WorkTemplate, b: WorkTemplate): boolean {
  return (
    a.ntime === b.ntime &&
    a.version === b.version &&
    a.nbits === b.nbits &&
    a.extranonce2Size === b.extranonce2Size &&
    a.prevHash.equals(b.prevHash) &&
    a.extranonce1.equals(b.extranonce1) &&
    a.coinb1.equals(b.coinb1) &&
    a.coinb2.equals(b.coinb2) &&
    a.merkleBranches.length === b.merkleBranches.length &&
    a.merkleBranches.every((branch, i) => branch.equals(b.merkleBranches[i]!))
  );
}
