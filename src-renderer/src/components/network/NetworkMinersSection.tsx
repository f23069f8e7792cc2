/**
 * The dashboard's network miners: where the Stratum server listens, what stops it serving (if
 * anything), and a card per miner. Shown only when the engine serves Stratum or has seen miners.
 */
import type { EngineSnapshot } from '@shared/contract';
import { EmptyState } from '../EmptyState.js';
import { NetworkMinerCard } from './NetworkMinerCard.js';

export function NetworkMinersSection({ snapshot }: { snapshot: EngineSnapshot }): React.JSX.Element | null {
  const server = snapshot.stratumServer;
  const miners = snapshot.networkMiners;
  if (!server && miners.length === 0) return null;
  const online = miners.filter((m) => m.connections > 0).length;
  return (
    <section className="panel" data-testid="network-miners">
      <div className="panel-title">
        Network miners <span className="muted">{online > 0 && online !== miners.length ? `${online} of ${miners.length} online` : miners.length}</span>
        {server ? (
          <span className="muted network-server" data-testid="stratum-server">
            · Stratum on {server.host.includes(':') ? `[${server.host}]` : server.host}:{server.port} · {server.connections} connection{server.connections === 1 ? '' : 's'}
          </span>
        ) : null}
      </div>
      {server?.problem ? <div className="board-note tone-warn network-problem">{server.problem}</div> : null}
      {miners.length === 0 ? (
        <EmptyState title="No network miners yet" testId="no-network-miners">
          Point a Bitaxe, NerdMiner or other Stratum miner at <code>stratum+tcp://&lt;this machine&gt;:{server?.port ?? 3333}</code> with any worker name.
        </EmptyState>
      ) : (
        <div className="board-grid" data-testid="network-grid">
          {miners.map((m) => (
            <NetworkMinerCard key={m.id} miner={m} nowMs={snapshot.nowMs} />
          ))}
        </div>
      )}
    </section>
  );
}
