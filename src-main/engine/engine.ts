/**
 * The engine: composition root and the EngineApi every client uses (CLI in-process, the engine
 * child/utility process for the desktop app, the web server and the cgminer API). It builds the
 * parts, wires them, and answers commands; each part does its own job:
 *
 *   BoardFleet (boards/…) ──nonce──▶ NonceRouter ──▶ stats, bus, source.submitShare
 *   source ──WorkTemplate──▶ Dispatcher ──Job──▶ board
 *   BoardTests (runDiagnostics), Warnings, snapshot.ts (snapshots and the summary)
 */
import { EventBus } from '@shared/bus.js';
import type { EngineApi, EngineCommand, EngineEvent, EngineSnapshot, MineSummary } from '@shared/contract';
import type { Board } from '../boards/board.js';
import type { ThermalGuardConfig } from '../boards/control/thermal-guard.js';
import type { SerialPortInfo } from '../boards/detect.js';
import type { TicketSetting } from '../chips/bm13xx/auto-ticket.js';
import { BlockStore } from '../work/block-store.js';
import { Dispatcher } from '../work/dispatcher.js';
import type { WorkSource } from '../work/source.js';
import { SyntheticSource } from '../work/synthetic.js';
import type { Ledger } from '../stats/ledger.js';
import { openLedger } from '../stats/ledger-recovery.js';
import { Stats } from '../stats/stats.js';
import { BoardFleet } from './board-fleet.js';
import type { BoardRequest } from './board-request.js';
import { BoardTests } from './board-diagnostics.js';
import { LogBuffer } from './log-buffer.js';
import { NonceRouter } from './nonce-router.js';
import { checkPoolDifficulty } from './pool-difficulty.js';
import { boardSnapshot, engineSnapshot, mineSummary, sensorFigures } from './snapshot.js';
import { VERSION } from './version.js';
import { Warnings } from './warnings.js';

export type { BoardRequest } from './board-request.js';

export interface EngineOptions {
  /** Boards to start (the CLI resolves device specs: auto, emulator, paths). */
  boards: BoardRequest[];
  source: WorkSource | null;
  mode: EngineSnapshot['mode'];
  frequencyMhz: number | null;
  /** Every board's ticket unless its request sets one: a difficulty or 'auto' (null: 256). */
  ticketDifficulty: TicketSetting | null;
  dataDir: string | null;
  /** Re-open a lost board's port this often at first (hotplug of a path that comes back). */
  reattachMs?: number;
  /** `--device auto`: start recognised USB boards that appear while the engine runs (optionally with its own port lister, for tests). */
  hotplug?: boolean | { list: () => Promise<SerialPortInfo[]> };
  snapshotIntervalMs?: number;
  /** Ledger sample period (default 5 s, the finest History bucket). */
  sampleIntervalMs?: number;
  /** Sensor sweep period of boards with a control port (default 2 s). */
  sensorIntervalMs?: number;
  /** Thermal guard thresholds (defaults: target 60 °C, stop above 75 °C, resume below 55 °C). */
  thermal?: Partial<ThermalGuardConfig>;
  bus?: EventBus;
}

export class Engine implements EngineApi {
  readonly bus: EventBus;
  readonly startedAtMs = Date.now();
  readonly stats: Stats;
  readonly ledger: Ledger | null;
  readonly logs = new LogBuffer(2000);
  private readonly fleet: BoardFleet;
  private readonly tests: BoardTests;
  private readonly dispatcher: Dispatcher;
  private readonly source: WorkSource;
  private readonly warnings: Warnings;
  private readonly snapshotListeners = new Set<(s: EngineSnapshot) => void>();
  private readonly timers: NodeJS.Timeout[] = [];
  private samplesTaken = 0;
  private stopping = false;

  constructor(private readonly options: EngineOptions) {
    const bus = (this.bus = options.bus ?? new EventBus((m) => process.emitWarning(m)));
    bus.on('log', (e) => this.logs.push(e));
    this.warnings = new Warnings(bus);
    this.ledger = null;
    if (options.dataDir) {
      const { ledger, recovery } = openLedger(options.dataDir);
      this.ledger = ledger;
      if (recovery) {
        bus.log('warn', 'ledger', recovery.message);
        this.warnings.raise('ledger-recovered', 'warn', recovery.message, null);
      }
    }
    this.stats = new Stats({ bus, ledger: this.ledger ?? undefined });
    this.source = options.source ?? new SyntheticSource();
    this.dispatcher = new Dispatcher((job) => this.stats.recordJobStart(job.boardId, job.sentAtMs, this.fleet.boards.get(job.boardId)?.ticket.weight));
    const router = new NonceRouter({ bus, stats: this.stats, source: this.source, blocks: options.dataDir ? new BlockStore(options.dataDir) : null });
    this.fleet = new BoardFleet(options.boards, {
      bus,
      dispatcher: this.dispatcher,
      stats: this.stats,
      warnings: this.warnings,
      frequencyMhz: options.frequencyMhz,
      ticketDifficulty: options.ticketDifficulty,
      reattachMs: options.reattachMs,
      hotplug: options.hotplug,
      sensorIntervalMs: options.sensorIntervalMs,
      thermal: options.thermal,
      onNonce: (n, job, live, board) => router.route(n, job, live, board.ticketAt(n.receivedAtMs)),
    });
    this.tests = new BoardTests({ bus, fleet: this.fleet, dataDir: options.dataDir, frequencyMhz: options.frequencyMhz });
    bus.on('block', (e) => {
      if (e.accepted) this.warnings.raise(`block-${e.hash}`, 'info', `BLOCK FOUND at height ${e.height ?? '?'}: ${e.hash} (${e.result})`, e.boardId);
    });
  }

  get mode(): EngineSnapshot['mode'] {
    return this.options.mode;
  }

  /** The boards, read-only (snapshots, the cgminer API, tests). */
  get boards(): ReadonlyMap<string, Board> {
    return this.fleet.boards;
  }

  async start(): Promise<void> {
    this.bus.log('info', 'engine', `HashDeck ${VERSION} starting (${this.options.mode} mode, ${this.fleet.count} board(s))`);
    if (this.fleet.count === 0 && !this.options.hotplug) this.bus.log('warn', 'engine', 'no board to drive: the engine is idle (give --device auto, emulator or a serial path)');
    await this.source.start({
      onTemplate: (t) => this.dispatcher.setTemplate(t),
      onInvalidateAll: (reason) => {
        this.dispatcher.invalidateAll();
        // Logged after the new work is out: a clean notify's job frames come first.
        setImmediate(() => this.bus.log('info', 'work', `all chip jobs invalidated: ${reason}`));
      },
    });
    this.every(this.options.snapshotIntervalMs ?? 1000, () => {
      this.checkPoolDifficulty();
      this.publishSnapshot();
    });
    // Time series for the History page: every 5 s into the ledger, rolled up as it goes.
    this.every(this.options.sampleIntervalMs ?? 5000, () => this.sample());
    await this.fleet.start();
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    this.dispatcher.stop();
    // Board tests end first (each leaves its board safe), then the boards (hashing stopped, left
    // safe), then the source (pending shares and blocks flushed).
    await this.tests.stop();
    await this.fleet.stop();
    await this.source.stop().catch(() => undefined);
    this.stats.dispose();
    this.ledger?.close();
    this.bus.log('info', 'engine', 'stopped');
  }

  // ── EngineApi ────────────────────────────────────────────────────────────────────────────
  async command(command: EngineCommand): Promise<unknown> {
    switch (command.type) {
      case 'getSnapshot':
        return this.snapshot();
      case 'stop':
        void this.stop();
        return { stopping: true };
      case 'resetStats':
        if (command.scope === 'allTime' && command.confirm !== true) throw new Error('resetting all-time statistics needs confirm: true');
        if (command.scope === 'session') this.stats.resetSession();
        else this.stats.resetAllTime();
        return { reset: command.scope };
      case 'getHistory':
        return this.ledger ? this.ledger.history(command.range, command.boardId) : { series: [] };
      case 'getLogs':
        return this.logs.recent(command.limit ?? 500);
      case 'setSettings':
        throw new Error('settings changes are applied on the next start: edit them in the desktop app or pass CLI options');
      case 'runDiagnostics':
        return this.tests.run(command.boardId, command.options ?? {});
      case 'cancelDiagnostics':
        return this.tests.cancel(command.boardId);
    }
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    return this.bus.onAny(listener);
  }

  onSnapshot(listener: (s: EngineSnapshot) => void): () => void {
    this.snapshotListeners.add(listener);
    return () => this.snapshotListeners.delete(listener);
  }

  snapshot(): EngineSnapshot {
    return engineSnapshot({
      version: VERSION,
      startedAtMs: this.startedAtMs,
      nowMs: Date.now(),
      firstJobAtMs: this.dispatcher.firstJobAtMs,
      mode: this.options.mode,
      dataDir: this.options.dataDir,
      boards: [...this.fleet.boards.values()].map((b) => boardSnapshot(b, this.stats)),
      pools: this.source.poolSnapshots(),
      node: this.source.nodeSnapshot(),
      template: this.dispatcher.currentTemplate,
      stats: this.stats,
      warnings: this.warnings.list(),
    });
  }

  summary(): MineSummary {
    return mineSummary(this.snapshot());
  }

  private every(intervalMs: number, run: () => void): void {
    const t = setInterval(run, intervalMs);
    t.unref();
    this.timers.push(t);
  }

  private sample(): void {
    const readings = [...this.fleet.boards.values()].map((b) => {
      const s = sensorFigures(b);
      return { boardId: b.id, powerW: s.powerW, asicTempC: s.asicTempC, vrTempC: s.vrTempC, fanRpm: s.fanRpm };
    });
    this.stats.sampleToLedger(readings);
    if (++this.samplesTaken % 60 === 0) this.ledger?.downsample();
  }

  /** Warn when the active pool's difficulty means fewer than one share per 10 minutes for these boards. */
  private checkPoolDifficulty(): void {
    const firstJob = this.dispatcher.firstJobAtMs;
    const measuredLongEnough = firstJob !== null && Date.now() - firstJob >= 60_000;
    let hashrateHs = 0;
    for (const b of this.fleet.boards.values()) {
      if (b.state !== 'hashing') continue;
      // Emulated chips hash at the emulator's rate, not the silicon's rating: use what they measure,
      // once a minute of nonces makes the figure worth judging.
      if (b.config.emulated) hashrateHs += measuredLongEnough ? this.stats.hashrateSinceStartHs(b.id) : 0;
      else hashrateHs += b.expectedHashrateHs;
    }
    checkPoolDifficulty(
      this.source.poolSnapshots().find((p) => p.active),
      hashrateHs,
      this.warnings,
      this.bus,
    );
  }

  private publishSnapshot(): void {
    if (this.snapshotListeners.size === 0) return;
    const s = this.snapshot();
    for (const l of this.snapshotListeners) l(s);
  }
}
