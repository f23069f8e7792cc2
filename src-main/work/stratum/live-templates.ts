/**
 * The templates of a Stratum source that are still live (docs/stratum-and-gbt.md §4). A template
 * is live while it belongs to the current session, or to the previous session of the active pool
 * while a new one is being brought up (shares found meanwhile are queued, not lost). Bounded:
 * pools expire jobs after minutes anyway.
 */
import type { WorkTemplate } from '../job.js';
import type { NotifyParams } from './messages.js';
import { notifyToTemplate, type TemplateContext } from './template.js';

/** Live templates kept per source. */
export const MAX_LIVE_TEMPLATES = 64;

/** Where a template came from. */
export interface TemplateOrigin {
  sessionId: number;
  poolIndex: number;
}

/** The session work comes from, as far as liveness cares. */
export interface WorkingSession {
  id: number;
  /** Has delivered work (until then the previous session's templates stay live). */
  gotWork: boolean;
}

export class LiveTemplates {
  private sequence = 0;
  private readonly origins = new Map<string, TemplateOrigin>();

  /**
   * The template for a notify, numbered so keys never repeat, recorded as live; with forceClean (new
   * session or extranonce) other sessions' templates are void. Throws when the notify cannot be used.
   */
  record(notify: NotifyParams, ctx: Omit<TemplateContext, 'sequence'> & TemplateOrigin): WorkTemplate {
    const template = notifyToTemplate(notify, { ...ctx, sequence: this.sequence++ });
    if (ctx.forceClean) for (const [k, o] of this.origins) if (o.sessionId !== ctx.sessionId) this.origins.delete(k);
    this.origins.set(template.key, { sessionId: ctx.sessionId, poolIndex: ctx.poolIndex });
    while (this.origins.size > MAX_LIVE_TEMPLATES) this.origins.delete(this.origins.keys().next().value!);
    return template;
  }

  origin(key: string): TemplateOrigin | undefined {
    return this.origins.get(key);
  }

  isLive(key: string, current: WorkingSession | null, activePoolIndex: number): boolean {
    const o = this.origins.get(key);
    if (!o || !current) return false;
    // The current session's work, or the previous session's while we reconnect (shares are queued).
    return o.sessionId === current.id || (o.poolIndex === activePoolIndex && !current.gotWork);
  }

  /** All work is void (clean_jobs, reconnect, switch). */
  clear(): void {
    this.origins.clear();
  }

  get size(): number {
    return this.origins.size;
  }
}
