/** Live engine log (from 'log' events), with a level floor and a text filter. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { z } from 'zod';
import { engineEventSchema } from '@shared/contract';
import { useEngine, type LogEntry } from '../state/store.js';
import { EmptyState } from '../components/EmptyState.js';
import { formatClock } from '../lib/format.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
const logListSchema = z.array(engineEventSchema);

/** Accepts the getLogs reply as a list of log events or `{ logs: [...] }`; ignores anything else. */
function parseLogsReply(reply: unknown): LogEntry[] {
  const list = Array.isArray(reply) ? reply : (reply as { logs?: unknown } | null)?.logs;
  const parsed = logListSchema.safeParse(list);
  if (!parsed.success) return [];
  return parsed.data.filter((e): e is LogEntry => e.type === 'log');
}

export function LogsPage(): React.JSX.Element {
  const logs = useEngine((s) => s.logs);
  const request = useEngine((s) => s.request);
  const backfill = useEngine((s) => s.backfillLogs);
  const connection = useEngine((s) => s.connection);
  const [minLevel, setMinLevel] = useState<(typeof LEVELS)[number]>('info');
  const [filter, setFilter] = useState('');
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (connection !== 'open') return;
    request({ type: 'getLogs', limit: 1000 })
      .then((r) => backfill(parseLogsReply(r)))
      .catch(() => {
        // Older engines may not keep a log buffer; live lines still arrive.
      });
  }, [connection, request, backfill]);

  const shown = useMemo(() => {
    const floor = LEVELS.indexOf(minLevel);
    const q = filter.trim().toLowerCase();
    return logs.filter((l) => LEVELS.indexOf(l.level) >= floor && (q === '' || l.text.toLowerCase().includes(q) || l.scope.toLowerCase().includes(q)));
  }, [logs, minLevel, filter]);

  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [shown, follow]);

  return (
    <div className="page logs-page">
      <div className="toolbar">
        <select value={minLevel} onChange={(e) => setMinLevel(e.target.value as (typeof LEVELS)[number])} aria-label="minimum level">
          {LEVELS.map((l) => (
            <option key={l} value={l}>
              {l} and above
            </option>
          ))}
        </select>
        <input type="search" placeholder="Filter" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="filter" />
        <label className="check">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> follow
        </label>
        <span className="muted">
          {shown.length} of {logs.length} lines
        </span>
      </div>
      {shown.length === 0 ? (
        <EmptyState title="No log lines" testId="logs-empty">
          {logs.length === 0 ? 'Nothing has been logged since this window opened.' : 'No line matches the filter.'}
        </EmptyState>
      ) : (
        <div className="log-box" ref={box} data-testid="log-box">
          {shown.map((l, i) => (
            <div key={`${l.atMs}-${i}`} className={`log-line level-${l.level}`}>
              <span className="log-time">{formatClock(l.atMs)}</span>
              <span className="log-level">{l.level}</span>
              <span className="log-scope" title={l.scope}>
                {l.scope}
              </span>
              <span className="log-text">{l.text}</span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
