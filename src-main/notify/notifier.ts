/**
 * The notifier: channels built from the configuration, one queue each, fed by the EventWatcher from
 * the engine's events and snapshots. `attach` hooks it to an engine (in-process EngineApi), `test`
 * sends a test message to every channel straight away and reports each result. Every log line goes
 * through the Redactor.
 */
import { DEFAULT_NOTIFY_EVENTS, type EngineApi, type NotifyChannelSetting, type NotifyEventKind, type NotifyTestResult } from '@shared/contract';
import type { LogLevel } from '@shared/log-level.js';
import type { NotifyChannel } from './channels/channel.js';
import { DiscordChannel } from './channels/discord.js';
import { NtfyChannel } from './channels/ntfy.js';
import { TelegramChannel } from './channels/telegram.js';
import { WebhookChannel } from './channels/webhook.js';
import { DEFAULT_THRESHOLDS, engineNotification, EventWatcher, testNotification, type Notification, type WatchThresholds } from './events.js';
import { NotifyQueue, type QueueOptions } from './queue.js';
import { Redactor } from './redact.js';

export interface NotifyConfig {
  channels: NotifyChannelSetting[];
  telegramToken?: string;
  /** Another Bot API base (a local Bot API server, tests). */
  telegramApi?: string;
  thresholds?: Partial<WatchThresholds>;
  queue?: Partial<QueueOptions>;
}

export type NotifyLog = (level: LogLevel, text: string) => void;

/** Thrown for a configuration that cannot work (a Telegram chat without a bot token). */
export class NotifyConfigError extends Error {
  override name = 'NotifyConfigError';
}

export function createChannel(setting: NotifyChannelSetting, config: Pick<NotifyConfig, 'telegramToken' | 'telegramApi'>): NotifyChannel {
  const events = new Set<NotifyEventKind>(setting.events ?? DEFAULT_NOTIFY_EVENTS);
  switch (setting.kind) {
    case 'webhook':
      return new WebhookChannel(checkedUrl(setting), events, setting.secret ?? null);
    case 'ntfy':
      return new NtfyChannel(checkedUrl(setting), events, setting.secret ?? null);
    case 'discord':
      return new DiscordChannel(checkedUrl(setting), events);
    case 'telegram':
      if (!config.telegramToken) throw new NotifyConfigError('a telegram channel needs the bot token (--telegram-token)');
      if (!/^-?\d+$|^@\w+$/.test(setting.target)) throw new NotifyConfigError('a telegram target is a chat id (a number, or @channelname)');
      return new TelegramChannel(setting.target, config.telegramToken, events, config.telegramApi);
  }
}

function checkedUrl(setting: NotifyChannelSetting): string {
  let u: URL;
  try {
    u = new URL(setting.target);
  } catch {
    throw new NotifyConfigError(`a ${setting.kind} target must be an http(s) URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new NotifyConfigError(`a ${setting.kind} target must be an http(s) URL`);
  return setting.target;
}

export class Notifier {
  readonly redactor = new Redactor();
  readonly queues: NotifyQueue[];
  private readonly watcher: EventWatcher;
  private readonly detach: (() => void)[] = [];

  constructor(
    config: NotifyConfig,
    private readonly log: NotifyLog,
  ) {
    const channels = config.channels.map((c) => createChannel(c, config));
    this.redactor.add(config.telegramToken, config.telegramApi);
    for (const c of channels) this.redactor.add(...c.secrets);
    const safeLog = (level: LogLevel, text: string): void => log(level, this.redactor.redact(text));
    this.queues = channels.map((c) => new NotifyQueue(c, safeLog, config.queue));
    this.watcher = new EventWatcher((n) => this.publish(n), { ...DEFAULT_THRESHOLDS, ...config.thresholds });
  }

  get channelLabels(): string[] {
    return this.queues.map((q) => q.channel.label);
  }

  /** Listen to an engine: its events and snapshots; says that the engine started. */
  attach(engine: Pick<EngineApi, 'subscribe' | 'onSnapshot'>, startedDetail: string): void {
    this.detach.push(engine.subscribe((e) => this.watcher.onEvent(e)));
    this.detach.push(engine.onSnapshot((s) => this.watcher.onSnapshot(s)));
    this.publish(engineNotification('started', startedDetail));
    this.log('info', `notifications to ${this.queues.length} channel(s): ${this.channelLabels.join(', ')}`);
  }

  /** Hand a notification to every channel that wants it (returns at once). */
  publish(n: Notification): void {
    for (const q of this.queues) q.push(n);
  }

  /** A test message to every channel, sent now (no dedupe, no retry): one result per channel. */
  async test(): Promise<NotifyTestResult[]> {
    const n = testNotification();
    return Promise.all(
      this.queues.map(async (q): Promise<NotifyTestResult> => {
        try {
          await q.channel.send(n);
          return { channel: q.channel.label, ok: true, error: null };
        } catch (err) {
          return { channel: q.channel.label, ok: false, error: this.redactor.redact((err as Error).message) };
        }
      }),
    );
  }

  /** Says the engine stopped, gives the queues a moment to send, then stops them. */
  async stop(detail: string, drainMs = 3_000): Promise<void> {
    for (const off of this.detach.splice(0)) off();
    this.publish(engineNotification('stopped', detail));
    await Promise.all(this.queues.map((q) => q.drain(drainMs)));
    for (const q of this.queues) q.stop();
  }
}
