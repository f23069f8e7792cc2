/**
 * The engine's Stratum server for network miners (`--serve-stratum`, docs/stratum-and-gbt.md §8):
 * the server (work/stratum-server), fed with the same templates as the boards, handing accepted
 * shares to the same work source through the nonce router's forward path, and the statistics of
 * its miners (stats/network-miners.ts). The engine only constructs, starts and stops it.
 */
import type { EventBus } from '@shared/bus.js';
import type { NetworkMinerSnapshot, StratumServerSnapshot } from '@shared/contract';
import type { Ledger } from '../stats/ledger.js';
import { NetworkMinerStats } from '../stats/network-miners.js';
import type { Share, WorkTemplate } from '../work/job.js';
import type { WorkSource } from '../work/source.js';
import type { ConnectionLimits } from '../work/stratum-server/connection.js';
import { StratumServer } from '../work/stratum-server/server.js';

/** `EngineOptions.serveStratum`: where to listen and how to treat miners. */
export interface ServeStratumOptions {
  /** 127.0.0.1 unless the user names another address. */
  host: string;
  /** 0 picks a free port; the bound one is in the snapshot's `stratumServer`. */
  port: number;
  /** `--stratum-allow` CIDR blocks beyond the private ranges. */
  allow?: string[];
  /** `--stratum-min-difficulty`: the vardiff floor. */
  minDifficulty?: number;
  /** `--stratum-pay-username`: blocks pay the address in each miner's user name (node only). */
  payToUsername?: boolean;
  /** Tests: a start difficulty, shorter time-outs and checks. */
  startDifficulty?: number;
  limits?: Partial<ConnectionLimits>;
  tickMs?: number;
}

export interface StratumServiceParts {
  options: ServeStratumOptions;
  bus: EventBus;
  ledger: Ledger | null;
  source: WorkSource;
  /** The nonce router's path to the source (pool block candidates are written first). */
  forward(share: Share): void;
}

export class StratumService {
  readonly stats: NetworkMinerStats;
  private readonly server: StratumServer;

  constructor(parts: StratumServiceParts) {
    const { options, bus, source } = parts;
    if (source.kind === 'synthetic') throw new Error('serving Stratum needs work to hand out: a node (--node, solo) or a pool (--pool, proxy), not benchmark mode');
    this.stats = new NetworkMinerStats({ bus, ledger: parts.ledger });
    this.server = new StratumServer({
      host: options.host,
      port: options.port,
      allow: options.allow,
      minDifficulty: options.minDifficulty,
      startDifficulty: options.startDifficulty,
      payToUsername: options.payToUsername,
      limits: options.limits,
      tickMs: options.tickMs,
      backend: { kind: source.kind, isTemplateLive: (t) => source.isTemplateLive(t), submit: (s) => parts.forward(s), chain: () => source.nodeSnapshot()?.chain ?? null },
      miners: this.stats,
      log: (level, text) => bus.log(level, 'stratum-server', text),
    });
  }

  async start(): Promise<void> {
    await this.server.start();
  }

  async stop(): Promise<void> {
    await this.server.stop();
    this.stats.dispose();
  }

  setTemplate(t: WorkTemplate): void {
    this.server.setTemplate(t);
  }

  invalidateAll(): void {
    this.server.invalidateAll();
  }

  /** The boards' extranonce2 prefix (the server's slot 0) for the dispatcher. */
  boardExtranonce2Prefix(t: WorkTemplate): Buffer {
    return this.server.boardExtranonce2Prefix(t);
  }

  networkMiners(nowMs: number): NetworkMinerSnapshot[] {
    return this.stats.snapshots(nowMs);
  }

  serverSnapshot(): StratumServerSnapshot | null {
    return this.server.snapshot();
  }

  sample(atMs: number): void {
    this.stats.sampleToLedger(atMs);
  }

  resetSession(): void {
    this.stats.resetSession();
  }
}
