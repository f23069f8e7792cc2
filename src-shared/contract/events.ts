/** The engine's event stream. */
import { z } from 'zod';
import { engineDiagnosticsProgressSchema } from './diagnostics.js';
import { logLevelSchema } from '../log-level.js';
import { boardStateSchema, warningSchema } from './snapshot.js';
import { tuneProgressSchema } from './operation.js';

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
  z.object({ type: z.literal('tune'), atMs: z.number(), boardId: z.string(), progress: tuneProgressSchema }),
]);
export type EngineEvent = z.infer<typeof engineEventSchema>;
export type EngineEventType = EngineEvent['type'];
