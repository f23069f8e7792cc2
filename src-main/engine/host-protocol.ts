/**
 * The engine process protocol (Electron utilityProcess in the desktop app, child_process.fork in
 * tests — the same messages). The host sends `start` once, then client requests; the engine
 * answers with `ready`, replies, events and snapshots (contract.ts engineMessageSchema).
 */
import { z } from 'zod';
import { clientMessageSchema } from './contract.js';

export const engineStartSchema = z.object({
  kind: z.literal('start'),
  dataDir: z.string().nullable(),
  devices: z.array(z.string()).default([]),
  frequencyMhz: z.number().positive().nullable().default(null),
});
export type EngineStart = z.infer<typeof engineStartSchema>;

export const hostMessageSchema = z.union([engineStartSchema, clientMessageSchema, z.object({ kind: z.literal('shutdown') })]);
export type HostMessage = z.infer<typeof hostMessageSchema>;
