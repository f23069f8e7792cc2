/**
 * The job pipeline's domain types. Every work source (Stratum pool, bitcoind template, synthetic
 * benchmark work) produces `WorkTemplate`s; the dispatcher turns a template plus a unique
 * extranonce2 into a `Job` for one board; a chip's `ChipNonce` on a known job becomes a
 * `ValidatedNonce`, and one that meets the job's share target becomes a `Share`.
 */

export type WorkSourceKind = 'synthetic' | 'stratum' | 'node';

export interface WorkTemplate {
  /** Unique within the engine run (source id + source job id + counter). */
  key: string;
  sourceKind: WorkSourceKind;
  /** Pool URL, node URL or "synthetic". */
  sourceId: string;
  /** The source's own job id (Stratum job_id, echoed in mining.submit). */
  sourceJobId: string;
  /** Previous block hash, internal (header) byte order. */
  prevHash: Buffer;
  /** Coinbase (non-witness serialization) = coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2. */
  coinb1: Buffer;
  coinb2: Buffer;
  extranonce1: Buffer;
  extranonce2Size: number;
  /** Merkle branches for the coinbase, internal byte order, leaf upwards. */
  merkleBranches: Buffer[];
  /** Base block version (no rolled bits). */
  version: number;
  /** Version bits the chips may roll (BIP310 negotiated mask; 0 = none). */
  versionMask: number;
  nbits: number;
  ntime: number;
  /** Share target fixed when the template was made (pool difficulty in force then). */
  shareTarget: bigint;
  /** Pool difficulty behind shareTarget (display). */
  shareDifficulty: number;
  /** Network target from nbits. */
  networkTarget: bigint;
  /** Drop every earlier template of this source and invalidate chip job slots. */
  cleanJobs: boolean;
  /** Block height when known (GBT; Stratum coinbase BIP34 parse). */
  height?: number;
  createdAtMs: number;
}

/** One unit of chip work: a template with this board's extranonce2 (and ntime) and the resulting merkle root. */
export interface Job {
  /** Engine-unique job id (never reused in a run). */
  id: number;
  template: WorkTemplate;
  extranonce2: Buffer;
  /** Merkle root, internal byte order. */
  merkleRoot: Buffer;
  boardId: string;
  sentAtMs: number;
  /** Header time of this job: the template's ntime, rolled forward when its extranonce2 space ran out (docs/stratum-and-gbt.md §4). */
  ntime: number;
}

/** A nonce as decoded from a chip response, before the host re-hashes it. */
export interface ChipNonce {
  boardId: string;
  /** Index of the chip on the chain (0-based), from the chip address in the nonce. */
  chipIndex: number;
  coreId: number;
  smallCoreId: number;
  /** The job id byte as the chip reported it (decoded per model). */
  chipJobId: number;
  /** Nonce as a u32 (header bytes 76..79 read LE). */
  nonce: number;
  /** Full rolled version (base version OR returned bits). */
  version: number;
  receivedAtMs: number;
}

export type NonceVerdict = 'valid' | 'hw-error' | 'stale';

export interface ValidatedNonce {
  chipNonce: ChipNonce;
  job: Job | undefined;
  verdict: NonceVerdict;
  /** SHA-256d of the rebuilt header, internal byte order (absent for stale). */
  hash?: Buffer;
  /** Re-hashed difficulty (display float). */
  difficulty: number;
  /** Difficulty weight used for hashrate: the (scaled) ticket difficulty. */
  weight: number;
  meetsShareTarget: boolean;
  meetsNetworkTarget: boolean;
}

export interface Share {
  job: Job;
  nonce: number;
  version: number;
  ntime: number;
  hash: Buffer;
  difficulty: number;
  isBlockCandidate: boolean;
  boardId: string;
  chipIndex: number;
  foundAtMs: number;
}
