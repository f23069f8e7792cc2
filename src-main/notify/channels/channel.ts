/** A notification channel: where a message goes and how it is said there. */
import type { NotifyChannelKind, NotifyEventKind } from '@shared/contract';
import type { Notification } from '../events.js';

export interface NotifyChannel {
  readonly kind: NotifyChannelKind;
  /** How the channel is named in logs and results: no token, no webhook path. */
  readonly label: string;
  /** Every secret this channel holds (for redaction). */
  readonly secrets: readonly string[];
  readonly events: ReadonlySet<NotifyEventKind>;
  send(n: Notification): Promise<void>;
}

/** One line of plain text for chat-like channels. */
export function plainMessage(n: Notification): string {
  return `${n.title}\n${n.text}\n${new Date(n.atMs).toISOString()}`;
}
