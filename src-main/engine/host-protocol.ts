/**
 * The engine process protocol (Electron utilityProcess in the desktop app, child_process.fork in
 * tests — the same messages). The host sends `start` once, then client requests; the engine
 * answers with `ready`, replies, events and snapshots (contract.ts engineMessageSchema).
 */
import { z } from 'zod';
import { clientMessageSchema } from '@shared/contract';

export const engineStartSchema = z.object({
  kind: z.literal('start'),
  dataDir: z.string().nullable(),
  devices: z.array(z.string()).default([]),
  frequencyMhz: z.number().positive().nullable().default(null),
  /** The desktop shell can seal secrets with the OS keychain (Electron safeStorage). */
  keychain: z.boolean().default(false),
  /** The desktop shell has no real keychain: keep secrets out of settings.json, for this session only. */
  sessionSecrets: z.boolean().default(false),
});
export type EngineStart = z.infer<typeof engineStartSchema>;

/** The shell's answer to a keychain request. */
export const keychainReplySchema = z.object({ kind: z.literal('keychain-reply'), id: z.number().int(), ok: z.boolean(), data: z.string().optional(), error: z.string().optional() });

/** Engine → shell: seal or unseal a secret with the OS keychain. */
export const keychainRequestSchema = z.object({ kind: z.literal('keychain'), id: z.number().int(), op: z.enum(['seal', 'unseal']), data: z.string() });
export type KeychainRequest = z.infer<typeof keychainRequestSchema>;

export const hostMessageSchema = z.union([engineStartSchema, clientMessageSchema, keychainReplySchema, z.object({ kind: z.literal('shutdown') })]);
export type HostMessage = z.infer<typeof hostMessageSchema>;
