/** Messages on a process or network boundary, and the EngineApi interface every client sees. */
import { z } from 'zod';
import { engineCommandSchema, type EngineCommand } from './commands.js';
import { engineEventSchema, type EngineEvent } from './events.js';
import { engineSnapshotSchema, type EngineSnapshot } from './snapshot.js';

/**
 * Messages on a process/port boundary (engine child process, MessagePort, WebSocket).
 * Client → engine: `request`. Engine → client: `reply`, `event`, `snapshot`, `ready`.
 */
export const clientMessageSchema = z.object({ kind: z.literal('request'), id: z.number().int(), command: engineCommandSchema });
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const engineMessageSchema = z.discriminatedUnion('kind', [
  /** `writes`: whether this client may send write commands (absent: it may, as the desktop window). */
  z.object({ kind: z.literal('ready'), version: z.string(), writes: z.boolean().optional() }),
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
