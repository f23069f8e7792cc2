/**
 * Network miners: Wi-Fi Bitaxes, NerdMiners, small Avalons … that mine through HashDeck's own
 * Stratum server (`--serve-stratum`). Each authorised worker name is one remote miner; its figures
 * come from the shares the server validated (hashrate from their difficulties, with the same
 * estimator and intervals as a board's), and the ledger keeps them under the id `net:<worker>`.
 */
import { z } from 'zod';
import { hashrateWindowsSchema } from './estimate.js';

/** Ledger and event id prefix of a network miner (board ids never start with it). */
export const NETWORK_MINER_ID_PREFIX = 'net:';

export function networkMinerId(worker: string): string {
  return `${NETWORK_MINER_ID_PREFIX}${worker}`;
}

export function isNetworkMinerId(id: string): boolean {
  return id.startsWith(NETWORK_MINER_ID_PREFIX);
}

export const networkMinerSnapshotSchema = z.object({
  /** `net:<worker>`: the id in the ledger, block events and the History page. */
  id: z.string(),
  /** The worker name as the miner authorised (often `<address>.<name>`). */
  worker: z.string(),
  /** Open connections authorised as this worker (0 once it left). */
  connections: z.number(),
  /** Remote IP address of the latest connection. */
  address: z.string(),
  /** What the miner sent in mining.subscribe (e.g. `bitaxe/BM1370/v2.4.0`), if anything. */
  userAgent: z.string().nullable(),
  /** The address its blocks pay (`--stratum-pay-username`), null when they pay the engine's payout. */
  payoutAddress: z.string().nullable(),
  firstSeenAtMs: z.number(),
  lastSeenAtMs: z.number(),
  lastShareAtMs: z.number().nullable(),
  /** The share difficulty the server currently asks of it (vardiff). */
  difficulty: z.number(),
  /** Σ accepted share difficulties · 2^32 / seconds since it was first seen this session. */
  hashrateHs: z.number(),
  hashrate: hashrateWindowsSchema,
  sharesAccepted: z.number(),
  sharesRejected: z.number(),
  /** Rejected shares per reason (duplicate, job not found, low difficulty, …). */
  rejectReasons: z.record(z.string(), z.number()),
  /** Proxy mode: its shares that met the pool's difficulty and were sent on, by the pool's verdict. */
  forwarded: z.object({ accepted: z.number(), rejected: z.number(), stale: z.number() }),
  bestDifficulty: z.number(),
  bestDifficultyAllTime: z.number(),
  blocksFound: z.number(),
});
export type NetworkMinerSnapshot = z.infer<typeof networkMinerSnapshotSchema>;

/** Where the Stratum server listens (the port actually bound) and how busy it is. */
export const stratumServerSnapshotSchema = z.object({
  host: z.string(),
  port: z.number(),
  /** Open TCP connections (authorised or not). */
  connections: z.number(),
  /** Why miners cannot get work right now (no template yet, upstream extranonce too small), else null. */
  problem: z.string().nullable(),
});
export type StratumServerSnapshot = z.infer<typeof stratumServerSnapshotSchema>;

/** One entry of `networkMiners` in the `mine --json` summary (docs/cli.md §4). */
export const networkMinerSummarySchema = z.object({
  worker: z.string(),
  sharesAccepted: z.number(),
  sharesRejected: z.number(),
  bestDifficulty: z.number(),
  hashrateHs: z.number(),
  blocksFound: z.number(),
});
export type NetworkMinerSummary = z.infer<typeof networkMinerSummarySchema>;
