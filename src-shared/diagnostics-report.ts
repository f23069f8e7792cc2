/**
 * The diagnostics report and progress events. Pure zod schemas so that the renderer, the CLI
 * (`diagnose --report file.json`) and the engine agree on one shape.
 */
import { z } from 'zod';

export const stepStatusSchema = z.enum(['pass', 'fail', 'n/a', 'skipped']);
export type StepStatus = z.infer<typeof stepStatusSchema>;

export const STEP_NAMES = ['enumeration', 'sensors', 'register-readback', 'known-answer', 'hashing', 'core-map', 'hashrate', 'limits', 'sweep'] as const;
export const stepNameSchema = z.enum(STEP_NAMES);
export type StepName = z.infer<typeof stepNameSchema>;

export const STEP_TITLES: Record<StepName, string> = {
  enumeration: 'Chip enumeration',
  sensors: 'Sensors',
  'register-readback': 'Register read-back',
  'known-answer': 'Known-answer test (block 125552)',
  hashing: 'Hashing run',
  'core-map': 'Per-chip and per-core response',
  hashrate: 'Hashrate vs expected',
  limits: 'Voltage, power and temperature limits',
  sweep: 'Frequency sweep',
};

const figureSchema = z.union([z.number(), z.string(), z.boolean(), z.null()]);

export const stepResultSchema = z.object({
  name: stepNameSchema,
  title: z.string(),
  status: stepStatusSchema,
  /** Measured values and limits, units in the key (asicTempMaxC, powerW, …). */
  figures: z.record(z.string(), figureSchema),
  /** One or more plain sentences. */
  detail: z.string(),
  durationMs: z.number(),
});
export type StepResult = z.infer<typeof stepResultSchema>;

export const chipCoverageSchema = z.object({
  index: z.number(),
  validNonces: z.number(),
  hwErrors: z.number(),
  /** Valid nonces per core id (index = core id). */
  coreCounts: z.array(z.number()),
  silentCores: z.array(z.number()),
});
export type ChipCoverage = z.infer<typeof chipCoverageSchema>;

export const sweepRowSchema = z.object({
  frequencyMhz: z.number(),
  coreVoltageV: z.number().nullable(),
  hashrateHs: z.number(),
  expectedHashrateHs: z.number(),
  powerW: z.number().nullable(),
  /** Joules per terahash: powerW / (hashrateHs / 1e12). */
  jPerTh: z.number().nullable(),
  asicTempMaxC: z.number().nullable(),
  validNonces: z.number(),
  hwErrors: z.number(),
  durationMs: z.number(),
  note: z.string().nullable(),
});
export type SweepRow = z.infer<typeof sweepRowSchema>;

export const diagnosticsReportSchema = z.object({
  kind: z.literal('hashdeck-diagnostics'),
  version: z.literal(1),
  verdict: z.enum(['PASS', 'FAIL']),
  reasons: z.array(z.string()),
  board: z.object({
    name: z.string(),
    model: z.string(),
    emulated: z.boolean(),
    scaleBits: z.number(),
    frequencyMhz: z.number(),
    coreVoltageV: z.number().nullable(),
    ticketDifficulty: z.number(),
    controlParts: z.array(z.string()),
  }),
  chips: z.object({ expected: z.number(), found: z.number() }),
  steps: z.array(stepResultSchema),
  coreMap: z.object({ coresPerChip: z.number(), requiredNonces: z.number(), judged: z.boolean(), chips: z.array(chipCoverageSchema) }).nullable(),
  sweep: z.array(sweepRowSchema).nullable(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
});
export type DiagnosticsReport = z.infer<typeof diagnosticsReportSchema>;

export const diagnosticsProgressSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), atMs: z.number(), board: z.string(), steps: z.array(stepNameSchema) }),
  z.object({ type: z.literal('step-start'), atMs: z.number(), name: stepNameSchema }),
  z.object({ type: z.literal('step-progress'), atMs: z.number(), name: stepNameSchema, fraction: z.number(), text: z.string() }),
  z.object({ type: z.literal('step-end'), atMs: z.number(), step: stepResultSchema }),
  z.object({ type: z.literal('sweep-row'), atMs: z.number(), row: sweepRowSchema }),
  z.object({ type: z.literal('done'), atMs: z.number(), report: diagnosticsReportSchema }),
]);
export type DiagnosticsProgress = z.infer<typeof diagnosticsProgressSchema>;
