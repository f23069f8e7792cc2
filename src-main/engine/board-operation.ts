/**
 * The engine's commands for running boards when it pays: pause and resume (one board, some, or
 * the whole rig), frequency and core voltage by hand (inside the chip model's range, remembered
 * per serial), starting a tuning run, and the schedule. Board ids are checked and every refusal is
 * one sentence. The fleet pauses and resumes (board-fleet.ts); tuning is board-tuning.ts.
 */
import type { EventBus } from '@shared/bus.js';
import { scheduleSchema, type OperatingPoint, type Schedule, type TuneOptions } from '@shared/contract';
import { OperatingPointError } from '../boards/board.js';
import type { BoardFleet } from './board-fleet.js';
import type { BoardTuning } from './board-tuning.js';
import type { ScheduledBoards, ScheduleRunner } from './schedule-runner.js';

export interface BoardOperationOptions {
  bus: EventBus;
  fleet: BoardFleet;
  tuning: BoardTuning;
}

export class BoardOperation {
  constructor(private readonly o: BoardOperationOptions) {}

  /** The ids asked for (all boards when none), each checked. */
  boardIds(ids: readonly string[] | undefined): string[] {
    const known = this.o.fleet.requestIds();
    if (ids === undefined || ids.length === 0) return known;
    for (const id of ids) {
      if (!known.includes(id)) throw new Error(`there is no board "${id}"${known.length ? ` (boards: ${known.join(', ')})` : ''}`);
    }
    return [...new Set(ids)];
  }

  async pause(ids?: readonly string[], reason = 'paused by hand'): Promise<{ paused: string[] }> {
    const list = this.boardIds(ids);
    for (const id of list) if (this.o.tuning.isTuning(id)) this.o.tuning.stop(id);
    this.o.bus.log('info', 'engine', `${list.length === this.o.fleet.requestIds().length && list.length > 1 ? 'the whole rig' : `board(s) ${list.join(', ')}`}: ${reason}`);
    await Promise.all(list.map((id) => this.o.fleet.pause(id, reason)));
    return { paused: list };
  }

  async resume(ids?: readonly string[]): Promise<{ resumed: string[] }> {
    const list = this.boardIds(ids);
    this.o.bus.log('info', 'engine', `resuming ${list.join(', ') || 'no board'}`);
    await Promise.all(list.map((id) => this.o.fleet.resume(id)));
    return { resumed: list };
  }

  async setOperatingPoint(boardId: string, frequencyMhz: number | undefined, coreVoltageMv: number | undefined): Promise<{ applied: OperatingPoint }> {
    const [id] = this.boardIds([boardId]);
    const board = this.o.fleet.boards.get(id!);
    if (!board) throw new Error(`board ${boardId} has not started yet`);
    if (frequencyMhz === undefined && coreVoltageMv === undefined) throw new Error('give a frequency (MHz) or a core voltage (mV) to set');
    if (this.o.tuning.isTuning(board.id)) throw new Error(`board ${boardId} is being tuned: stop the tuning run first`);
    const point = { ...(frequencyMhz !== undefined ? { frequencyMhz } : {}), ...(coreVoltageMv !== undefined ? { coreVoltageV: coreVoltageMv / 1000 } : {}) };
    const problem = board.operatingPointProblem(point);
    if (problem) throw new OperatingPointError(problem);
    await board.setOperatingPoint(point, 'manual');
    const applied: OperatingPoint = {
      frequencyMhz: frequencyMhz ?? board.targetFrequencyMhz,
      coreVoltageMv: board.voltageSettable ? Math.round(board.targetCoreVoltageV * 1000) : null,
    };
    this.o.tuning.rememberManual(board, applied);
    this.o.bus.log('info', `board ${board.id}`, `set by hand: ${applied.frequencyMhz} MHz${applied.coreVoltageMv === null ? '' : ` / ${applied.coreVoltageMv} mV`}`);
    return { applied };
  }

  /**
   * Starts a run and answers at once (a run takes minutes); progress and the result come as 'tune'
   * events. A run that cannot start (a board not hashing, a run already going) is refused here.
   */
  startTune(boardId: string, options: TuneOptions | undefined): { started: string } {
    const [id] = this.boardIds([boardId]);
    this.o.tuning.start(id!, options).catch((err: Error) => this.o.bus.log('error', `tuning ${id}`, err.message));
    return { started: id! };
  }

  async setSchedule(raw: unknown, runner: ScheduleRunner, save: ((s: Schedule | null) => Promise<void> | void) | undefined): Promise<{ schedule: Schedule | null; saved: boolean }> {
    let schedule: Schedule | null = null;
    if (raw !== null) {
      const parsed = scheduleSchema.safeParse(raw);
      if (!parsed.success) throw new Error(`schedule not applied: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'schedule'}: ${i.message}`).join('; ')}`);
      schedule = parsed.data;
    }
    await runner.set(schedule);
    if (save) await save(schedule);
    return { schedule, saved: save !== undefined };
  }

  /** The boards as the schedule runner sees and moves them. */
  scheduled(): ScheduledBoards {
    const { fleet, tuning } = this.o;
    return {
      list: () =>
        [...fleet.boards.values()].map((b) => ({
          id: b.id,
          serial: b.config.serial ?? null,
          ambientTempC: b.sensors?.ambientTempC ?? null,
          operatingPoint: b.operatingPoint,
          operatingSource: b.operatingSource,
        })),
      pause: (id, reason) => {
        // A tuning run cannot measure a paused board: it ends first (and puts the setting back).
        if (tuning.isTuning(id)) tuning.stop(id);
        return fleet.pause(id, reason);
      },
      resume: (id) => fleet.resume(id),
      applyProfile: async (id, profile) => {
        await tuning.applyProfile(id, profile, { remember: false });
      },
      restoreOperatingPoint: async (id, point, source) => {
        const board = fleet.boards.get(id);
        if (!board) return;
        await board.setOperatingPoint({ frequencyMhz: point.frequencyMhz, ...(point.coreVoltageMv !== null && board.voltageSettable ? { coreVoltageV: point.coreVoltageMv / 1000 } : {}) }, source);
      },
    };
  }
}
