/** Board tests run from a client: the command's options, its result, and the progress events. */
import { z } from 'zod';
import { diagnosticsProgressSchema, diagnosticsReportSchema } from '../diagnostics-report.js';

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
