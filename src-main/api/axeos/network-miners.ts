/**
 * The network miners as AxeOS-style JSON (`GET /api/network-miners`): for each worker that mines
 * through HashDeck's Stratum server, the AxeOS keys a fleet tool already reads — hashrates in GH/s,
 * best difficulty as AxeOS text, shares and rejected reasons as `[{message, count}]`, the pool it
 * mines to (this server) and its difficulty — plus HashDeck's own keys (id, address, user agent,
 * blocks, forwarded shares). Built from the engine snapshot only. Read-only.
 */
import type { EngineApi, EngineSnapshot, Estimate, NetworkMinerSnapshot } from '@shared/contract';
import { formatDifficultyAxeOS } from './difficulty-text.js';
import { sendJson, type ApiRoute } from './route.js';

export const NETWORK_MINERS_PATH = '/api/network-miners';

function ghs(valueHs: number): number {
  const v = valueHs * 1e-9;
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : 0;
}

function windowGhs(e: Estimate | null): number {
  return e ? ghs(e.valueHs) : 0;
}

export function networkMinerInfo(snapshot: EngineSnapshot, m: NetworkMinerSnapshot): Record<string, unknown> {
  const server = snapshot.stratumServer;
  return {
    hostname: m.worker,
    hashRate: ghs(m.hashrateHs),
    hashRate_1m: windowGhs(m.hashrate['1m']),
    hashRate_10m: windowGhs(m.hashrate['10m']),
    hashRate_1h: windowGhs(m.hashrate['1h']),
    hashRate_1d: windowGhs(m.hashrate['24h']),
    bestDiff: formatDifficultyAxeOS(m.bestDifficultyAllTime),
    bestSessionDiff: formatDifficultyAxeOS(m.bestDifficulty),
    poolDifficulty: m.difficulty,
    sharesAccepted: m.sharesAccepted,
    sharesRejected: m.sharesRejected,
    sharesRejectedReasons: Object.entries(m.rejectReasons)
      .map(([message, count]) => ({ message, count }))
      .sort((a, b) => b.count - a.count),
    stratumURL: server?.host ?? '',
    stratumPort: server?.port ?? 0,
    stratumUser: m.worker,
    blockFound: m.blocksFound,
    networkDifficulty: snapshot.network?.difficulty ?? 0,
    blockHeight: snapshot.network?.height ?? 0,
    uptimeSeconds: Math.max(0, Math.floor((snapshot.nowMs - m.firstSeenAtMs) / 1000)),
    // HashDeck's own keys.
    id: m.id,
    network: true,
    connected: m.connections > 0,
    connections: m.connections,
    address: m.address,
    userAgent: m.userAgent ?? '',
    payoutAddress: m.payoutAddress ?? '',
    lastSeenAtMs: m.lastSeenAtMs,
    lastShareAtMs: m.lastShareAtMs,
    forwarded: m.forwarded,
  };
}

export function networkMinersRoute(engine: EngineApi): ApiRoute {
  return {
    method: 'GET',
    path: NETWORK_MINERS_PATH,
    handler(_req, res) {
      const s = engine.snapshot();
      sendJson(res, 200, { stratumServer: s.stratumServer, miners: s.networkMiners.map((m) => networkMinerInfo(s, m)) });
    },
  };
}
