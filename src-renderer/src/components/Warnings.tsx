/** Engine warnings (overheat, pool down, low share rate …), newest first. */
import type { Warning } from '@shared/contract';
import { formatClock } from '../lib/format.js';

export function Warnings({ warnings }: { warnings: Warning[] }): React.JSX.Element | null {
  if (warnings.length === 0) return null;
  const sorted = [...warnings].sort((a, b) => b.atMs - a.atMs);
  return (
    <ul className="warnings" data-testid="warnings">
      {sorted.map((w) => (
        <li key={w.id} className={`warning level-${w.level}`}>
          <span className="warning-level">{w.level}</span>
          <span className="warning-text">{w.text}</span>
          <span className="warning-time">
            {w.boardId ? `${w.boardId} · ` : ''}
            {formatClock(w.atMs)}
          </span>
        </li>
      ))}
    </ul>
  );
}
