/**
 * The engine: composition root. It owns the boards, the work source, the dispatcher, the
 * statistics and the ledger, and it is the EngineApi every client uses (CLI in-process, the
 * engine child/utility process for the desktop app, the web server and the cgminer API).
 *
 *   board ──ChipNonce──▶ validateNonce (re-hash) ──▶ stats
 *                                      └─ share ──▶ source.submitShare ──▶ 'share'/'block' events
 *   source ──WorkTemplate──▶ dispatcher ──Job──▶ board
 */
import { chipDriver } from '../chips/index.js';
import type { ChipModel } from '@shared/chip-model.js';
import { Board, type BoardConfig } from '../boards/board.js';
import { serialControlLink, type ControlLink } from '../boards/control/control-link.js';
import type { ThermalGuardConfig } from '../boards/control/thermal-guard.js';
import { Dispatcher } from '../work/dispatcher.js';
import type { ChipNonce, Job, Share } from '../work/job.js';
import type { WorkSource } from '../work/source.js';
import { SyntheticSource } from '../work/synthetic.js';
import { shareFromNonce, validateNonce } from '../work/validator.js';
import { networkDifficulty as networkDifficultyOf } from '../bitcoin/target.js';
import { Stats } from '../stats/stats.js';
import { Ledger } from '../stats/ledger.js';
import { EventBus } from '@shared/bus.js';
import type {
  BoardSnapshot,
  DiagnosticsCommandOptions,
  DiagnosticsRunResult,
  EngineApi,
  EngineDiagnosticsProgress,
  EngineCommand,
  EngineEvent,
  EngineSnapshot,
  MineSummary,
  Warning,
} from '@shared/contract';
import { VERSION } from './version.js';
import { LogBuffer } from './log-buffer.js';
import { runBoardDiagnostics } from '../diagnostics/engine-runner.js';
import { diagnosticsSweepPlan, diagnosticsTarget, saveDiagnosticsReport } from './board-diagnostics.js';
import { formatDifficulty, formatHashrate } from '@shared/format.js';
import { HotplugWatcher } from '../boards/hotplug.js';
import type { SerialPortInfo } from '../boards/detect.js';
import { mkdirSync, writeFileSync, fsyncSync, openSync, closeSync } from 'node:fs';
import path from 'node:path';
import { encodeHeader } from '../bitcoin/header.js';
import { hashToDisplayHex } from '../bitcoin/sha256d.js';
import { coinbaseBytes } from '../work/coinbase.js';

export interface BoardRequest {
  id: string;
  name: string;
  path: string;
  model: ChipModel;
  emulated: boolean;
  scaleBits: number;
  expectedChips?: number;
  binding?: BoardConfig['binding'];
  /** A bitaxe-raw control port by path (`--control`, or the pair found by USB detection). */
  controlPath?: string | null;
  /** Any other control link (the built-in emulator's); wins over `controlPath`. */
  control?: ControlLink | null;
  /** Core voltage to power up at; the chip family's default when absent. */
  coreVoltageV?: number;
  /** The device does not say its chip: `model` is provisional, enumeration decides. */
  detectModel?: boolean;
}

export interface EngineOptions {
  /** Boards to start (the CLI resolves device specs: auto, emulator, paths). */
  boards: BoardRequest[];
  source: WorkSource | null;
  mode: EngineSnapshot['mode'];
  frequencyMhz: number | null;
  ticketDifficulty: number | null;
  dataDir: string | null;
  /** Re-open a lost board's port this often (hotplug of a path that comes back). */
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

/** Above this many seconds between expected shares the pool difficulty is too high for the board(s). */
export const SLOW_SHARE_INTERVAL_S = 600;

/** Seconds between shares expected at `difficulty` for `hashrateHs` (difficulty 1 = 2^32 hashes). */
export function expectedShareIntervalS(difficulty: number, hashrateHs: number): number | null {
  if (!(difficulty > 0) || !(hashrateHs > 0) || !Number.isFinite(difficulty) || !Number.isFinite(hashrateHs)) return null;
  return (difficulty * 2 ** 32) / hashrateHs;
}

/** The warning text when fewer than one share per 10 minutes is expected, else null. */
export function slowShareWarning(poolUrl: string, difficulty: number, hashrateHs: number): string | null {
  const intervalS = expectedShareIntervalS(difficulty, hashrateHs);
  if (intervalS === null || intervalS <= SLOW_SHARE_INTERVAL_S) return null;
  const every = intervalS >= 7200 ? `${(intervalS / 3600).toFixed(1)} h` : `${Math.round(intervalS / 60)} min`;
  return `Pool ${poolUrl} set difficulty ${formatDifficulty(difficulty)}: at ${formatHashrate(hashrateHs)} that is one share every ${every} on average, so progress will look erratic. Ask for a lower difficulty (--suggest-difficulty) or use a pool that allows it.`;
}

/** An emulated control port answers at once: no regulator to settle (real boards: 500 + 200 ms). */
const EMULATED_POWER_TIMING = { settleMs: 10, afterResetMs: 10 };

const DEFAULT_TICKET_DIFFICULTY = 256;
const DEFAULT_VERSION_MASK = 0x1fffe000;

export class Engine implements EngineApi {
  readonly bus: EventBus;
  readonly startedAtMs = Date.now();
  readonly boards = new Map<string, Board>();
  readonly stats: Stats;
  readonly ledger: Ledger | null;
  readonly logs = new LogBuffer(2000);
  private readonly dispatcher: Dispatcher;
  private readonly source: WorkSource;
  private readonly warnings = new Map<string, Warning>();
  private readonly snapshotListeners = new Set<(s: EngineSnapshot) => void>();
  private snapshotTimer: NodeJS.Timeout | null = null;
  private reattachTimer: NodeJS.Timeout | null = null;
  private sampleTimer: NodeJS.Timeout | null = null;
  private hotplug: HotplugWatcher | null = null;
  private samplesTaken = 0;
  private stopping = false;
  /** Boards under test: mining is paused on them until their run ends. */
  private readonly diagnosticsRuns = new Map<string, { controller: AbortController; done: Promise<unknown> }>();

  constructor(private readonly options: EngineOptions) {
    this.bus = options.bus ?? new EventBus();
    this.bus.on('log', (e) => this.logs.push(e));
    this.ledger = options.dataDir ? Ledger.open(options.dataDir) : null;
    this.stats = new Stats({ bus: this.bus, ledger: this.ledger ?? undefined });
    this.source = options.source ?? new SyntheticSource();
    this.dispatcher = new Dispatcher((job) => this.stats.recordJobStart(job.boardId, job.sentAtMs, this.boards.get(job.boardId)?.ticket.weight));
    this.bus.on('block', (e) => {
      if (e.accepted) this.warn(`block-${e.hash}`, 'info', `BLOCK FOUND at height ${e.height ?? '?'}: ${e.hash} (${e.result})`, e.boardId);
    });
  }

  get mode(): EngineSnapshot['mode'] {
    return this.options.mode;
  }

  async start(): Promise<void> {
    this.bus.log('info', 'engine', `HashDeck ${VERSION} starting (${this.options.mode} mode, ${this.options.boards.length} board(s))`);
    if (this.options.boards.length === 0) this.bus.log('warn', 'engine', 'no board to drive: the engine is idle (give --device auto, emulator or a serial path)');
    await this.source.start({
      onTemplate: (t) => this.dispatcher.setTemplate(t),
      onInvalidateAll: (reason) => {
        this.bus.log('info', 'work', `all chip jobs invalidated: ${reason}`);
        this.dispatcher.invalidateAll();
      },
    });
    for (const req of this.options.boards) void this.startBoard(req);
    this.snapshotTimer = setInterval(() => {
      this.checkPoolDifficulty();
      this.publishSnapshot();
    }, this.options.snapshotIntervalMs ?? 1000);
    this.snapshotTimer.unref();
    this.reattachTimer = setInterval(() => this.reattachLostBoards(), this.options.reattachMs ?? 2000);
    this.reattachTimer.unref();
    // Time series for the History page: every 5 s into the ledger, rolled up as it goes.
    this.sampleTimer = setInterval(() => this.sample(), this.options.sampleIntervalMs ?? 5000);
    this.sampleTimer.unref();
    if (this.options.hotplug) await this.startHotplug();
  }

  /** New USB boards are started as they appear; a vanished board is seen lost by its transport. */
  private async startHotplug(): Promise<void> {
    const lister = typeof this.options.hotplug === 'object' ? this.options.hotplug.list : undefined;
    const watcher = new HotplugWatcher(this.options.reattachMs ?? 2000, lister);
    this.hotplug = watcher;
    let n = 0;
    watcher.on('added', (found) => {
      if (this.stopping) return;
      if ([...this.boards.values()].some((b) => b.config.path === found.dataPath)) return;
      // Devices that do not say their chip are enumerated to find out (detectModel).
      const req: BoardRequest = { id: `usb${n++}`, name: found.label, path: found.dataPath, model: found.chip ?? 'bm1366', detectModel: found.chip === null, emulated: false, scaleBits: 0, controlPath: found.controlPath };
      this.options.boards.push(req);
      this.bus.log('info', 'devices', `${found.label} appeared at ${found.dataPath}: starting it`);
      void this.startBoard(req);
    });
    await watcher.start();
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
    if (this.reattachTimer) clearInterval(this.reattachTimer);
    if (this.sampleTimer) clearInterval(this.sampleTimer);
    this.hotplug?.stop();
    this.dispatcher.stop();
    // Board tests end first (each leaves its board safe); their boards are not restarted.
    for (const run of this.diagnosticsRuns.values()) run.controller.abort();
    await Promise.all([...this.diagnosticsRuns.values()].map((r) => r.done.catch(() => undefined)));
    // Boards first (hashing stopped, left safe), then the source (pending shares/blocks flushed).
    await Promise.all([...this.boards.values()].map((b) => b.stop().catch(() => undefined)));
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
        return this.runDiagnostics(command.boardId, command.options ?? {});
      case 'cancelDiagnostics': {
        const run = this.diagnosticsRuns.get(command.boardId);
        if (!run) throw new Error(`no board test is running on ${command.boardId}`);
        run.controller.abort();
        return { cancelling: command.boardId };
      }
    }
  }

  // ── diagnostics ──────────────────────────────────────────────────────────────────────────
  /**
   * The board test on a board the engine is mining: mining stops on that board only, the test
   * runs over its port (progress as 'diagnostics' events), the report is saved under
   * `<dataDir>/diagnostics/`, then a fresh Board starts mining again from the same request.
   */
  private runDiagnostics(boardId: string, options: DiagnosticsCommandOptions): Promise<DiagnosticsRunResult> {
    if (this.stopping) return Promise.reject(new Error('the engine is stopping'));
    const req = this.options.boards.find((r) => r.id === boardId);
    if (!req) {
      const known = this.options.boards.map((r) => r.id).join(', ');
      return Promise.reject(new Error(`there is no board "${boardId}"${known ? ` (boards: ${known})` : ''}`));
    }
    if (this.diagnosticsRuns.has(boardId)) return Promise.reject(new Error(`board ${boardId} is already being tested: wait for that run to finish or cancel it`));
    const board = this.boards.get(boardId);
    // Stopping a board half-way through its start would race the start's own error handling.
    if (board && (board.state === 'starting' || board.state === 'initialising')) {
      return Promise.reject(new Error(`board ${boardId} is still initialising: try again once it is hashing`));
    }
    const controller = new AbortController();
    // Registered before the run's first step, so a second request is refused from now on.
    const done = Promise.resolve().then(() => this.diagnose(req, board, options, controller.signal));
    this.diagnosticsRuns.set(boardId, { controller, done });
    return done;
  }

  private async diagnose(req: BoardRequest, board: Board | undefined, options: DiagnosticsCommandOptions, signal: AbortSignal): Promise<DiagnosticsRunResult> {
    const boardId = req.id;
    const scope = `diagnostics ${boardId}`;
    const publish = (progress: EngineDiagnosticsProgress): void => this.bus.emit({ type: 'diagnostics', atMs: Date.now(), boardId, progress });
    try {
      this.bus.log('info', scope, `board test starting on ${req.name}${options.sweep ? ' (with a frequency sweep)' : ''}: mining paused on this board`);
      // Mining stops on this board only. Its listeners stay until stop() returns, so nonces still
      // on the wire are judged and counted; then the stopped board stays listed while it is tested.
      this.dispatcher.removeSink(boardId);
      if (board) {
        await board.stop().catch(() => undefined);
        board.removeAllListeners();
        board.state = 'stopped';
        board.stateDetail = 'board test running';
        this.bus.emit({ type: 'board', atMs: Date.now(), boardId, state: 'stopped', detail: board.stateDetail });
      }
      const target = diagnosticsTarget(req, options, this.options.frequencyMhz);
      let result;
      try {
        result = await runBoardDiagnostics(
          target,
          { sweep: options.sweep ? diagnosticsSweepPlan(target) : null, signal, log: (level, text) => this.bus.log(level, scope, text) },
          (progress) => {
            // After a cancel the remaining steps only fail for want of time: not worth showing.
            if (!signal.aborted) publish(progress);
          },
        );
      } catch (err) {
        const text = signal.aborted ? 'board test cancelled' : `the board test could not run: ${(err as Error).message}`;
        this.bus.log(signal.aborted ? 'info' : 'error', scope, text);
        publish(signal.aborted ? { type: 'cancelled', atMs: Date.now(), text } : { type: 'error', atMs: Date.now(), text });
        if (signal.aborted) return { boardId, report: null, cancelled: true, reportPath: null, notes: [] };
        throw new Error(text);
      }
      if (result.cancelled) {
        const text = 'board test cancelled; no report was kept';
        this.bus.log('info', scope, text);
        publish({ type: 'cancelled', atMs: Date.now(), text });
        return { boardId, report: null, cancelled: true, reportPath: null, notes: result.notes };
      }
      const { report } = result;
      let reportPath: string | null = null;
      if (this.options.dataDir) {
        try {
          reportPath = saveDiagnosticsReport(this.options.dataDir, boardId, report);
        } catch (err) {
          this.bus.log('warn', scope, `could not save the report under ${this.options.dataDir}: ${(err as Error).message}`);
        }
      }
      this.bus.log(report.verdict === 'PASS' ? 'info' : 'warn', scope, `board test ${report.verdict}${report.reasons.length ? `: ${report.reasons.join(' ')}` : ''}${reportPath ? ` (report ${reportPath})` : ''}`);
      return { boardId, report, cancelled: false, reportPath, notes: result.notes };
    } finally {
      this.diagnosticsRuns.delete(boardId);
      if (!this.stopping) {
        this.bus.log('info', scope, 'mining resumes on this board');
        // A fresh Board from the same request, as a reattach does.
        void this.startBoard(req);
      }
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
    const boards = [...this.boards.values()].map((b) => this.boardSnapshot(b));
    const totals = this.stats.totals();
    const powerValues = boards.map((b) => b.sensors.powerW).filter((p): p is number => p !== null);
    const template = this.dispatcher.currentTemplate;
    const node = this.source.nodeSnapshot();
    return {
      version: VERSION,
      startedAtMs: this.startedAtMs,
      nowMs: Date.now(),
      firstJobAtMs: this.dispatcher.firstJobAtMs,
      mode: this.options.mode,
      dataDir: this.options.dataDir,
      boards,
      pools: this.source.poolSnapshots(),
      node,
      totals: {
        ...totals,
        bestDifficultyAllTime: this.stats.bestDifficultyAllTime(),
        hashrateHs: this.stats.hashrateSinceStartHs(),
        hashrate: this.stats.hashrate(),
        expectedHashrateHs: boards.reduce((sum, b) => sum + b.expectedHashrateHs, 0),
        powerW: powerValues.length ? powerValues.reduce((a, b) => a + b, 0) : null,
      },
      network:
        node && node.networkDifficulty !== null
          ? { height: node.height, difficulty: node.networkDifficulty, hashrateHs: node.networkHashrateHs }
          : template && this.options.mode !== 'benchmark'
            ? { height: template.height ?? null, difficulty: networkDifficultyOf(template.nbits), hashrateHs: null }
            : null,
      warnings: [...this.warnings.values()],
    };
  }

  summary(): MineSummary {
    const s = this.snapshot();
    return {
      type: 'summary',
      durationS: (Date.now() - this.startedAtMs) / 1000,
      nonces: s.totals.nonces,
      validNonces: s.totals.validNonces,
      hwErrors: s.totals.hwErrors,
      sharesAccepted: s.totals.sharesAccepted,
      sharesRejected: s.totals.sharesRejected,
      sharesStale: s.totals.sharesStale,
      blocksFound: s.totals.blocksFound,
      bestDifficulty: s.totals.bestDifficulty,
      bestDifficultyAllTime: s.totals.bestDifficultyAllTime,
      hashrateHs: s.totals.hashrateHs,
      emulated: s.boards.some((b) => b.emulated),
      boards: s.boards.map((b) => ({
        id: b.id,
        model: b.model,
        chips: b.chipsFound,
        emulated: b.emulated,
        scaleBits: b.scaleBits,
        nonces: b.counters.nonces,
        validNonces: b.counters.validNonces,
        hwErrors: b.counters.hwErrors,
        hashrateHs: b.hashrateHs,
        framesBad: b.framesBad,
      })),
    };
  }

  // ── boards ───────────────────────────────────────────────────────────────────────────────
  private async startBoard(req: BoardRequest): Promise<void> {
    const driver = chipDriver(req.model);
    const control = req.control ?? (req.controlPath ? serialControlLink(req.controlPath) : null);
    const board = new Board({
      id: req.id,
      name: req.name,
      path: req.path,
      driver,
      frequencyMhz: this.options.frequencyMhz ?? driver.defaultFrequencyMhz,
      frequencyIsModelDefault: this.options.frequencyMhz === null,
      detectModel: req.detectModel,
      ticketDifficulty: this.options.ticketDifficulty ?? DEFAULT_TICKET_DIFFICULTY,
      versionMask: DEFAULT_VERSION_MASK,
      emulated: req.emulated,
      scaleBits: req.scaleBits,
      expectedChips: req.expectedChips,
      binding: req.binding,
      control,
      coreVoltageV: req.coreVoltageV,
      controlOptions: {
        sensorIntervalMs: this.options.sensorIntervalMs,
        thermal: this.options.thermal,
        powerTiming: control?.emulated ? EMULATED_POWER_TIMING : undefined,
      },
    });
    this.boards.set(board.id, board);
    board.on('log', (level, text) => this.bus.log(level, `board ${board.id}`, text));
    board.on('state', (state, detail) => {
      this.bus.emit({ type: 'board', atMs: Date.now(), boardId: board.id, state, detail });
      if (state === 'lost') {
        this.dispatcher.removeSink(board.id);
        this.warn(`lost-${board.id}`, 'warn', `board ${board.config.name} was lost: ${detail ?? 'port closed'}`, board.id);
      }
    });
    board.on('warning', (key, level, text) => this.warn(`${key}-${board.id}`, level, text, board.id));
    board.on('ready', () => {
      this.warnings.delete(`lost-${board.id}`);
      // Ready again after a recovery or a cool-down: one job timer per board, never two.
      this.dispatcher.removeSink(board.id);
      this.dispatcher.addSink(board);
      this.dispatcher.sinkReady(board.id);
    });
    board.on('nonce', (n, job, live) => this.onNonce(n, job, live, board));
    board.on('counter', (chipIndex, count, atMs) => this.stats.recordCounter(board.id, chipIndex, count, atMs, board.config.emulated ? undefined : board.expectedHashrateHs * 4 || undefined));
    try {
      await board.start();
    } catch (err) {
      const message = (err as Error).message;
      this.bus.log('error', `board ${board.id}`, message);
      if (board.state !== 'lost') {
        board.state = 'error';
        board.stateDetail = message;
        this.bus.emit({ type: 'board', atMs: Date.now(), boardId: board.id, state: 'error', detail: message });
      }
      const failedState = board.state;
      await board.stop().catch(() => undefined);
      board.state = failedState;
      board.stateDetail = message;
    }
  }

  /** A lost board whose port is back is started again (hotplug of a path). */
  private reattachLostBoards(): void {
    for (const board of this.boards.values()) {
      if (board.state !== 'lost' || this.stopping || this.diagnosticsRuns.has(board.id)) continue;
      const req = this.options.boards.find((r) => r.id === board.id);
      if (!req || req.binding) continue;
      board.removeAllListeners();
      this.boards.delete(board.id);
      void this.startBoard(req).then(() => {
        const b = this.boards.get(req.id);
        if (b && b.state !== 'hashing') b.state = 'lost';
      });
    }
  }

  private onNonce(n: ChipNonce, job: Job | undefined, jobLive: boolean, board: Board): void {
    const v = validateNonce(n, job, board.ticket);
    this.stats.recordNonce(v);
    this.bus.emit({ type: 'nonce', atMs: n.receivedAtMs, boardId: n.boardId, chipIndex: n.chipIndex, coreId: n.coreId, verdict: v.verdict, difficulty: v.difficulty });
    if (v.verdict !== 'valid' || !v.meetsShareTarget || !v.job) return;
    const share = shareFromNonce(v);
    const live = jobLive && this.source.isTemplateLive(v.job.template);
    if (!live) {
      // A late nonce for a job that is gone: counted stale, never sent (docs/design.md §3).
      this.bus.emit({ type: 'share', atMs: Date.now(), boardId: board.id, pool: v.job.template.sourceId, difficulty: share.difficulty, targetDifficulty: v.job.template.shareDifficulty, result: 'stale', reason: 'job gone before the nonce arrived', responseMs: null });
      if (share.isBlockCandidate) this.bus.log('error', 'engine', `late nonce meets the network target for a dead job ${v.job.template.sourceJobId}; it cannot be a block on the current tip`);
      return;
    }
    this.submit(share);
  }

  private submit(share: Share): void {
    // Duplicates are filtered by the source that sends (the Stratum source, by the pool's own
    // definition of a duplicate); a block on the node's tip retires that tip, so a repeat is stale.
    if (share.isBlockCandidate) {
      this.bus.log('error', 'engine', `BLOCK CANDIDATE from board ${share.boardId}: difficulty ${share.difficulty.toExponential(3)}`);
      // A found block is written down before anything else happens to it (docs/design.md §3).
      // The node source stores the full block itself; for a pool, keep what the pool needs to
      // rebuild it: header and coinbase.
      if (this.source.kind === 'stratum') this.recordPoolBlockCandidate(share);
    }
    this.source.submitShare(share);
  }

  private recordPoolBlockCandidate(share: Share): void {
    if (!this.options.dataDir) return;
    try {
      const t = share.job.template;
      const header = encodeHeader({ version: share.version, prevHash: t.prevHash, merkleRoot: share.job.merkleRoot, ntime: share.ntime, nbits: t.nbits, nonce: share.nonce });
      const hash = hashToDisplayHex(share.hash);
      const dir = path.join(this.options.dataDir, 'blocks');
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `pool-${Date.now()}-${hash}.json`);
      const body = JSON.stringify({ format: 1, kind: 'pool-share', pool: t.sourceId, jobId: t.sourceJobId, height: t.height ?? null, hash, headerHex: header.toString('hex'), coinbaseHex: coinbaseBytes(t, share.job.extranonce2).toString('hex'), extranonce2: share.job.extranonce2.toString('hex'), boardId: share.boardId, foundAtMs: share.foundAtMs }, null, 2);
      const fd = openSync(file, 'w', 0o600);
      try {
        writeFileSync(fd, body);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      this.bus.log('error', 'engine', `could not write the block candidate to the data directory: ${(err as Error).message}`);
    }
  }

  private boardSnapshot(b: Board): BoardSnapshot {
    const counters = this.stats.boardCounters(b.id);
    return {
      id: b.id,
      name: b.config.name,
      path: b.config.path,
      model: b.model,
      emulated: b.config.emulated,
      scaleBits: b.config.scaleBits,
      state: b.state,
      stateDetail: b.stateDetail,
      chipsExpected: b.config.expectedChips ?? null,
      chipsFound: b.chipCount,
      frequencyMhz: b.frequencyMhz,
      ticketDifficulty: b.effectiveTicketDifficulty,
      expectedHashrateHs: b.expectedHashrateHs,
      hashrateHs: this.stats.hashrateSinceStartHs(b.id),
      hashrate: this.stats.hashrate(b.id),
      counters,
      framesBad: b.framesBad,
      sensors: sensorFigures(b),
      chips: this.chipSnapshots(b),
      startedAtMs: b.startedAtMs,
    };
  }

  private chipSnapshots(b: Board): BoardSnapshot['chips'] {
    const interval = b.chipCount > 0 ? Math.floor(256 / b.chipCount) : 0;
    return Array.from({ length: b.chipCount }, (_, index) => {
      const c = this.stats.chipCounters(b.id, index);
      return {
        index,
        address: index * interval,
        validNonces: c.validNonces,
        hwErrors: c.hwErrors,
        hashrateHs: this.stats.hashrateSinceStartHs(b.id, index),
        // Emulated chips count hashes in the scaled unit (2^-K): scale back to true hashes.
        counterHashrateHs: scaleCounter(this.stats.counterHashrateHs(b.id, index), b.config.scaleBits),
      };
    });
  }

  private sample(): void {
    const readings = [...this.boards.values()].map((b) => {
      const s = this.boardSnapshot(b).sensors;
      return { boardId: b.id, powerW: s.powerW, asicTempC: s.asicTempC, vrTempC: s.vrTempC, fanRpm: s.fanRpm };
    });
    this.stats.sampleToLedger(readings);
    if (++this.samplesTaken % 60 === 0) this.ledger?.downsample();
  }

  private warn(id: string, level: Warning['level'], text: string, boardId: string | null): void {
    const warning: Warning = { id, level, text, atMs: Date.now(), boardId };
    this.warnings.set(id, warning);
    this.bus.emit({ type: 'warning', atMs: warning.atMs, warning });
  }

  /** Warn when the active pool's difficulty means fewer than one share per 10 minutes for these boards. */
  private checkPoolDifficulty(): void {
    const active = this.source.poolSnapshots().find((p) => p.active);
    const firstJob = this.dispatcher.firstJobAtMs;
    const measuredLongEnough = firstJob !== null && Date.now() - firstJob >= 60_000;
    let hashrateHs = 0;
    for (const b of this.boards.values()) {
      if (b.state !== 'hashing') continue;
      // Emulated chips hash at the emulator's rate, not the silicon's rating: use what they measure,
      // once a minute of nonces makes the figure worth judging.
      if (b.config.emulated) hashrateHs += measuredLongEnough ? this.stats.hashrateSinceStartHs(b.id) : 0;
      else hashrateHs += b.expectedHashrateHs;
    }
    const text = active && active.difficulty !== null ? slowShareWarning(active.url, active.difficulty, hashrateHs) : null;
    const id = 'pool-difficulty';
    if (text === null) {
      if (hashrateHs > 0 || !active) this.warnings.delete(id);
      return;
    }
    const existing = this.warnings.get(id);
    // One event per difficulty, not per second: the text moves with the hashrate, the difficulty does not.
    if (existing && existing.text.startsWith(text.slice(0, text.indexOf(': at ')))) {
      existing.text = text;
      return;
    }
    this.warn(id, 'warn', text, null);
    this.bus.log('warn', 'work', text);
  }

  private publishSnapshot(): void {
    if (this.snapshotListeners.size === 0) return;
    const s = this.snapshot();
    for (const l of this.snapshotListeners) l(s);
  }
}

function sensorFigures(b: Board): BoardSnapshot['sensors'] {
  const r = b.sensors;
  return {
    coreVoltageV: r?.coreVoltageV ?? null,
    inputVoltageV: r?.inputVoltageV ?? null,
    currentA: r?.currentA ?? null,
    powerW: r?.powerW ?? null,
    asicTempC: r?.asicTempC ?? null,
    vrTempC: r?.vrTempC ?? null,
    fanRpm: r?.fanRpm ?? null,
    fanPercent: r?.fanPercent ?? null,
  };
}

function scaleCounter(hs: number | null, scaleBits: number): number | null {
  return hs === null ? null : hs * 2 ** -scaleBits;
}
