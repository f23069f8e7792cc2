/** Commands a client sends to the engine. */
import { z } from 'zod';
import { diagnosticsCommandOptionsSchema } from './diagnostics.js';
import { axeosPoolPatchSchema } from './fleet.js';
import { integrationCommandSchemas } from './integrations.js';

/**
 * Commands a client may send. Writes (setSettings, resetStats, stop, runDiagnostics,
 * cancelDiagnostics, setAxeosDevices, axeosRestart, axeosMineHere, notifyTest, restartBoard) are
 * refused by read-only surfaces.
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
  // AxeOS devices watched over HTTP (docs/axeos.md): the address list (`host[:port]`), a restart,
  // and pointing a device's pool at this HashDeck. axeosPoolPlan only reads: it shows the change.
  z.object({ type: z.literal('setAxeosDevices'), devices: z.array(z.string().max(300)).max(32) }),
  z.object({ type: z.literal('axeosRestart'), deviceId: z.string() }),
  z.object({ type: z.literal('axeosPoolPlan'), deviceId: z.string() }),
  z.object({ type: z.literal('axeosMineHere'), deviceId: z.string(), expected: axeosPoolPatchSchema }),
  ...integrationCommandSchemas,
]);
export type EngineCommand = z.infer<typeof engineCommandSchema>;
