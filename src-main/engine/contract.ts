/**
 * EngineApi: the one contract between the engine and every client (Electron renderer over a
 * MessagePort, the web dashboard over WebSocket, the CLI in-process, the engine child process).
 * Commands go in, a state snapshot and an event stream come out. Every message that crosses a
 * process or network boundary is parsed with these zod schemas.
 */
import { z } from 'zod';
import { diagnosticsProgressSchema, diagnosticsReportSchema } from '../diagnostics/report.js';

export const chipModelSchema = z.enum(['bm1366', 'bm1368', 'bm1370', 'bm1397']);

/** A figure from shares/nonces with its 95 % interval; null while warming up (no data yet). */
export const estimateSchema = z.object({
  valueHs: z.number(),
  lowHs: z.number(),
  highHs: z.number(),
  /** Window length in seconds and how much of it has data (warm-up when coveredS < windowS). */
  windowS: z.number(),
  coveredS: z.number(),
  samples: z.number(),
});
export type Estimate = z.infer<typeof estimateSchema>;

export const hashrateWindowsSchema = z.object({
  '1m': estimateSchema.nullable(),
  '10m': estimateSchema.nullable(),
  '1h': estimateSchema.nullable(),
  '24h': estimateSchema.nullable(),
});
export type HashrateWindows = z.infer<typeof hashrateWindowsSchema>;

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

export const boardStateSchema = z.enum(['starting', 'initialising', 'hashing', 'recovering', 'cooling', 'lost', 'stopped', 'error']);
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
  }),
  chips: z.array(chipSnapshotSchema),
  startedAtMs: z.number(),
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
});
export type EngineSnapshot = z.infer<typeof engineSnapshotSchema>;

const logLevelSchema = z.enum(['debug', 'info', 'warn', 'error']);
export type LogLevel = z.infer<typeof logLevelSchema>;

/**
 * What a 'diagnostics' event carries: the board test's own progress events (diagnostics/report.ts),
 * plus the two ends the runner cannot report itself: a cancelled run (no report is kept) and a run
 * that could not be carried out (the port would not open, …).
 */
export const engineDiagnosticsProgressSchema = z.union([
  diagnosticsProgressSchema,
  z.object({ type: z.literal('cancelled'), atMs: z.number(), text: z.string() }),
  z.object({ type: z.literal('error'), atMs: z.number(), text: z.string() }),
]);
export type EngineDiagnosticsProgress = z.infer<typeof engineDiagnosticsProgressSchema>;

/** `runDiagnostics` options: a frequency sweep after the test; the chip count the board should have. */
export const diagnosticsCommandOptionsSchema = z.object({
  sweep: z.boolean().optional(),
  expectChips: z.number().int().min(1).max(256).optional(),
});
export type DiagnosticsCommandOptions = z.infer<typeof diagnosticsCommandOptionsSchema>;

/** What `runDiagnostics` resolves with once the run has ended (mining then resumes on the board). */
export const diagnosticsRunResultSchema = z.object({
  boardId: z.string(),
  /** Null when the run was cancelled: a cancelled run keeps no report, as `hashdeck diagnose`. */
  report: diagnosticsReportSchema.nullable(),
  cancelled: z.boolean(),
  /** Where the engine saved the report; null without a data directory, on cancel, or if saving failed. */
  reportPath: z.string().nullable(),
  /** Plain sentences about how the run was set up (chip count assumed, ticket chosen, …). */
  notes: z.array(z.string()),
});
export type DiagnosticsRunResult = z.infer<typeof diagnosticsRunResultSchema>;

/** The event stream. High-rate internal traffic (raw frames) is not an event. */
export const engineEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('log'), atMs: z.number(), level: logLevelSchema, scope: z.string(), text: z.string() }),
  z.object({ type: z.literal('board'), atMs: z.number(), boardId: z.string(), state: boardStateSchema, detail: z.string().nullable() }),
  z.object({
    type: z.literal('nonce'),
    atMs: z.number(),
    boardId: z.string(),
    chipIndex: z.number(),
    coreId: z.number(),
    verdict: z.enum(['valid', 'hw-error', 'stale']),
    difficulty: z.number(),
  }),
  z.object({
    type: z.literal('share'),
    atMs: z.number(),
    boardId: z.string(),
    pool: z.string(),
    difficulty: z.number(),
    targetDifficulty: z.number(),
    result: z.enum(['accepted', 'rejected', 'stale', 'pending']),
    reason: z.string().nullable(),
    responseMs: z.number().nullable(),
  }),
  z.object({
    type: z.literal('block'),
    atMs: z.number(),
    boardId: z.string(),
    height: z.number().nullable(),
    hash: z.string(),
    result: z.string(),
    accepted: z.boolean(),
    source: z.string(),
  }),
  z.object({ type: z.literal('pool'), atMs: z.number(), url: z.string(), state: z.string(), detail: z.string().nullable() }),
  z.object({ type: z.literal('warning'), atMs: z.number(), warning: warningSchema }),
  z.object({ type: z.literal('diagnostics'), atMs: z.number(), boardId: z.string(), progress: engineDiagnosticsProgressSchema }),
]);
export type EngineEvent = z.infer<typeof engineEventSchema>;
export type EngineEventType = EngineEvent['type'];

/**
 * Commands a client may send. Writes (setSettings, resetStats, stop, runDiagnostics,
 * cancelDiagnostics) are refused by read-only surfaces.
 */
export const engineCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('getSnapshot') }),
  z.object({ type: z.literal('stop') }),
  z.object({ type: z.literal('resetStats'), scope: z.enum(['session', 'allTime']), confirm: z.boolean().optional() }),
  z.object({ type: z.literal('getHistory'), range: z.enum(['1h', '24h', '30d']), boardId: z.string().optional() }),
  z.object({ type: z.literal('getLogs'), limit: z.number().int().positive().max(5000).optional() }),
  z.object({ type: z.literal('setSettings'), settings: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('runDiagnostics'), boardId: z.string(), options: diagnosticsCommandOptionsSchema.optional() }),
  z.object({ type: z.literal('cancelDiagnostics'), boardId: z.string() }),
]);
export type EngineCommand = z.infer<typeof engineCommandSchema>;

/**
 * Messages on a process/port boundary (engine child process, MessagePort, WebSocket).
 * Client → engine: `request`. Engine → client: `reply`, `event`, `snapshot`, `ready`.
 */
export const clientMessageSchema = z.object({ kind: z.literal('request'), id: z.number().int(), command: engineCommandSchema });
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const engineMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready'), version: z.string() }),
  z.object({ kind: z.literal('reply'), id: z.number().int(), ok: z.boolean(), result: z.unknown().optional(), error: z.string().optional() }),
  z.object({ kind: z.literal('event'), event: engineEventSchema }),
  z.object({ kind: z.literal('snapshot'), snapshot: engineSnapshotSchema }),
]);
export type EngineMessage = z.infer<typeof engineMessageSchema>;

/** The engine as its clients see it (same shape in-process and remote). */
export interface EngineApi {
  command(command: EngineCommand): Promise<unknown>;
  snapshot(): EngineSnapshot;
  subscribe(listener: (event: EngineEvent) => void): () => void;
  onSnapshot(listener: (snapshot: EngineSnapshot) => void): () => void;
}

/** Summary printed at the end of `mine --json` (DESIGN.md "Command line"). */
export const mineSummarySchema = z.object({
  type: z.literal('summary'),
  durationS: z.number(),
  nonces: z.number(),
  validNonces: z.number(),
  hwErrors: z.number(),
  sharesAccepted: z.number(),
  sharesRejected: z.number(),
  sharesStale: z.number(),
  blocksFound: z.number(),
  bestDifficulty: z.number(),
  bestDifficultyAllTime: z.number(),
  hashrateHs: z.number(),
  emulated: z.boolean(),
  boards: z.array(z.object({ id: z.string(), model: chipModelSchema, chips: z.number(), emulated: z.boolean(), scaleBits: z.number(), nonces: z.number(), validNonces: z.number(), hwErrors: z.number(), hashrateHs: z.number(), framesBad: z.number() })),
});
export type MineSummary = z.infer<typeof mineSummarySchema>;
