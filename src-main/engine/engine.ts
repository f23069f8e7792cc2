/**
 * The engine: composition root and the EngineApi every client uses (CLI in-process, the engine
 * child/utility process for the desktop app, the web server and the cgminer API). It builds the
 * parts, wires them, and answers commands; each part does its own job:
 *
 *   BoardFleet (boards/…) ──nonce──▶ NonceRouter ──▶ stats, bus, source.submitShare
 *   source ──WorkTemplate──▶ Dispatcher ──Job──▶ board
 *   BoardTests (runDiagnostics), Warnings, snapshot.ts (snapshots and the summary)
 *   AxeosFleet (fleet/…): network miners polled over HTTP, shown beside the boards
 */
import { EventBus } from '@shared/bus.js';
import type { EngineApi, EngineCommand, EngineEvent, EngineSnapshot, MineSummary } from '@shared/contract';
import type { Board } from '../boards/board.js';
import { BlockStore } from '../work/block-store.js';
import { Dispatcher } from '../work/dispatcher.js';
import type { WorkSource } from '../work/source.js';
import { SyntheticSource } from '../work/synthetic.js';
import type { Ledger } from '../stats/ledger.js';
import { Stats } from '../stats/stats.js';
import { AxeosFleet } from '../fleet/axeos-fleet.js';
import { BoardFleet } from './board-fleet.js';
import type { EngineOptions } from './engine-options.js';
import { BoardTests } from './board-diagnostics.js';
import { BoardOperation } from './board-operation.js';
import { BoardTuning } from './board-tuning.js';
import { ScheduleRunner } from './schedule-runner.js';
import { LogBuffer } from './log-buffer.js';
import { NonceRouter } from './nonce-router.js';
import { StratumService } from './stratum-service.js';
import { checkPoolDifficulty, rigHashrateForShares } from './pool-difficulty.js';
import { Integrations } from './integrations.js';
import { boardSnapshot, engineSnapshot, mineSummary, sensorFigures } from './snapshot.js';
import { VERSION } from './version.js';
import { Warnings } from './warnings.js';
import { openLedgerTelling } from './open-ledger.js';

export type { BoardRequest } from './board-request.js';
export type { EngineOptions } from './engine-options.js';

export class Engine implements EngineApi {
  readonly bus: EventBus;
  readonly startedAtMs = Date.now();
  readonly stats: Stats;
  readonly ledger: Ledger | null;
  readonly logs = new LogBuffer(2000);
  private readonly fleet: BoardFleet;
  private readonly tests: BoardTests;
  private readonly tuning: BoardTuning;
  private readonly operation: BoardOperation;
  private readonly schedule: ScheduleRunner;
  private readonly dispatcher: Dispatcher;
  private readonly source: WorkSource;
  private readonly warnings: Warnings;
  private readonly axeos: AxeosFleet;
  readonly integrations: Integrations;
  private readonly stratum: StratumService | null;
  private readonly snapshotListeners = new Set<(s: EngineSnapshot) => void>();
  private readonly timers: NodeJS.Timeout[] = [];
  private samplesTaken = 0;
  private stopping = false;

  constructor(private readonly options: EngineOptions) {
    const bus = (this.bus = options.bus ?? new EventBus((m) => process.emitWarning(m)));
    bus.on('log', (e) => this.logs.push(e));
    this.warnings = new Warnings(bus);
    this.ledger = options.dataDir ? openLedgerTelling(options.dataDir, bus, this.warnings) : null;
    this.stats = new Stats({ bus, ledger: this.ledger ?? undefined });
    this.source = options.source ?? new SyntheticSource();
    this.dispatcher = new Dispatcher(
      (job) => this.stats.recordJobStart(job.boardId, job.sentAtMs, this.fleet.boards.get(job.boardId)?.ticket.weight),
      (level, text) => bus.log(level, 'work', text),
      (t) => this.stratum?.boardExtranonce2Prefix(t) ?? Buffer.alloc(0),
    );
    const router = new NonceRouter({ bus, stats: this.stats, source: this.source, blocks: options.dataDir ? new BlockStore(options.dataDir) : null });
    if (options.serveStratum && !options.source) throw new Error('serving Stratum needs work to hand out: a node (--node, solo) or a pool (--pool, proxy), not benchmark mode');
    this.stratum = options.serveStratum ? new StratumService({ options: options.serveStratum, bus, ledger: this.ledger, source: this.source, forward: (s) => router.forward(s) }) : null;
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
      rememberedOperatingPoint: (req) => this.tuning.rememberedOperatingPoint(req),
      onBoardCreated: (board) => board.on('ready', () => this.tuning.boardReady(board)),
    });
    this.axeos = new AxeosFleet({ ...(options.axeos ?? { devices: [] }), stratum: () => this.stratum?.serverSnapshot() ?? null, log: (level, text) => bus.log(level, 'axeos', text) });
    this.integrations = new Integrations(options.integrations ?? {}, bus);
    this.tests = new BoardTests({ bus, fleet: this.fleet, dataDir: options.dataDir, frequencyMhz: options.frequencyMhz });
    this.tuning = new BoardTuning({
      bus,
      fleet: this.fleet,
      stats: this.stats,
      dataDir: options.dataDir,
      isTesting: (id) => this.tests.isTesting(id),
      tickMs: options.tuneTickMs,
      guardHoldMs: options.tuneGuardHoldMs,
      guardTickMs: options.tuneGuardTickMs,
    });
    this.operation = new BoardOperation({ bus, fleet: this.fleet, tuning: this.tuning });
    this.schedule = new ScheduleRunner({ bus, boards: this.operation.scheduled(), now: options.clock ?? Date.now, tickMs: options.scheduleTickMs });
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
      onTemplate: (t) => {
        this.dispatcher.setTemplate(t);
        this.stratum?.setTemplate(t);
      },
      onInvalidateAll: (reason) => {
        this.dispatcher.invalidateAll();
        this.stratum?.invalidateAll();
        // Logged after the new work is out: a clean notify's job frames come first.
        setImmediate(() => this.bus.log('info', 'work', `all chip jobs invalidated: ${reason}`));
      },
    });
    await this.stratum?.start();
    this.every(this.options.snapshotIntervalMs ?? 1000, () => {
      this.checkPoolDifficulty();
      this.publishSnapshot();
    });
    // Time series for the History page: every 5 s into the ledger, rolled up as it goes.
    this.every(this.options.sampleIntervalMs ?? 5000, () => this.sample());
    await this.fleet.start();
    this.axeos.start();
    if (this.options.schedule) await this.schedule.set(this.options.schedule);
    this.schedule.start();
    await this.integrations.start(this, `${this.options.mode} mode, ${this.fleet.count} board(s)`);
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    this.dispatcher.stop();
    // Board tests end first (each leaves its board safe), then the boards (hashing stopped, left
    // safe), then the source (pending shares and blocks flushed).
    this.schedule.stop();
    await this.tests.stop();
    await this.tuning.stopAll();
    await this.fleet.stop();
    await this.stratum?.stop();
    await this.source.stop().catch(() => undefined);
    await this.axeos.stop();
    // Last, so that every block and share reported while stopping is told.
    await this.integrations.stop('engine stopped');
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
        this.stratum?.resetSession();
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
      case 'setAxeosDevices':
        return this.axeos.setDeviceTexts(command.devices);
      case 'axeosRestart':
        return this.axeos.restart(command.deviceId);
      case 'axeosPoolPlan':
        return this.axeos.poolPlan(command.deviceId);
      case 'axeosMineHere':
        return this.axeos.mineHere(command.deviceId, command.expected);
      case 'pauseBoards':
        return this.operation.pause(command.boardIds);
      case 'resumeBoards':
        return this.operation.resume(command.boardIds);
      case 'setOperatingPoint':
        return this.operation.setOperatingPoint(command.boardId, command.frequencyMhz, command.coreVoltageMv);
      case 'startTune':
        return this.operation.startTune(command.boardId, command.options);
      case 'stopTune':
        return this.tuning.stop(command.boardId);
      case 'applyProfile':
        return this.tuning.applyProfile(command.boardId, command.profile);
      case 'getTuneResult':
        return { result: this.tuning.result(command.boardId) };
      case 'getSchedule':
        return { schedule: this.schedule.current };
      case 'setSchedule':
        return this.operation.setSchedule(command.schedule, this.schedule, this.options.saveSchedule);
      case 'notifyTest':
        return this.integrations.notifyTest();
      case 'exportCsv':
        if (!this.ledger) throw new Error('no data directory: nothing is recorded to export');
        return this.ledger.exportCsv(command.what, command.fromMs ?? 0, command.toMs ?? Date.now() + 1);
      case 'restartBoard':
        if (!this.fleet.request(command.boardId)) throw new Error(`no board ${command.boardId}`);
        await this.fleet.park(command.boardId, 'restart requested');
        this.fleet.unpark(command.boardId);
        return { restarted: command.boardId };
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
      boards: [...this.fleet.boards.values()].map((b) => ({ ...boardSnapshot(b, this.stats), tuning: this.tuning.status(b.id), schedule: this.schedule.boardStatus(b.id) })),
      pools: this.source.poolSnapshots(),
      node: this.source.nodeSnapshot(),
      template: this.dispatcher.currentTemplate,
      stats: this.stats,
      warnings: this.warnings.list(),
      axeosDevices: this.axeos.snapshots(),
      schedule: this.schedule.status(),
      networkMiners: this.stratum?.networkMiners(Date.now()) ?? [],
      stratumServer: this.stratum?.serverSnapshot() ?? null,
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
    this.axeos.recordSamples(this.ledger, Date.now());
    this.stratum?.sample(Date.now());
    if (++this.samplesTaken % 60 === 0) this.ledger?.downsample();
  }

  /** Warn when the active pool's difficulty means fewer than one share per 10 minutes for these boards. */
  private checkPoolDifficulty(): void {
    const hashrateHs = rigHashrateForShares(this.fleet.boards.values(), this.stats, this.dispatcher.firstJobAtMs, Date.now());
    const activePool = this.source.poolSnapshots().find((p) => p.active);
    checkPoolDifficulty(activePool, hashrateHs, this.warnings, this.bus);
  }

  private publishSnapshot(): void {
    if (this.snapshotListeners.size === 0) return;
    const s = this.snapshot();
    for (const l of this.snapshotListeners) l(s);
  }
}
