/**
 * `netminers`: HashDeck's own cgminer-style report of the network miners that mine through its
 * Stratum server (docs/stratum-and-gbt.md §8), one row per worker. Same units as the other reports
 * (MH/s, epoch seconds, integer best share), so farm monitors can read it beside DEVS.
 */
import type { EngineSnapshot } from '@shared/contract';
import { mhs, mhsWindows, type Row } from './reports.js';

function seconds(ms: number | null): number {
  return ms === null ? 0 : Math.max(0, Math.floor(ms / 1000));
}

export function networkMinerRows(snapshot: EngineSnapshot): Row[] {
  return snapshot.networkMiners.map((m, index) => ({
    NETMINER: index,
    ID: m.id,
    Worker: m.worker,
    Address: m.address,
    'User Agent': m.userAgent ?? '',
    Connections: m.connections,
    Status: m.connections > 0 ? 'Alive' : 'Dead',
    'MHS av': mhs(m.hashrateHs),
    ...mhsWindows(m.hashrate),
    Difficulty: m.difficulty,
    Accepted: m.sharesAccepted,
    Rejected: m.sharesRejected,
    'Forwarded Accepted': m.forwarded.accepted,
    'Forwarded Rejected': m.forwarded.rejected,
    'Forwarded Stale': m.forwarded.stale,
    'Best Share': Math.floor(m.bestDifficulty),
    'Best Share All Time': Math.floor(m.bestDifficultyAllTime),
    'Found Blocks': m.blocksFound,
    'Payout Address': m.payoutAddress ?? '',
    'First Seen': seconds(m.firstSeenAtMs),
    'Last Seen': seconds(m.lastSeenAtMs),
    'Last Share Time': seconds(m.lastShareAtMs),
  }));
}
