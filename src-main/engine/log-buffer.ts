import type { EngineEvent } from '@shared/contract';

type LogEvent = Extract<EngineEvent, { type: 'log' }>;

/** The last N log lines, for the Logs page and `getLogs`. Bounded memory. */
export class LogBuffer {
  private readonly lines: LogEvent[] = [];
  constructor(private readonly capacity: number) {}

  push(event: LogEvent): void {
    this.lines.push(event);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
  }

  recent(limit: number): LogEvent[] {
    return this.lines.slice(-limit);
  }
}
