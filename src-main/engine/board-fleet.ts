/**
 * The boards the engine drives. The fleet starts a Board from its request and wires its events
 * (log, state, warnings, readiness, nonces, hash counters) to the engine's parts; re-attaches a
 * lost board when its port comes back; starts USB boards that appear under `--device auto`
 * (hotplug); parks a board while it is tested; and pauses and resumes boards (a pause holds
 * across restarts of the board: re-attach, a board test). Each Board owns its state: the fleet
 * only calls its transitions.
 */
import type { EventBus } from '@shared/bus.js';
import type { OperatingSource } from '@shared/contract';
import { chipDriver } from '../chips/index.js';
import { Board } from '../boards/board.js';
import { serialControlLink } from '../boards/control/control-link.js';
import type { ThermalGuardConfig } from '../boards/control/thermal-guard.js';
import type { SerialPortInfo } from '../boards/detect.js';
import { HotplugWatcher } from '../boards/hotplug.js';
import type { Dispatcher } from '../work/dispatcher.js';
import type { ChipNonce, Job } from '../work/job.js';
import type { Stats } from '../stats/stats.js';
import { usbBoardRequest } from './device-resolver.js';
import type { BoardRequest } from './board-request.js';
import type { TicketSetting } from '../chips/bm13xx/auto-ticket.js';
import type { Warnings } from './warnings.js';

/** An emulated control port answers at once: no regulator to settle (real boards: 500 + 200 ms). */
const EMULATED_POWER_TIMING = { settleMs: 10, afterResetMs: 10 };
const DEFAULT_TICKET_DIFFICULTY = 256;
const DEFAULT_VERSION_MASK = 0x1fffe000;
/** A lost board's port is tried again after this long, doubling up to the cap while it stays away. */
const REATTACH_MAX_MS = 30_000;

export interface BoardFleetOptions {
  bus: EventBus;
  dispatcher: Dispatcher;
  stats: Stats;
  warnings: Warnings;
  frequencyMhz: number | null;
  ticketDifficulty: TicketSetting | null;
  /** Re-open a lost board's port this often at first (hotplug of a path that comes back). */
  reattachMs?: number;
  /** `--device auto`: start recognised USB boards that appear (optionally with its own port lister, for tests). */
  hotplug?: boolean | { list: () => Promise<SerialPortInfo[]> };
  sensorIntervalMs?: number;
  thermal?: Partial<ThermalGuardConfig>;
  /** Every nonce a board reads, with the job of its slot (or none) and whether that job is still live. */
  onNonce: (nonce: ChipNonce, job: Job | undefined, jobLive: boolean, board: Board) => void;
  /** A remembered operating point for a board (a tuning profile, by serial); per-device options win over it. */
  rememberedOperatingPoint?: (req: BoardRequest) => { frequencyMhz: number; coreVoltageV: number | null; source: OperatingSource } | null;
  /** A Board was created for a request (each start, re-attach and return from a board test). */
  onBoardCreated?: (board: Board) => void;
}

export class BoardFleet {
  readonly boards = new Map<string, Board>();
  private readonly requests: BoardRequest[];
  /** Boards taken off mining (a board test): never re-attached while parked. */
  private readonly parked = new Set<string>();
  /** Boards the user or the schedule paused, with why: a new Board for them starts paused. */
  private readonly paused = new Map<string, string>();
  /** Re-attach back-off per lost board. */
  private readonly reattach = new Map<string, { delayMs: number; nextAtMs: number }>();
  private reattachTimer: NodeJS.Timeout | null = null;
  private hotplug: HotplugWatcher | null = null;
  private stopping = false;

  constructor(
    requests: BoardRequest[],
    private readonly options: BoardFleetOptions,
  ) {
    this.requests = [...requests];
  }

  get count(): number {
    return this.requests.length;
  }

  request(id: string): BoardRequest | undefined {
    return this.requests.find((r) => r.id === id);
  }

  requestIds(): string[] {
    return this.requests.map((r) => r.id);
  }

  async start(): Promise<void> {
    for (const req of this.requests) void this.startBoard(req);
    const tickMs = Math.min(this.options.reattachMs ?? 2000, 1000);
    this.reattachTimer = setInterval(() => this.reattachLostBoards(), tickMs);
    this.reattachTimer.unref();
    if (this.options.hotplug) await this.startHotplug();
  }

  /** Boards first left safe (hashing stopped, power off where the board allows it). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.reattachTimer) clearInterval(this.reattachTimer);
    this.hotplug?.stop();
    await Promise.all([...this.boards.values()].map((b) => b.stop().catch(() => undefined)));
  }

  /**
   * Take a board off mining: no more jobs, stopped and left safe (nonces still on the wire are
   * judged and counted first), then listed as stopped with `reason` while something else uses its port.
   */
  async park(id: string, reason: string): Promise<void> {
    this.parked.add(id);
    this.options.dispatcher.removeSink(id);
    const board = this.boards.get(id);
    if (!board) return;
    await board.stop(reason).catch(() => undefined);
    board.removeAllListeners();
  }

  /**
   * Pause a board: the dispatcher stops feeding it at once, then the board reads and judges what is
   * already on the wire and powers down (Board.pause). Held across restarts of the board.
   */
  async pause(id: string, reason: string): Promise<void> {
    this.paused.set(id, reason);
    this.options.dispatcher.removeSink(id);
    await this.boards.get(id)?.pause(reason);
  }

  /** Mine again on a paused board (a fresh init; the dispatcher feeds it once it is ready). */
  async resume(id: string): Promise<void> {
    this.paused.delete(id);
    await this.boards.get(id)?.resume();
  }

  isPaused(id: string): boolean {
    return this.paused.has(id);
  }

  /** Mine again on a parked board: a fresh Board from the same request. */
  unpark(id: string): void {
    this.parked.delete(id);
    const req = this.request(id);
    if (req && !this.stopping) void this.startBoard(req);
  }

  private async startBoard(req: BoardRequest, reattaching = false): Promise<void> {
    const { bus, dispatcher, stats, warnings } = this.options;
    const driver = chipDriver(req.model);
    const control = req.control ?? (req.controlPath ? serialControlLink(req.controlPath) : null);
    // Per-device options, else a remembered tuning (by serial), else the engine-wide frequency, else the model's default.
    const remembered = req.frequencyMhz === undefined && req.coreVoltageV === undefined ? (this.options.rememberedOperatingPoint?.(req) ?? null) : null;
    const frequencyMhz = req.frequencyMhz ?? remembered?.frequencyMhz ?? this.options.frequencyMhz;
    if (req.startPaused && !this.paused.has(req.id)) this.paused.set(req.id, 'started paused');
    req.startPaused = false;
    const board = new Board({
      id: req.id,
      name: req.name,
      path: req.path,
      driver,
      frequencyMhz: frequencyMhz ?? driver.defaultFrequencyMhz,
      frequencyIsModelDefault: frequencyMhz === null,
      serial: req.serial ?? null,
      operatingSource: remembered?.source ?? (req.frequencyMhz !== undefined || req.coreVoltageV !== undefined || this.options.frequencyMhz !== null ? 'options' : 'default'),
      startPaused: this.paused.has(req.id),
      pauseReason: this.paused.get(req.id),
      detectModel: req.detectModel,
      ticketDifficulty: req.ticketDifficulty ?? this.options.ticketDifficulty ?? DEFAULT_TICKET_DIFFICULTY,
      versionMask: DEFAULT_VERSION_MASK,
      emulated: req.emulated,
      scaleBits: req.scaleBits,
      expectedChips: req.expectedChips,
      binding: req.binding,
      control,
      coreVoltageV: req.coreVoltageV ?? remembered?.coreVoltageV ?? undefined,
      controlOptions: {
        sensorIntervalMs: this.options.sensorIntervalMs,
        thermal: this.options.thermal,
        powerTiming: control?.emulated ? EMULATED_POWER_TIMING : undefined,
      },
    });
    this.boards.get(req.id)?.removeAllListeners();
    this.boards.set(board.id, board);
    const scope = `board ${board.id}`;
    let wasReady = false;
    // A re-attach attempt on a port that is not back says nothing (the loss was reported once);
    // the board speaks again once it gets further than that.
    let quiet = reattaching;
    board.on('log', (level, text) => bus.log(level, scope, text));
    board.on('state', (state, detail) => {
      // Paused time stops the statistics' clocks; a (re)initialisation in between does not decide.
      if (state === 'paused') stats.setBoardPaused(board.id, true);
      else if (state !== 'initialising' && state !== 'starting' && state !== 'recovering') stats.setBoardPaused(board.id, false);
      if (quiet && (state === 'initialising' || state === 'lost')) {
        if (state === 'lost') dispatcher.removeSink(board.id);
        return bus.log('debug', scope, `re-attach attempt: ${state}${detail ? ` (${detail})` : ''}`);
      }
      quiet = false;
      bus.emit({ type: 'board', atMs: Date.now(), boardId: board.id, state, detail });
      if (state === 'lost') {
        dispatcher.removeSink(board.id);
        if (!reattaching || wasReady) warnings.raise(`lost-${board.id}`, 'warn', `board ${board.config.name} was lost: ${detail ?? 'port closed'}`, board.id);
      }
    });
    board.on('warning', (key, level, text) => warnings.raise(`${key}-${board.id}`, level, text, board.id));
    board.on('ready', () => {
      wasReady = true;
      warnings.clear(`lost-${board.id}`);
      this.reattach.delete(board.id);
      // Ready again after a recovery or a cool-down: one job timer per board, never two.
      dispatcher.removeSink(board.id);
      dispatcher.addSink(board);
      dispatcher.sinkReady(board.id);
    });
    board.on('nonce', (n, job, live) => this.options.onNonce(n, job, live, board));
    this.options.onBoardCreated?.(board);
    board.on('counter', (chipIndex, count, atMs) => stats.recordCounter(board.id, chipIndex, count, atMs, board.config.emulated ? undefined : board.expectedHashrateHs * 4 || undefined));
    try {
      await board.start();
    } catch (err) {
      const message = (err as Error).message;
      // A port that is still away is not news every attempt: the first loss was reported.
      bus.log(reattaching ? 'debug' : 'error', scope, message);
      await board.abandon(message, reattaching);
    }
  }

  /** A lost board whose port is back is started again; attempts back off while it stays away. */
  private reattachLostBoards(): void {
    const now = Date.now();
    const firstMs = this.options.reattachMs ?? 2000;
    for (const board of this.boards.values()) {
      if (board.state !== 'lost' || this.stopping || this.parked.has(board.id)) continue;
      const req = this.request(board.id);
      if (!req || req.binding) continue;
      const r = this.reattach.get(board.id) ?? { delayMs: firstMs, nextAtMs: now + firstMs };
      this.reattach.set(board.id, r);
      if (now < r.nextAtMs) continue;
      r.delayMs = Math.min(REATTACH_MAX_MS, r.delayMs * 2);
      r.nextAtMs = now + r.delayMs;
      void this.startBoard(req, true);
    }
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
      const req = usbBoardRequest(found, `usb${n++}`);
      this.requests.push(req);
      this.options.bus.log('info', 'devices', `${found.label} appeared at ${found.dataPath}: starting it`);
      void this.startBoard(req);
    });
    await watcher.start();
  }
}
