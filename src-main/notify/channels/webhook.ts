/**
 * A generic webhook: the notification as JSON, POSTed. With a secret, the header
 * `X-HashDeck-Signature: sha256=<hex>` is the HMAC-SHA256 of the exact body under that secret, so
 * the receiver can check who sent it (docs/integrations.md §1.1).
 */
import { createHmac } from 'node:crypto';
import type { NotifyEventKind } from '@shared/contract';
import type { Notification } from '../events.js';
import { safeUrlLabel } from '../redact.js';
import type { NotifyChannel } from './channel.js';
import { post } from './http.js';

export const SIGNATURE_HEADER = 'X-HashDeck-Signature';

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function webhookBody(n: Notification): string {
  return JSON.stringify({ source: 'hashdeck', event: n.kind, title: n.title, text: n.text, atMs: n.atMs, time: new Date(n.atMs).toISOString() });
}

export class WebhookChannel implements NotifyChannel {
  readonly kind = 'webhook' as const;
  readonly label: string;
  readonly secrets: readonly string[];

  constructor(
    private readonly url: string,
    readonly events: ReadonlySet<NotifyEventKind>,
    private readonly secret: string | null = null,
  ) {
    this.label = `webhook ${safeUrlLabel(url)}`;
    this.secrets = [url, ...(secret ? [secret] : [])];
  }

  async send(n: Notification): Promise<void> {
    const body = webhookBody(n);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'HashDeck' };
    if (this.secret) headers[SIGNATURE_HEADER] = signBody(body, this.secret);
    await post(this.url, body, headers);
  }
}
