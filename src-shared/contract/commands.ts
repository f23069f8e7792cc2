/** Commands a client sends to the engine. */
import { z } from 'zod';
import { diagnosticsCommandOptionsSchema } from './diagnostics.js';
import { axeosPoolPatchSchema } from './fleet.js';
import { integrationCommandSchemas } from './integrations.js';
import { scheduleSchema, tuneOptionsSchema, tuneProfileSchema } from './operation.js';

/**
 * Commands a client may send. Writes (setSettings, resetStats, stop, runDiagnostics,
 * cancelDiagnostics, setAxeosDevices, axeosRestart, axeosMineHere, pauseBoards, resumeBoards,
 * setOperatingPoint, startTune, stopTune, applyProfile, setSchedule, notifyTest, restartBoard) are
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
  /** Pause or resume boards (all boards when `boardIds` is absent). */
  z.object({ type: z.literal('pauseBoards'), boardIds: z.array(z.string()).optional() }),
  z.object({ type: z.literal('resumeBoards'), boardIds: z.array(z.string()).optional() }),
  /** Frequency and/or core voltage by hand, inside the chip model's range. */
  z.object({ type: z.literal('setOperatingPoint'), boardId: z.string(), frequencyMhz: z.number().optional(), coreVoltageMv: z.number().optional() }),
  z.object({ type: z.literal('startTune'), boardId: z.string(), options: tuneOptionsSchema.optional() }),
  z.object({ type: z.literal('stopTune'), boardId: z.string() }),
  /** Apply a profile from the board's last tuning result. */
  z.object({ type: z.literal('applyProfile'), boardId: z.string(), profile: tuneProfileSchema }),
  z.object({ type: z.literal('getTuneResult'), boardId: z.string() }),
  z.object({ type: z.literal('getSchedule') }),
  z.object({ type: z.literal('setSchedule'), schedule: scheduleSchema.nullable() }),
  ...integrationCommandSchemas,
]);
export type EngineCommand = z.infer<typeof engineCommandSchema>;
