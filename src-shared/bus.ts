/**
 * The one event bus. Engine parts publish EngineEvents here; observers (stats, ledger, API
 * servers, CLI output) subscribe. Listeners run synchronously and must not throw: a throwing
 * listener is isolated and reported once, never allowed to break the publisher.
 */
import type { EngineEvent, EngineEventType } from './contract/index.js';
import type { LogLevel } from './log-level.js';
import { plainText, plainTextOrNull } from './plain-text.js';

type Listener<T extends EngineEventType> = (event: Extract<EngineEvent, { type: T }>) => void;
type AnyListener = (event: EngineEvent) => void;

export class EventBus {
  private readonly byType = new Map<EngineEventType, Set<AnyListener>>();
  private readonly all = new Set<AnyListener>();
  private reportedFailure = false;

  /** Where the first listener failure is reported (default: console.warn; the bus has no Node dependency). */
  constructor(private readonly onListenerError: (message: string) => void = (m) => console.warn(m)) {}

  emit(event: EngineEvent): void {
    event = withPlainText(event);
    const typed = this.byType.get(event.type);
    if (typed) for (const l of typed) this.call(l, event);
    for (const l of this.all) this.call(l, event);
  }

  on<T extends EngineEventType>(type: T, listener: Listener<T>): () => void {
    let set = this.byType.get(type);
    if (!set) this.byType.set(type, (set = new Set()));
    set.add(listener as AnyListener);
    return () => set!.delete(listener as AnyListener);
  }

  onAny(listener: AnyListener): () => void {
    this.all.add(listener);
    return () => this.all.delete(listener);
  }

  /** Convenience for log events. */
  log(level: LogLevel, scope: string, text: string): void {
    this.emit({ type: 'log', atMs: Date.now(), level, scope, text });
  }

  private call(listener: AnyListener, event: EngineEvent): void {
    try {
      listener(event);
    } catch (err) {
      if (!this.reportedFailure) {
        this.reportedFailure = true;
        this.onListenerError(`event listener failed on ${event.type}: ${(err as Error).message}`);
      }
    }
  }
}

/**
 * Every text an event carries is plain text by the time anyone sees it (log lines, the journal,
 * the dashboard): one place, so that no source of outside text can be forgotten.
 */
function withPlainText(e: EngineEvent): EngineEvent {
  switch (e.type) {
    case 'log':
      return { ...e, scope: plainText(e.scope), text: plainText(e.text) };
    case 'warning':
      return { ...e, warning: { ...e.warning, text: plainText(e.warning.text) } };
    case 'pool':
      return { ...e, url: plainText(e.url), state: plainText(e.state), detail: plainTextOrNull(e.detail) };
    case 'share':
      return { ...e, pool: plainText(e.pool), reason: plainTextOrNull(e.reason) };
    case 'block':
      return { ...e, result: plainText(e.result), source: plainText(e.source) };
    case 'board':
      return { ...e, detail: plainTextOrNull(e.detail) };
    default:
      return e;
  }
}
