/**
 * Discord: a JSON body with `content` (at most 2000 characters) POSTed to the webhook URL, whose
 * path holds the webhook's token (docs/integrations.md §1.4).
 */
import type { NotifyEventKind } from '@shared/contract';
import type { Notification } from '../events.js';
import { safeUrlLabel } from '../redact.js';
import { plainMessage, type NotifyChannel } from './channel.js';
import { post } from './http.js';

export const DISCORD_CONTENT_LIMIT = 2000;

export class DiscordChannel implements NotifyChannel {
  readonly kind = 'discord' as const;
  readonly label: string;
  readonly secrets: readonly string[];

  constructor(
    private readonly webhookUrl: string,
    readonly events: ReadonlySet<NotifyEventKind>,
  ) {
    this.label = `discord ${safeUrlLabel(webhookUrl)}`;
    this.secrets = [webhookUrl];
  }

  async send(n: Notification): Promise<void> {
    const content = `**${n.title}**\n${plainMessage(n).split('\n').slice(1).join('\n')}`.slice(0, DISCORD_CONTENT_LIMIT);
    await post(this.webhookUrl, JSON.stringify({ username: 'HashDeck', content, allowed_mentions: { parse: [] } }), { 'content-type': 'application/json' });
  }
}
