/**
 * What the Stratum server reports about network miners, for the statistics to keep
 * (stats/network-miners.ts implements it). Worker names are as the miner authorised them; which
 * names a connection is listed under is listing.ts's rule (the names it submits shares under).
 */
export interface MinerArrival {
  worker: string;
  connectionId: number;
  address: string;
  userAgent: string | null;
  payoutAddress: string | null;
  difficulty: number;
  atMs: number;
}

export interface CreditedShare {
  /** The difficulty the share was judged at (its weight for hashrate). */
  creditedDifficulty: number;
  /** The difficulty of its hash. */
  difficulty: number;
  /** Display hex of the block hash. */
  hash: string;
  isBlock: boolean;
  atMs: number;
}

export interface RefusedShare {
  reason: string;
  /** Refused because its job was gone (code 21): stale rather than wrong. */
  stale: boolean;
  /** The difficulty of its hash, when it was hashed. */
  difficulty: number | null;
  targetDifficulty: number;
  atMs: number;
}

export interface NetworkMinerSink {
  connected(arrival: MinerArrival): void;
  disconnected(worker: string, connectionId: number, atMs: number): void;
  /** The connection was listed under this name only until its first share came under another: not a miner of its own. */
  withdrawn(worker: string, connectionId: number): void;
  difficulty(worker: string, difficulty: number): void;
  accepted(worker: string, share: CreditedShare): void;
  rejected(worker: string, share: RefusedShare): void;
}
