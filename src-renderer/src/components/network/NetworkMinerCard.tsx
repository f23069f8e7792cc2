/**
 * One network miner (a Wi-Fi Bitaxe, a NerdMiner …) that mines through HashDeck's Stratum server,
 * beside the USB boards' cards: hashrate from its shares with the window named, the difficulty the
 * server asks of it, shares, best difficulty, blocks, and where it is. Light like BoardCard.
 */
import { memo } from 'react';
import type { NetworkMinerSnapshot } from '@shared/contract';
import { formatDifficulty, formatDuration, formatEstimate, formatEstimateRange, formatNumber, MISSING } from '../../lib/format.js';
import { headlineEstimate, WINDOW_LABEL } from '../../lib/estimates.js';
import { KeyValue } from '../KeyValue.js';
import './network-miners.css';

/** The history page for this miner (its ledger samples under net:<worker>). */
export function historyHref(id: string): string {
  return `#/history?board=${encodeURIComponent(id)}`;
}

export const NetworkMinerCard = memo(function NetworkMinerCard({ miner, nowMs }: { miner: NetworkMinerSnapshot; nowMs: number }): React.JSX.Element {
  const head = headlineEstimate(miner.hashrate);
  const online = miner.connections > 0;
  const rejects = Object.entries(miner.rejectReasons)
    .sort((a, b) => b[1] - a[1])
    .map(([r, n]) => `${r}: ${n}`)
    .join('\n');
  const forwarded = miner.forwarded.accepted + miner.forwarded.rejected + miner.forwarded.stale;
  return (
    <article className={`board-card network-card state-${online ? 'good' : 'idle'}`} data-testid={`netminer-${miner.worker}`}>
      <header className="board-head">
        <div className="board-title">
          <span className="board-name" title={miner.worker}>
            {miner.worker}
          </span>
          <span className="board-model" title={miner.userAgent ?? undefined}>
            <span className="badge badge-network" data-testid="network-badge">
              network
            </span>{' '}
            <span className="network-agent">{miner.userAgent ?? 'unknown miner'}</span>
          </span>
        </div>
        <div className="board-badges">
          <span
            className={`badge badge-state tone-${online ? 'good' : 'warn'}`}
            data-testid="netminer-state"
            title={online ? `${miner.connections} connection(s)` : `last seen ${formatDuration(nowMs - miner.lastSeenAtMs)} ago`}
          >
            {online ? 'mining' : 'away'}
          </span>
        </div>
      </header>
      <div className="board-rate" title={head ? formatEstimateRange(head.estimate) : 'No shares yet'}>
        <span className="board-rate-value" data-testid="netminer-hashrate">
          {head ? formatEstimate(head.estimate) : MISSING}
        </span>
        <span className="board-rate-window" title="Estimated from the difficulty of its accepted shares">
          {head ? WINDOW_LABEL[head.window] : 'waiting for shares'}
        </span>
      </div>
      <div className="kv-grid">
        <KeyValue k="IP" v={miner.address} testId="netminer-address" />
        <KeyValue k="Diff" v={formatDifficulty(miner.difficulty)} testId="netminer-difficulty" title="Share difficulty the server asks of it (vardiff)" />
        <KeyValue k="Shares" v={`${formatNumber(miner.sharesAccepted)} / ${formatNumber(miner.sharesRejected)}`} testId="netminer-shares" title={rejects || 'accepted / rejected'} />
        <KeyValue k="Blocks" v={formatNumber(miner.blocksFound)} testId="netminer-blocks" />
        <KeyValue
          k="Best"
          v={`${formatDifficulty(miner.bestDifficulty)} · all-time ${formatDifficulty(miner.bestDifficultyAllTime)}`}
          testId="netminer-best"
          wide
          title="Best share difficulty this session, and ever in this data directory"
        />
        <KeyValue k="Last share" v={miner.lastShareAtMs === null ? MISSING : `${formatDuration(nowMs - miner.lastShareAtMs)} ago`} testId="netminer-last-share" wide />
        {forwarded > 0 ? (
          <KeyValue
            k="To the pool"
            v={`${formatNumber(miner.forwarded.accepted)} accepted · ${formatNumber(miner.forwarded.rejected + miner.forwarded.stale)} refused`}
            testId="netminer-forwarded"
            wide
            title="Its shares that met the pool's difficulty, sent on, and the pool's verdict"
          />
        ) : null}
      </div>
      {miner.payoutAddress ? (
        <div className="board-note network-payout" title={miner.payoutAddress}>
          pays {miner.payoutAddress}
        </div>
      ) : null}
      <a className="network-history" href={historyHref(miner.id)} data-testid="netminer-history">
        History
      </a>
    </article>
  );
});
