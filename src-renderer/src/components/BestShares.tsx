/** The all-time best shares (the engine's scoreboard): difficulty, when, which board or miner, pool or solo. */
import type { BestShare } from '@shared/contract';
import { formatDifficulty, formatDuration } from '../lib/format.js';
import { EmptyState } from './EmptyState.js';
import './best-shares.css';

/** Pool or node URL as a short label: the host, never a path. */
export function sourceLabel(share: BestShare): string {
  if (share.work === 'benchmark') return 'benchmark';
  const m = /^[a-z+]+:\/\/(\[[^\]]+\]|[^/:]+)/i.exec(share.source);
  return m ? m[1]! : share.source;
}

export function BestShares({ shares, nowMs, limit = 10 }: { shares: readonly BestShare[]; nowMs: number; limit?: number }): React.JSX.Element {
  return (
    <section className="panel best-shares" aria-label="best shares">
      <div className="panel-title">
        Best shares <span className="muted">all time · top {Math.min(limit, shares.length)}</span>
      </div>
      {shares.length === 0 ? (
        <EmptyState title="No shares yet" testId="best-shares-empty">
          The best shares ever found in this data directory appear here.
        </EmptyState>
      ) : (
        <ol className="best-list" data-testid="best-shares">
          {shares.slice(0, limit).map((s, i) => (
            <li key={`${s.atMs}-${s.deviceId}-${i}`} className="best-row" data-testid="best-share">
              <span className="best-rank">{i + 1}</span>
              <span className="best-difficulty" data-testid="best-share-difficulty">
                {formatDifficulty(s.difficulty)}
              </span>
              <span className="best-device" title={s.deviceId}>
                {s.deviceId}
              </span>
              <span className={`badge best-work best-work-${s.work}`}>{s.work}</span>
              <span className="best-source muted" title={s.source}>
                {sourceLabel(s)}
              </span>
              <span className="best-when muted" title={new Date(s.atMs).toLocaleString()}>
                {formatDuration(nowMs - s.atMs)} ago
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
