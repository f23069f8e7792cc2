/**
 * The plain word lists behind the integration schemas (src-shared/contract/integrations.ts), kept
 * free of zod so that the CLI's argument parser can check `--notify-events` and `export --what`
 * without loading the schema library (`hashdeck --help` starts in about Node's own start time).
 */

/** What a notification can be about; each channel picks its own (default: all but 'best-session'). */
export const NOTIFY_EVENT_KINDS = [
  'block',
  'best-all-time',
  'best-session',
  'board-lost',
  'over-temperature',
  'hw-errors',
  'pool-down',
  'failover',
  'node-unreachable',
  'payout-check',
  'engine',
] as const;
export type NotifyEventKind = (typeof NOTIFY_EVENT_KINDS)[number];

export const NOTIFY_CHANNEL_KINDS = ['webhook', 'ntfy', 'discord', 'telegram'] as const;
export type NotifyChannelKind = (typeof NOTIFY_CHANNEL_KINDS)[number];

export const CSV_EXPORTS = ['shares', 'samples', 'blocks'] as const;
export type CsvExport = (typeof CSV_EXPORTS)[number];
