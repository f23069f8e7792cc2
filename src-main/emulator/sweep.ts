/**
 * How one virtual chip walks its search space for a job, shared by the worker and the inline
 * engine. The nonce's BE view is core id (bits 31..25) · chip address (bits 24..17) · a 17-bit
 * counter (docs/bm13xx-protocol.md §2.5), so each (core, version) pair is a segment of 2^17
 * consecutive BE nonces. A chip's cores run side by side, so the sweep walks the counter in
 * stripes that every live core hashes in turn (each core starting at the job's starting counter);
 * any stretch of hashing then covers every core alike, as the per-core diagnostics map assumes.
 * After the whole counter, the next rolled version; the small core is the low bits of the version
 * field (as in the BM1366 capture, §8.6a). A BM1397 job brings host midstates instead (§5.3): the
 * rounds go through them and the midstate index is reported.
 */
import { scan, scanMidstate, type ScannerKind } from '../scanner/scanner.js';
import { rolledVersion, versionFieldAt, versionFieldCount } from './version-field.js';

export const SEGMENT_NONCES = 1 << 17;
/** Nonces one core hashes before the next core takes its turn (the counter stripe). */
export const STRIPE_NONCES = 1024;
export const COUNTER_DOMAINS = 4;

/** Work for one chip, as posted to the hashing engine. */
export interface SweepWork {
  chipIndex: number;
  /** Unique per job delivery; hits carry it back so stale work can be recognised. */
  serial: number;
  /** Header with the base version; the nonce field is ignored. */
  header80: Uint8Array;
  baseVersion: number;
  /** 16-bit rolling mask from register 0xA4 (0 = no rolling). */
  versionFieldMask: number;
  chipAddress: number;
  cores: number;
  smallCoresPerCore: number;
  deadCores: number[];
  /** Scaled ticket target (hash ≤ target is reported). */
  target: bigint;
  /** First counter value (from the job's starting nonce). */
  startCounter: number;
  /** BM1397 midstate jobs: the host midstates (32 bytes each, words BE) and header bytes 64..75. */
  midstates?: Uint8Array[];
  tail12?: Uint8Array;
}

export interface SweepHit {
  chipIndex: number;
  serial: number;
  /** Header bytes 76..79 read LE. */
  nonce: number;
  hash: Uint8Array;
  versionField: number;
  coreId: number;
  smallCoreId: number;
}

export interface SweepProgress {
  chipIndex: number;
  hashes: number;
  /** Hashes per counter domain (0x88..0x8B: cores split in four). */
  domainHashes: number[];
}

const MAX_HITS_PER_SCAN = 256;

export class ChipSweep {
  /** Rolled version (or BM1397 midstate) being hashed. */
  private round = 0;
  /** Counter where the current stripe starts; every live core hashes the same stripe. */
  private stripeStart: number;
  /** Which live core hashes now, and how far into the stripe it is. */
  private coreSlot = 0;
  private offset = 0;
  private readonly liveCores: number[];
  private readonly header: Buffer;
  private readonly midstates: Buffer[] | undefined;
  private readonly tail12: Buffer;
  private readonly versionCount: number;
  private target: bigint;

  constructor(readonly work: SweepWork) {
    this.header = Buffer.from(work.header80);
    this.midstates = work.midstates?.map((m) => Buffer.from(m));
    this.tail12 = Buffer.from(work.tail12 ?? new Uint8Array(12));
    this.stripeStart = work.startCounter % SEGMENT_NONCES;
    this.versionCount = this.midstates ? this.midstates.length : versionFieldCount(work.versionFieldMask);
    const dead = new Set(work.deadCores);
    this.liveCores = Array.from({ length: work.cores }, (_, c) => c).filter((c) => !dead.has(c));
    this.target = work.target;
  }

  get exhausted(): boolean {
    return this.liveCores.length === 0 || this.round >= this.versionCount;
  }

  setTarget(target: bigint): void {
    this.target = target;
  }

  /** Hash up to `budget` nonces; returns what was done and found. */
  advance(budget: number, scanner: ScannerKind | undefined): { progress: SweepProgress; hits: SweepHit[] } {
    const w = this.work;
    const progress: SweepProgress = { chipIndex: w.chipIndex, hashes: 0, domainHashes: new Array(COUNTER_DOMAINS).fill(0) };
    const hits: SweepHit[] = [];
    let left = Math.floor(budget);
    while (left > 0 && !this.exhausted) {
      const core = this.liveCores[this.coreSlot]!;
      const round = this.round;
      const stripeEnd = Math.min(this.stripeStart + STRIPE_NONCES, SEGMENT_NONCES);
      const position = this.stripeStart + this.offset;
      const count = Math.min(left, stripeEnd - position);
      const start = ((core << 25) | ((w.chipAddress & 0xff) << 17) | position) >>> 0;
      const options = { order: 'chip' as const, implementation: scanner };
      let field = 0;
      let smallCore = round; // midstate index on the BM1397
      let found;
      if (this.midstates) {
        found = scanMidstate(this.midstates[round]!, this.tail12, start, count, this.target, MAX_HITS_PER_SCAN, options);
      } else {
        field = versionFieldAt(round, w.versionFieldMask);
        smallCore = field % w.smallCoresPerCore;
        this.header.writeUInt32LE(rolledVersion(w.baseVersion, field), 0);
        found = scan(this.header, start, count, this.target, MAX_HITS_PER_SCAN, options);
      }
      // When the hit cap is reached, resume just after the last hit so none is lost.
      const last = found.length === MAX_HITS_PER_SCAN ? found[found.length - 1] : undefined;
      const done = last ? ((beCounter(last.nonce) - start) >>> 0) + 1 : count;
      for (const f of found) {
        hits.push({ chipIndex: w.chipIndex, serial: w.serial, nonce: f.nonce, hash: f.hash, versionField: field, coreId: core, smallCoreId: smallCore });
      }
      progress.hashes += done;
      progress.domainHashes[Math.min(COUNTER_DOMAINS - 1, Math.floor((core * COUNTER_DOMAINS) / w.cores))]! += done;
      left -= done;
      this.offset += done;
      if (this.stripeStart + this.offset >= stripeEnd) this.nextCore(stripeEnd);
    }
    return { progress, hits };
  }

  private nextCore(stripeEnd: number): void {
    this.offset = 0;
    this.coreSlot++;
    if (this.coreSlot < this.liveCores.length) return;
    this.coreSlot = 0;
    this.stripeStart = stripeEnd;
    if (this.stripeStart >= SEGMENT_NONCES) {
      this.stripeStart = 0;
      this.round++;
    }
  }
}

/** The BE view of the nonce bytes (the chip's counter order). */
function beCounter(nonce: number): number {
  return (((nonce & 0xff) << 24) | ((nonce & 0xff00) << 8) | ((nonce >>> 8) & 0xff00) | (nonce >>> 24)) >>> 0;
}
