/**
 * The warnings the user must see (a lost board, a pool difficulty too high for the rig, a found
 * block, …): one entry per id, kept until cleared, each new or changed one published as a
 * 'warning' event. The engine's parts raise them here; snapshots list them.
 */
import type { EventBus } from '@shared/bus.js';
import type { Warning } from '@shared/contract';
import { plainText } from '@shared/plain-text.js';

export class Warnings {
  private readonly byId = new Map<string, Warning>();

  constructor(private readonly bus: EventBus) {}

  raise(id: string, level: Warning['level'], text: string, boardId: string | null): void {
    const warning: Warning = { id, level, text: plainText(text), atMs: Date.now(), boardId };
    this.byId.set(id, warning);
    this.bus.emit({ type: 'warning', atMs: warning.atMs, warning });
  }

  /** Change the text of a standing warning without a new event (figures that move every second). */
  refresh(id: string, text: string): void {
    const w = this.byId.get(id);
    if (w) w.text = plainText(text);
  }

  get(id: string): Warning | undefined {
    return this.byId.get(id);
  }

  clear(id: string): void {
    this.byId.delete(id);
  }

  list(): Warning[] {
    return [...this.byId.values()];
  }
}
