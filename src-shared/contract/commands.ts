/** Commands a client sends to the engine. */
import { z } from 'zod';
import { diagnosticsCommandOptionsSchema } from './diagnostics.js';
import { integrationCommandSchemas } from './integrations.js';

/**
 * Commands a client may send. Writes (setSettings, resetStats, stop, runDiagnostics,
 * cancelDiagnostics, notifyTest, restartBoard) are refused by read-only surfaces.
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
  ...integrationCommandSchemas,
]);
export type EngineCommand = z.infer<typeof engineCommandSchema>;
