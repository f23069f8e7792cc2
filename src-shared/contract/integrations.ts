/**
 * Words shared by the engine, the CLI, the settings file and the renderer for what HashDeck tells
 * the outside world: notification channels and their events, MQTT (Home Assistant), the best-shares
 * list and CSV export.
 */
import { z } from 'zod';
import { CSV_EXPORTS, NOTIFY_CHANNEL_KINDS, NOTIFY_EVENT_KINDS } from '../integration-kinds.js';

export { CSV_EXPORTS, NOTIFY_CHANNEL_KINDS, NOTIFY_EVENT_KINDS };

export const notifyEventKindSchema = z.enum(NOTIFY_EVENT_KINDS);
export type NotifyEventKind = z.infer<typeof notifyEventKindSchema>;

/** A new session best happens many times an hour at first: only on request. */
export const DEFAULT_NOTIFY_EVENTS: readonly NotifyEventKind[] = NOTIFY_EVENT_KINDS.filter((k) => k !== 'best-session');

export const notifyChannelKindSchema = z.enum(NOTIFY_CHANNEL_KINDS);
export type NotifyChannelKind = z.infer<typeof notifyChannelKindSchema>;

/**
 * One channel: `target` is a URL (webhook, ntfy topic, Discord webhook) or a Telegram chat id.
 * `secret` is the webhook's HMAC key or the ntfy access token. Targets and secrets are secrets.
 */
export const notifyChannelSchema = z.object({
  kind: notifyChannelKindSchema,
  target: z.string().min(1),
  secret: z.string().min(1).optional(),
  events: z.array(notifyEventKindSchema).optional(),
});
export type NotifyChannelSetting = z.infer<typeof notifyChannelSchema>;

export const notifySettingsSchema = z.object({
  channels: z.array(notifyChannelSchema).max(16).default([]),
  telegramToken: z.string().min(1).optional(),
  /** Another Bot API base URL (a local Bot API server; tests). */
  telegramApi: z.string().url().optional(),
});
export type NotifySettings = z.infer<typeof notifySettingsSchema>;

/** `mqtt[s]://[user:pass@]host:port`; the password in it is a secret. */
export const mqttSettingsSchema = z.object({
  url: z.string().regex(/^mqtts?:\/\//, 'an MQTT URL starts with mqtt:// or mqtts://'),
  /** Home Assistant node id (default: hashdeck_<host name>). */
  nodeId: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/, 'letters, digits, _ and - only')
    .optional(),
  /** Accept pause/resume/restart from MQTT (the desktop app's --allow-writes). */
  allowCommands: z.boolean().optional(),
});
export type MqttSettings = z.infer<typeof mqttSettingsSchema>;

/** One channel's answer to a test message (`notifyTest`, `hashdeck notify-test`). */
export const notifyTestResultSchema = z.object({
  channel: z.string(),
  ok: z.boolean(),
  error: z.string().nullable(),
});
export type NotifyTestResult = z.infer<typeof notifyTestResultSchema>;

/** An entry of the best-shares list: which board or miner, pool or solo. */
export const bestShareSchema = z.object({
  atMs: z.number(),
  difficulty: z.number(),
  /** A board id (or a network miner's worker name). */
  deviceId: z.string(),
  /** Pool URL, node URL or "synthetic". */
  source: z.string(),
  work: z.enum(['pool', 'solo', 'benchmark']),
  hash: z.string().nullable(),
});
export type BestShare = z.infer<typeof bestShareSchema>;

export const csvExportSchema = z.enum(CSV_EXPORTS);
export type CsvExport = z.infer<typeof csvExportSchema>;

/** Commands of this part (joined into engineCommandSchema). */
export const integrationCommandSchemas = [
  z.object({ type: z.literal('notifyTest') }),
  z.object({ type: z.literal('exportCsv'), what: csvExportSchema, fromMs: z.number().optional(), toMs: z.number().optional() }),
  z.object({ type: z.literal('restartBoard'), boardId: z.string() }),
] as const;
