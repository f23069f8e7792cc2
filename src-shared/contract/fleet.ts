/**
 * Network miners HashDeck watches over HTTP: Wi-Fi Bitaxes running ESP-Miner (AxeOS) and forks
 * that answer the same API (docs/axeos.md). Every text field came from the device and has been
 * made plain text by the engine; every figure may be null, since forks leave fields out.
 */
import { z } from 'zod';

export const axeosDeviceStateSchema = z.enum([
  /** Added, no answer yet. */
  'connecting',
  /** The last poll answered with AxeOS figures. */
  'online',
  /** The last poll got no answer (refused, timed out, unreachable); polling backs off. */
  'unreachable',
  /** The device answered, but not with usable AxeOS JSON (HTTP error, garbage, too large). */
  'error',
]);
export type AxeosDeviceState = z.infer<typeof axeosDeviceStateSchema>;

/** The pool the device is configured for, as its settings say (ESP-Miner keeps host and port apart). */
export const axeosPoolSchema = z.object({
  /** `stratumURL`: a host name, sometimes with a scheme the user typed. */
  url: z.string(),
  port: z.number().nullable(),
  user: z.string(),
  /** The device reports it is on its fallback pool. */
  usingFallback: z.boolean(),
});
export type AxeosPool = z.infer<typeof axeosPoolSchema>;

export const axeosDeviceSnapshotSchema = z.object({
  /** `axeos:<host>` or `axeos:<host>:<port>`: also the ledger's board id for its samples. */
  id: z.string(),
  /** The address as the user gave it (`host[:port]`). */
  address: z.string(),
  state: axeosDeviceStateSchema,
  /** Why the device is unreachable or in error; null while online. */
  stateDetail: z.string().nullable(),
  /** Last time the device answered with figures. */
  lastSeenAtMs: z.number().nullable(),
  /** Failed polls in a row (the backoff grows with it). */
  failures: z.number(),
  hostname: z.string().nullable(),
  /** `ASICModel`, e.g. "BM1370". */
  asicModel: z.string().nullable(),
  /** `/api/system/asic` `deviceModel`, e.g. "Gamma"; null on firmware without that route. */
  deviceModel: z.string().nullable(),
  boardVersion: z.string().nullable(),
  asicCount: z.number().nullable(),
  /** `version`: the firmware. */
  firmwareVersion: z.string().nullable(),
  /** `axeOSVersion`: the web interface, when the firmware reports it apart. */
  webVersion: z.string().nullable(),
  hashrateHs: z.number().nullable(),
  hashrate1mHs: z.number().nullable(),
  hashrate10mHs: z.number().nullable(),
  hashrate1hHs: z.number().nullable(),
  expectedHashrateHs: z.number().nullable(),
  powerW: z.number().nullable(),
  inputVoltageV: z.number().nullable(),
  currentA: z.number().nullable(),
  coreVoltageV: z.number().nullable(),
  frequencyMhz: z.number().nullable(),
  asicTempC: z.number().nullable(),
  vrTempC: z.number().nullable(),
  fanPercent: z.number().nullable(),
  fanRpm: z.number().nullable(),
  /** Power over hashrate; null without both. */
  efficiencyJPerTh: z.number().nullable(),
  bestDifficulty: z.number().nullable(),
  bestDifficultyAllTime: z.number().nullable(),
  sharesAccepted: z.number().nullable(),
  sharesRejected: z.number().nullable(),
  blocksFound: z.number().nullable(),
  uptimeS: z.number().nullable(),
  pool: axeosPoolSchema.nullable(),
  /** The device's pool is this HashDeck's Stratum server; null when HashDeck serves none. */
  miningHere: z.boolean().nullable(),
});
export type AxeosDeviceSnapshot = z.infer<typeof axeosDeviceSnapshotSchema>;

/** The pool fields "mine to this HashDeck" writes (ESP-Miner's `PATCH /api/system` names). */
export const axeosPoolPatchSchema = z
  .object({
    stratumURL: z.string().min(1).max(253),
    stratumPort: z.number().int().min(1).max(65535),
    stratumUser: z.string().min(1).max(256),
    /** Sent only when the device has TLS on: HashDeck's Stratum server speaks plain TCP. */
    stratumTLS: z.literal(0).optional(),
  })
  .strict();
export type AxeosPoolPatch = z.infer<typeof axeosPoolPatchSchema>;

/** What "mine to this HashDeck" would change, shown to the user before anything is sent. */
export const axeosPoolPlanSchema = z.object({
  deviceId: z.string(),
  /** One row per field that changes, old → new; fields that stay are listed with from === to. */
  changes: z.array(z.object({ field: z.string(), from: z.string(), to: z.string() })),
  patch: axeosPoolPatchSchema,
  /** ESP-Miner reads pool settings at start: the device is restarted after the change. */
  restart: z.boolean(),
});
export type AxeosPoolPlan = z.infer<typeof axeosPoolPlanSchema>;
