/** Work source status: the pools in failover order, or the node in solo mode. */
import type { EngineSnapshot } from '@shared/contract';
import { formatClock, formatDifficulty, formatHashrate, formatNumber } from '../lib/format.js';
import { EmptyState } from './EmptyState.js';

const POOL_TONE: Record<string, string> = { active: 'good', connecting: 'idle', subscribing: 'idle', probing: 'idle', idle: 'idle', backoff: 'warn', dead: 'bad' };

export function PoolStatus({ snapshot }: { snapshot: EngineSnapshot }): React.JSX.Element {
  const { pools, node, mode } = snapshot;
  if (node) {
    return (
      <div className="work-status" data-testid="node-status">
        <div className="work-row">
          <span className={`dot tone-${node.state === 'active' ? 'good' : node.state === 'error' ? 'bad' : 'idle'}`} />
          <span className="work-url" title={node.url}>
            {node.url}
          </span>
          <span className="badge">{node.chain ?? 'node'}</span>
          <span className="badge">{node.state}</span>
        </div>
        <div className="work-detail">
          height {formatNumber(node.height)} · network difficulty {formatDifficulty(node.networkDifficulty)} · network {formatHashrate(node.networkHashrateHs)}
        </div>
        <div className="work-detail">
          pays <code>{node.payoutAddress}</code>
          {node.lastTemplateAtMs !== null ? ` · last template ${formatClock(node.lastTemplateAtMs)}` : ''}
        </div>
        {node.message ? <div className="work-detail tone-warn">{node.message}</div> : null}
      </div>
    );
  }
  if (pools.length === 0) {
    return (
      <EmptyState title={mode === 'benchmark' ? 'Benchmark mode' : 'No work source'} testId="no-work-source">
        {mode === 'benchmark' ? 'Boards hash synthetic work; nothing is submitted. ' : ''}Add a pool or your own node in Settings.
      </EmptyState>
    );
  }
  return (
    <div className="work-status" data-testid="pool-status">
      {[...pools]
        .sort((a, b) => a.priority - b.priority)
        .map((p) => (
          <div key={`${p.priority}-${p.url}`} className={`work-pool${p.active ? ' active' : ''}`}>
            <div className="work-row">
              <span className={`dot tone-${POOL_TONE[p.state] ?? 'idle'}`} />
              <span className="work-url" title={p.url}>
                {p.url}
              </span>
              <span className="badge">{p.active ? 'active' : p.state}</span>
            </div>
            <div className="work-detail">
              {p.user} · difficulty {formatDifficulty(p.difficulty)} · {formatNumber(p.sharesAccepted)} accepted / {formatNumber(p.sharesRejected)} rejected / {formatNumber(p.sharesStale)} stale
              {p.responseTimeMs !== null ? ` · ${p.responseTimeMs.toFixed(0)} ms` : ''}
            </div>
            {p.message ? <div className="work-detail tone-warn">{p.message}</div> : null}
          </div>
        ))}
    </div>
  );
}
