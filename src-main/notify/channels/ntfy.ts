/**
 * ntfy: the message body POSTed to the topic URL, with Title, Priority and Tags headers, and an
 * access token as a Bearer header when one is given (docs/integrations.md §1.2).
 */
import type { NotifyEventKind } from '@shared/contract';
import type { Notification } from '../events.js';
import { safeUrlLabel } from '../redact.js';
import type { NotifyChannel } from './channel.js';
import { post } from './http.js';

export class NtfyChannel implements NotifyChannel {
  readonly kind = 'ntfy' as const;
  readonly label: string;
  readonly secrets: readonly string[];

  constructor(
    private readonly topicUrl: string,
    readonly events: ReadonlySet<NotifyEventKind>,
    private readonly token: string | null = null,
  ) {
    this.label = `ntfy ${safeUrlLabel(topicUrl)}`;
    this.secrets = [topicUrl, ...(token ? [token] : [])];
  }

  async send(n: Notification): Promise<void> {
    // Header values must be Latin-1: titles are kept ASCII.
    const headers: Record<string, string> = {
      'content-type': 'text/plain; charset=utf-8',
      title: n.title.replace(/[^\x20-\x7e]/g, '?'),
      priority: n.kind === 'block' ? 'urgent' : n.urgent ? 'high' : 'default',
      tags: n.kind === 'block' ? 'tada,pick' : n.urgent ? 'warning' : 'pick',
    };
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    await post(this.topicUrl, `${n.text}\n${new Date(n.atMs).toISOString()}`, headers);
  }
}
