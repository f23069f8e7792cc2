/** Where the work comes from: pools (failover order, difficulty, reject reasons) or the node. */
import { useEngine } from '../state/store.js';
import { EmptyState } from '../components/EmptyState.js';
import { PoolStatus } from '../components/PoolStatus.js';
import { LuckPanel } from '../components/economics/LuckPanel.js';
import { selectHashrate } from '../components/economics/economics-figures.js';
import { chanceOfBlock } from '@shared/economics.js';
import { formatClock, formatDifficulty, formatHashrate, formatNumber, MISSING } from '../lib/format.js';

/** Chance of at least one block in `days` (the one formula, src-main/stats/economics.ts). */
function soloChance(hashrateHs: number, difficulty: number, days: number): number | null {
  if (!(hashrateHs > 0) || !(difficulty > 0)) return null;
  return chanceOfBlock(hashrateHs, difficulty, days * 86400);
}

function formatChance(p: number | null): string {
  if (p === null) return MISSING;
  if (p >= 0.01) return `${(p * 100).toFixed(1)} %`;
  return `1 in ${formatNumber(Math.round(1 / p))}`;
}

export function WorkPage(): React.JSX.Element {
  const snapshot = useEngine((s) => s.snapshot);
  if (!snapshot) return <EmptyState title="Waiting for the engine" />;
  const net = snapshot.network;
  // The same window as the dashboard headline (10 m, else 1 m).
  const rate = selectHashrate(snapshot)?.hashrateHs ?? null;
  return (
    <div className="page">
      <div className="panel">
        <div className="panel-title">
          Mode <span className="badge">{snapshot.mode}</span>
        </div>
        <PoolStatus snapshot={snapshot} />
      </div>
      {snapshot.pools.length > 0 ? (
        <div className="panel">
          <div className="panel-title">Pool details</div>
          <table className="table" data-testid="pool-table">
            <thead>
              <tr>
                <th>#</th>
                <th>URL</th>
                <th>State</th>
                <th className="num">Difficulty</th>
                <th>Extranonce1</th>
                <th className="num">EN2 size</th>
                <th>Version mask</th>
                <th className="num">Accepted diff</th>
                <th>Last notify</th>
                <th>Rejects</th>
              </tr>
            </thead>
            <tbody>
              {[...snapshot.pools]
                .sort((a, b) => a.priority - b.priority)
                .map((p) => (
                  <tr key={`${p.priority}-${p.url}`}>
                    <td>{p.priority}</td>
                    <td>{p.url}</td>
                    <td>{p.active ? 'active' : p.state}</td>
                    <td className="num">{formatDifficulty(p.difficulty)}</td>
                    <td>
                      <code>{p.extranonce1 ?? MISSING}</code>
                    </td>
                    <td className="num">{p.extranonce2Size ?? MISSING}</td>
                    <td>
                      <code>{p.versionMask ?? MISSING}</code>
                    </td>
                    <td className="num">{formatDifficulty(p.acceptedDifficulty)}</td>
                    <td>{p.lastNotifyAtMs === null ? MISSING : formatClock(p.lastNotifyAtMs)}</td>
                    <td>
                      {Object.keys(p.rejectReasons).length === 0
                        ? 'none'
                        : Object.entries(p.rejectReasons)
                            .map(([r, n]) => `${r}: ${n}`)
                            .join(', ')}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LuckPanel snapshot={snapshot} />
      <div className="panel">
        <div className="panel-title">Network and solo odds</div>
        {net ? (
          <div className="kv-grid wide" data-testid="network">
            <div className="kv">
              <span className="k">Height</span>
              <span className="v">{formatNumber(net.height)}</span>
            </div>
            <div className="kv">
              <span className="k">Difficulty</span>
              <span className="v">{formatDifficulty(net.difficulty)}</span>
            </div>
            <div className="kv">
              <span className="k">Network hashrate</span>
              <span className="v">{formatHashrate(net.hashrateHs)}</span>
            </div>
            <div className="kv">
              <span className="k">Block within a day</span>
              <span className="v">{rate === null ? MISSING : formatChance(soloChance(rate, net.difficulty, 1))}</span>
            </div>
            <div className="kv">
              <span className="k">Block within a year</span>
              <span className="v">{rate === null ? MISSING : formatChance(soloChance(rate, net.difficulty, 365))}</span>
            </div>
          </div>
        ) : (
          <EmptyState title="Network unknown">The network difficulty arrives with the first job from a pool or template from the node.</EmptyState>
        )}
      </div>
    </div>
  );
}
