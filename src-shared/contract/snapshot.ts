/** The state snapshot: what the engine looks like right now (boards, pools, node, totals, warnings). */
import { z } from 'zod';
import { chipModelSchema } from './chip-model-schema.js';
import { axeosDeviceSnapshotSchema } from './fleet.js';
import { boardOperatingSchema, boardScheduleStatusSchema, scheduleStatusSchema, tuningStatusSchema } from './operation.js';
import { bestShareSchema } from './integrations.js';
import { hashrateWindowsSchema } from './estimate.js';
import { networkMinerSnapshotSchema, stratumServerSnapshotSchema } from './network-miners.js';

export { estimateSchema, hashrateWindowsSchema, type Estimate, type HashrateWindows } from './estimate.js';

export const counterSchema = z.object({
  nonces: z.number(),
  validNonces: z.number(),
  hwErrors: z.number(),
  sharesAccepted: z.number(),
  sharesRejected: z.number(),
  sharesStale: z.number(),
  blocksFound: z.number(),
  bestDifficulty: z.number(),
});
export type Counters = z.infer<typeof counterSchema>;

export const chipSnapshotSchema = z.object({
  index: z.number(),
  address: z.number(),
  validNonces: z.number(),
  hwErrors: z.number(),
  hashrateHs: z.number(),
  /** Hash-counter hashrate where the chip has counters. */
  counterHashrateHs: z.number().nullable(),
});

/** 'paused': taken off work by the user or the schedule (no jobs, chips held in reset or slowed); its statistics' clocks stop. */
export const boardStateSchema = z.enum(['starting', 'initialising', 'hashing', 'recovering', 'cooling', 'paused', 'lost', 'stopped', 'error']);
export type BoardState = z.infer<typeof boardStateSchema>;

export const boardSnapshotSchema = z.object({
  id: z.string(),
  name: z.string(),
  path: z.string(),
  model: chipModelSchema,
  /** An emulated board: figures come from an emulator at difficulty scale 2^-scaleBits. */
  emulated: z.boolean(),
  scaleBits: z.number(),
  state: boardStateSchema,
  stateDetail: z.string().nullable(),
  chipsExpected: z.number().nullable(),
  chipsFound: z.number(),
  frequencyMhz: z.number(),
  ticketDifficulty: z.number(),
  expectedHashrateHs: z.number(),
  hashrateHs: z.number(),
  hashrate: hashrateWindowsSchema,
  counters: counterSchema,
  framesBad: z.number(),
  sensors: z.object({
    coreVoltageV: z.number().nullable(),
    inputVoltageV: z.number().nullable(),
    currentA: z.number().nullable(),
    powerW: z.number().nullable(),
    asicTempC: z.number().nullable(),
    vrTempC: z.number().nullable(),
    fanRpm: z.number().nullable(),
    fanPercent: z.number().nullable(),
    /** Air around the board, where the board reports it (an emulator models it). */
    ambientTempC: z.number().nullable().optional(),
  }),
  chips: z.array(chipSnapshotSchema),
  startedAtMs: z.number(),
  /** Stable identity: the USB serial number, or a synthetic one for an emulator; null when unknown. */
  serial: z.string().nullable().optional(),
  operating: boardOperatingSchema.optional(),
  tuning: tuningStatusSchema.nullable().optional(),
  schedule: boardScheduleStatusSchema.nullable().optional(),
});
export type BoardSnapshot = z.infer<typeof boardSnapshotSchema>;

export const poolSnapshotSchema = z.object({
  url: z.string(),
  user: z.string(),
  priority: z.number(),
  state: z.enum(['idle', 'connecting', 'subscribing', 'active', 'backoff', 'dead', 'probing']),
  active: z.boolean(),
  difficulty: z.number().nullable(),
  extranonce1: z.string().nullable(),
  extranonce2Size: z.number().nullable(),
  versionMask: z.string().nullable(),
  lastNotifyAtMs: z.number().nullable(),
  sharesAccepted: z.number(),
  sharesRejected: z.number(),
  sharesStale: z.number(),
  acceptedDifficulty: z.number(),
  rejectReasons: z.record(z.string(), z.number()),
  responseTimeMs: z.number().nullable(),
  payoutShare: z.number().nullable(),
  message: z.string().nullable(),
  /** Connection attempts to this pool in the last hour (a pool that keeps dropping the miner shows here). */
  connectsLastHour: z.number(),
});
export type PoolSnapshot = z.infer<typeof poolSnapshotSchema>;

export const nodeSnapshotSchema = z.object({
  url: z.string(),
  state: z.enum(['connecting', 'active', 'error']),
  chain: z.string().nullable(),
  height: z.number().nullable(),
  networkDifficulty: z.number().nullable(),
  networkHashrateHs: z.number().nullable(),
  payoutAddress: z.string(),
  message: z.string().nullable(),
  lastTemplateAtMs: z.number().nullable(),
});
export type NodeSnapshot = z.infer<typeof nodeSnapshotSchema>;

export const warningSchema = z.object({
  id: z.string(),
  level: z.enum(['info', 'warn', 'error']),
  text: z.string(),
  atMs: z.number(),
  boardId: z.string().nullable(),
});
export type Warning = z.infer<typeof warningSchema>;

export const engineSnapshotSchema = z.object({
  version: z.string(),
  startedAtMs: z.number(),
  nowMs: z.number(),
  /** First job sent to any chip; hashrate is measured from here. */
  firstJobAtMs: z.number().nullable(),
  mode: z.enum(['idle', 'benchmark', 'pool', 'solo']),
  dataDir: z.string().nullable(),
  boards: z.array(boardSnapshotSchema),
  pools: z.array(poolSnapshotSchema),
  node: nodeSnapshotSchema.nullable(),
  totals: counterSchema.extend({
    bestDifficultyAllTime: z.number(),
    hashrateHs: z.number(),
    hashrate: hashrateWindowsSchema,
    expectedHashrateHs: z.number(),
    powerW: z.number().nullable(),
  }),
  network: z
    .object({
      height: z.number().nullable(),
      difficulty: z.number(),
      hashrateHs: z.number().nullable(),
    })
    .nullable(),
  warnings: z.array(warningSchema),
  /** Network miners polled over HTTP (AxeOS), shown beside the USB boards; not in `totals`. */
  axeosDevices: z.array(axeosDeviceSnapshotSchema),
  /** The schedule's next changes (absent or null without a schedule). */
  schedule: scheduleStatusSchema.nullable().optional(),
  /** The all-time best shares, highest first (the scoreboard). */
  bestShares: z.array(bestShareSchema).default([]),
  /** Miners on the network that mine through HashDeck's Stratum server (network-miners.ts). */
  networkMiners: z.array(networkMinerSnapshotSchema),
  /** The Stratum server's bound address, or null when it is not serving. */
  stratumServer: stratumServerSnapshotSchema.nullable(),
});
export type EngineSnapshot = z.infer<typeof engineSnapshotSchema>;
