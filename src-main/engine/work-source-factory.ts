/**
 * The one place a work source is built from user configuration (CLI flags, the desktop app's
 * settings): pools → StratumSource, a node → NodeSource, neither → null (benchmark mode). Each
 * source is loaded only when it is used: benchmark mode never loads the pool client, the node
 * client or bitcoinjs-lib (engine memory, bench/engine.bench.ts).
 */
import type { EventBus } from '@shared/bus.js';
import { USER_AGENT } from './version.js';
import type { WorkSource } from '../work/source.js';

export interface WorkConfig {
  pools: { url: string; user: string; password: string }[];
  suggestDifficulty?: number;
  extranonceSubscribe?: boolean;
  tls?: { allowSelfSigned?: boolean; fingerprintSha256?: string };
  timers?: { deadPoolMs?: number; primaryProbeMs?: number };
  node?: { url: string; payoutAddress: string; rpcCookie?: string; rpcUser?: string; rpcPassword?: string } | null;
  /** Solo blocks: the coinbase text (default /HashDeck/). */
  coinbaseTag?: string;
  /** Pool worker names by board id (`--worker`); a board not listed uses its id. */
  workers?: Record<string, string>;
}

export async function createWorkSource(config: WorkConfig, bus: EventBus, dataDir: string): Promise<WorkSource | null> {
  if (config.pools.length > 0) {
    const { StratumSource } = await import('../work/stratum/stratum-source.js');
    return new StratumSource({
      pools: config.pools,
      bus,
      suggestDifficulty: config.suggestDifficulty,
      extranonceSubscribe: config.extranonceSubscribe,
      userAgent: USER_AGENT,
      tls: config.tls,
      timers: config.timers,
      workers: config.workers,
    });
  }
  if (config.node) {
    const { NodeSource } = await import('../work/node/node-source.js');
    return new NodeSource({
      url: config.node.url,
      cookieFile: config.node.rpcCookie || undefined,
      rpcUser: config.node.rpcUser || undefined,
      rpcPassword: config.node.rpcPassword || undefined,
      payoutAddress: config.node.payoutAddress,
      dataDir,
      bus,
      ...(config.coinbaseTag !== undefined ? { tag: config.coinbaseTag } : {}),
    });
  }
  return null;
}

export function workMode(config: WorkConfig, boards: number): 'pool' | 'solo' | 'benchmark' | 'idle' {
  return config.pools.length > 0 ? 'pool' : config.node ? 'solo' : boards > 0 ? 'benchmark' : 'idle';
}
