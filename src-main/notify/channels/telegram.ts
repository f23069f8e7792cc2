/**
 * Telegram: the Bot API's sendMessage, `POST <api>/bot<token>/sendMessage` with a JSON body
 * {chat_id, text}; the reply is {"ok": true, …} on success (docs/integrations.md §1.3). The bot
 * token sits in the URL path, so the URL is never shown.
 */
import type { NotifyEventKind } from '@shared/contract';
import type { Notification } from '../events.js';
import { plainMessage, type NotifyChannel } from './channel.js';
import { ChannelError, post } from './http.js';

export const TELEGRAM_API = 'https://api.telegram.org';
export const TELEGRAM_TEXT_LIMIT = 4096;

export class TelegramChannel implements NotifyChannel {
  readonly kind = 'telegram' as const;
  readonly label: string;
  readonly secrets: readonly string[];
  private readonly url: string;

  constructor(
    private readonly chatId: string,
    token: string,
    readonly events: ReadonlySet<NotifyEventKind>,
    apiBase = TELEGRAM_API,
  ) {
    this.label = `telegram chat ${chatId}`;
    this.url = `${apiBase.replace(/\/+$/, '')}/bot${token}/sendMessage`;
    this.secrets = [token, this.url];
  }

  async send(n: Notification): Promise<void> {
    const res = await post(this.url, JSON.stringify({ chat_id: this.chatId, text: plainMessage(n).slice(0, TELEGRAM_TEXT_LIMIT), disable_web_page_preview: true }), {
      'content-type': 'application/json',
    });
    const reply = (await res.json().catch(() => null)) as { ok?: unknown; description?: unknown } | null;
    if (reply?.ok !== true) throw new ChannelError(`the Bot API said no${typeof reply?.description === 'string' ? `: ${reply.description.slice(0, 200)}` : ''}`);
  }
}
