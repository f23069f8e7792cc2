/**
 * Tuning inside the engine (`startTune`, `stopTune`, `applyProfile`, `getTuneResult`, and a
 * setting made by hand): one run at most per board, progress as 'tune' events, results remembered
 * per board serial in `<dataDir>/tuning/` and re-applied when the board comes back (the fleet asks
 * `rememberedOperatingPoint` before it starts a board), and a guard on a tuned board that steps
 * back when a limit breaks later.
 */
import type { EventBus } from '@shared/bus.js';
import type { OperatingPoint, OperatingSource, TuneOptions, TuneProfile, TuneProgress, TuneResult } from '@shared/contract';
import { tuneOptionsSchema } from '@shared/contract';
import type { Board } from '../boards/board.js';
import type { Stats } from '../stats/stats.js';
import { chooseProfiles, PROFILE_LABEL } from '../tuning/profiles.js';
import { resolveTuneLimits } from '../tuning/tune-limits.js';
import { DEFAULT_FREQUENCY_STEP_MHZ, DEFAULT_VOLTAGE_STEP_MV } from '../tuning/tune-plan.js';
import { describePoint, runTune, type TunableBoard, type TuneClock } from '../tuning/tune-run.js';
import { TuneGuard } from '../tuning/tune-guard.js';
import { TuneStore } from '../tuning/tune-store.js';
import type { BoardFleet } from './board-fleet.js';
import type { BoardRequest } from './board-request.js';

/** Step timing: real chips need the temperature to settle; an emulator's model settles faster. */
const REAL_STEP = { settleMs: 30_000, stepMs: 60_000 };
const EMULATED_STEP = { settleMs: 3_000, stepMs: 6_000 };
const GUARD_TICK_MS = 1000;
const GUARD_HOLD_MS = 30_000;

const realClock: TuneClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

export interface BoardTuningOptions {
  bus: EventBus;
  fleet: BoardFleet;
  stats: Stats;
  dataDir: string | null;
  /** A board test is running on the board (no tuning then). */
  isTesting: (boardId: string) => boolean;
  clock?: TuneClock;
  /** How often a run looks at sensors and nonce counts (default 250 ms). */
  tickMs?: number;
  /** A tuned board's guard: how long it waits after a step back before judging again, and how often it looks. */
  guardHoldMs?: number;
  guardTickMs?: number;
}

interface Run {
  controller: AbortController;
  done: Promise<TuneResult>;
  profile: TuneProfile;
  steps: number;
  startedAtMs: number;
}

export class BoardTuning {
  private readonly store: TuneStore | null;
  private readonly runs = new Map<string, Run>();
  private readonly guards = new Map<string, { guard: TuneGuard; serial: string | null }>();
  /** Results of boards without a serial (not remembered across restarts). */
  private readonly unsaved = new Map<string, TuneResult>();
  private readonly timer: NodeJS.Timeout;
  private stopping = false;

  constructor(private readonly options: BoardTuningOptions) {
    this.store = options.dataDir ? new TuneStore(options.dataDir) : null;
    this.timer = setInterval(() => this.checkGuards(), options.guardTickMs ?? GUARD_TICK_MS);
    this.timer.unref();
  }

  isTuning(boardId: string): boolean {
    return this.runs.has(boardId);
  }

  status(boardId: string): { running: boolean; profile: TuneProfile; steps: number; startedAtMs: number } | null {
    const run = this.runs.get(boardId);
    return run ? { running: true, profile: run.profile, steps: run.steps, startedAtMs: run.startedAtMs } : null;
  }

  /** The setting a board is started at when its serial has one remembered. */
  rememberedOperatingPoint(req: BoardRequest): { frequencyMhz: number; coreVoltageV: number | null; source: OperatingSource } | null {
    if (!req.serial || !this.store) return null;
    const result = this.store.load(req.serial);
    if (!result?.applied || result.model !== req.model) return null;
    this.options.bus.log('info', `board ${req.id}`, `re-applying the remembered ${result.applied.source} setting for ${req.serial}: ${describePoint(result.applied)}`);
    return { frequencyMhz: result.applied.frequencyMhz, coreVoltageV: result.applied.coreVoltageMv === null ? null : result.applied.coreVoltageMv / 1000, source: result.applied.source };
  }

  /** A board came up: a remembered profile gets its guard again. */
  boardReady(board: Board): void {
    const source = board.operatingSource;
    if (source !== 'eco' && source !== 'balanced' && source !== 'max') return;
    const result = this.resultFor(board);
    if (result) this.arm(board, result, board.operatingPoint);
  }

  result(boardId: string): TuneResult | null {
    const board = this.board(boardId);
    return this.resultFor(board);
  }

  /** Starts a run (throws a sentence when it cannot start); resolves with the result when it ends. */
  start(boardId: string, raw: TuneOptions | undefined): Promise<TuneResult> {
    if (this.stopping) throw new Error('the engine is stopping');
    const board = this.board(boardId);
    const parsed = tuneOptionsSchema.safeParse(raw ?? {});
    if (!parsed.success) throw new Error(`tuning options: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'options'} ${i.message}`).join('; ')}`);
    const options = parsed.data;
    if (this.runs.has(boardId)) throw new Error(`board ${boardId} is already being tuned: stop that run first`);
    if (this.options.isTesting(boardId)) throw new Error(`board ${boardId} is being tested: tune it once the board test has ended`);
    if (board.state !== 'hashing') throw new Error(`board ${boardId} is ${board.state}: a tuning run needs a board that is hashing`);
    const limits = resolveTuneLimits(board.model, board.limits, board.chipCount, options);
    const timing = board.config.emulated ? EMULATED_STEP : REAL_STEP;
    const controller = new AbortController();
    const { bus } = this.options;
    const scope = `tuning ${boardId}`;
    const startedAtMs = Date.now();
    const run: Run = { controller, done: Promise.resolve(null as never), profile: options.profile, steps: 0, startedAtMs };
    this.guards.delete(boardId);
    const publish = (progress: TuneProgress): void => {
      if (progress.type === 'step' || progress.type === 'limit') run.steps++;
      if (progress.type === 'limit') bus.log('warn', scope, `${progress.text} Undone: back at ${describePoint(progress.restored)}.`);
      bus.emit({ type: 'tune', atMs: progress.atMs, boardId, progress });
    };
    bus.log('info', scope, `tuning ${board.config.name} for ${PROFILE_LABEL[options.profile]}${board.config.emulated ? " (emulated board: the figures are the emulator's model)" : ''}`);
    run.done = runTune(this.tunable(boardId), {
      profile: options.profile,
      limits,
      frequencyStepMhz: options.frequencyStepMhz ?? DEFAULT_FREQUENCY_STEP_MHZ,
      voltageStepMv: options.voltageStepMv ?? DEFAULT_VOLTAGE_STEP_MV,
      stepMs: options.stepS !== undefined ? options.stepS * 1000 : timing.stepMs,
      settleMs: options.settleS !== undefined ? options.settleS * 1000 : timing.settleMs,
      tickMs: this.options.tickMs ?? 250,
      clock: this.options.clock ?? realClock,
      signal: controller.signal,
      onProgress: publish,
    })
      .then((outcome) => {
        const serial = board.config.serial ?? null;
        const result: TuneResult = {
          serial: serial ?? `unsaved-${boardId}`,
          model: board.model,
          boardName: board.config.name,
          finishedAtMs: Date.now(),
          modelled: board.config.emulated,
          limits,
          baseline: outcome.baseline,
          rows: outcome.rows,
          profiles: outcome.profiles,
          applied: outcome.applied && outcome.appliedSource ? { source: outcome.appliedSource, ...outcome.applied } : null,
        };
        if (outcome.cancelled) return result;
        this.remember(boardId, serial, result);
        bus.log('info', scope, outcome.text);
        publish({ type: 'done', atMs: Date.now(), result, chosen: options.profile, applied: outcome.applied, text: outcome.text });
        const live = this.options.fleet.boards.get(boardId);
        if (live && outcome.applied && outcome.appliedSource === options.profile) this.arm(live, result, outcome.applied);
        return result;
      })
      .finally(() => this.runs.delete(boardId));
    this.runs.set(boardId, run);
    return run.done;
  }

  stop(boardId: string): { stopping: string } {
    const run = this.runs.get(boardId);
    if (!run) throw new Error(`no tuning run is going on ${boardId}`);
    run.controller.abort();
    return { stopping: boardId };
  }

  /** Apply a profile from the board's remembered result (the schedule's profile windows do not remember theirs). */
  async applyProfile(boardId: string, profile: TuneProfile, how: { remember: boolean } = { remember: true }): Promise<{ applied: OperatingPoint }> {
    const board = this.board(boardId);
    if (this.runs.has(boardId)) throw new Error(`board ${boardId} is being tuned: stop the run first`);
    const result = this.resultFor(board);
    if (!result) throw new Error(`board ${boardId} has no tuning result yet: run a tuning first`);
    const row = result.profiles[profile] ?? chooseProfiles(result.rows)[profile];
    if (!row) throw new Error(`the last tuning of board ${boardId} found no ${PROFILE_LABEL[profile]} setting`);
    const point: OperatingPoint = { frequencyMhz: row.frequencyMhz, coreVoltageMv: board.voltageSettable ? row.coreVoltageMv : null };
    await board.setOperatingPoint({ frequencyMhz: point.frequencyMhz, ...(point.coreVoltageMv !== null ? { coreVoltageV: point.coreVoltageMv / 1000 } : {}) }, profile);
    if (how.remember) this.remember(boardId, board.config.serial ?? null, { ...result, applied: { source: profile, ...point } });
    this.arm(board, result, point);
    this.options.bus.log('info', `tuning ${boardId}`, `${PROFILE_LABEL[profile]} applied: ${describePoint(point)}`);
    return { applied: point };
  }

  /** A setting made by hand is remembered like a profile (and ends any guard: the user chose it). */
  rememberManual(board: Board, point: OperatingPoint): void {
    this.guards.delete(board.id);
    const serial = board.config.serial ?? null;
    const base: TuneResult = this.resultFor(board) ?? {
      serial: serial ?? `unsaved-${board.id}`,
      model: board.model,
      boardName: board.config.name,
      finishedAtMs: Date.now(),
      modelled: board.config.emulated,
      limits: resolveTuneLimits(board.model, board.limits, board.chipCount),
      baseline: null,
      rows: [],
      profiles: { eco: null, balanced: null, max: null },
      applied: null,
    };
    this.remember(board.id, serial, { ...base, applied: { source: 'manual', ...point } });
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    for (const run of this.runs.values()) run.controller.abort();
    await Promise.all([...this.runs.values()].map((r) => r.done.catch(() => undefined)));
  }

  private board(boardId: string): Board {
    const board = this.options.fleet.boards.get(boardId);
    if (!board) {
      const known = this.options.fleet.requestIds().join(', ');
      throw new Error(`there is no board "${boardId}"${known ? ` (boards: ${known})` : ''}`);
    }
    return board;
  }

  private resultFor(board: Board): TuneResult | null {
    const serial = board.config.serial;
    return (serial && this.store?.load(serial)) || this.unsaved.get(board.id) || null;
  }

  private remember(boardId: string, serial: string | null, result: TuneResult): void {
    if (serial && this.store) {
      try {
        this.store.save(result);
        return;
      } catch (err) {
        this.options.bus.log('warn', `tuning ${boardId}`, `could not remember the tuning under ${this.store.dir}: ${(err as Error).message}`);
      }
    } else if (!serial) {
      this.options.bus.log('info', `tuning ${boardId}`, 'this board has no serial number: its tuning is kept until the engine stops');
    }
    this.unsaved.set(boardId, result);
  }

  private arm(board: Board, result: TuneResult, applied: OperatingPoint): void {
    this.guards.set(board.id, { guard: new TuneGuard(result.rows, result.limits, applied, this.options.guardHoldMs ?? GUARD_HOLD_MS, Date.now()), serial: board.config.serial ?? null });
  }

  private checkGuards(): void {
    for (const [boardId, { guard }] of this.guards) {
      const board = this.options.fleet.boards.get(boardId);
      if (!board || board.state !== 'hashing' || this.runs.has(boardId)) continue;
      const reading = board.sensors;
      if (!reading) continue;
      const from = guard.point;
      const decision = guard.check(reading, Date.now());
      if (decision.kind === 'ok') continue;
      const scope = `tuning ${boardId}`;
      this.options.bus.log('warn', scope, decision.text);
      if (decision.kind === 'nothing-lower') {
        this.options.bus.emit({ type: 'tune', atMs: Date.now(), boardId, progress: { type: 'stepped-back', atMs: Date.now(), text: decision.text, from, to: null } });
        continue;
      }
      const to: OperatingPoint = { frequencyMhz: decision.to.frequencyMhz, coreVoltageMv: board.voltageSettable ? decision.to.coreVoltageMv : null };
      board
        .setOperatingPoint({ frequencyMhz: to.frequencyMhz, ...(to.coreVoltageMv !== null ? { coreVoltageV: to.coreVoltageMv / 1000 } : {}) }, board.operatingSource)
        .then(() => this.options.bus.emit({ type: 'tune', atMs: Date.now(), boardId, progress: { type: 'stepped-back', atMs: Date.now(), text: decision.text, from, to } }))
        .catch((err: Error) => this.options.bus.log('error', scope, `stepping back failed: ${err.message}`));
    }
  }

  /** The live board behind an id, as a tuning run sees it (a re-attached board is a new Board). */
  private tunable(boardId: string): TunableBoard {
    const { fleet, bus, stats } = this.options;
    const live = (): Board | undefined => fleet.boards.get(boardId);
    const first = live()!;
    return {
      name: first.config.name,
      emulated: first.config.emulated,
      get state() {
        return live()?.state ?? 'lost';
      },
      get operatingPoint() {
        return live()?.operatingPoint ?? first.operatingPoint;
      },
      get voltageSettable() {
        return live()?.voltageSettable ?? false;
      },
      get sensors() {
        return live()?.sensors ?? null;
      },
      get ticketWeight() {
        return (live() ?? first).ticket.weight;
      },
      ratedHashrateHs: (f) => (live() ?? first).ratedHashrateHs(f),
      counterHashrateHs: () => {
        const hs = stats.counterHashrateHs(boardId);
        return hs === null ? null : hs * 2 ** -first.config.scaleBits;
      },
      setOperatingPoint: (point, source) => {
        const b = live();
        return b ? b.setOperatingPoint(point, source) : Promise.reject(new Error(`board ${boardId} is gone`));
      },
      onNonce: (listener) =>
        bus.on('nonce', (e) => {
          if (e.boardId === boardId) listener(e.verdict);
        }),
    };
  }
}
