/**
 * Applies the schedule (schedule/schedule-plan.ts) to the boards: on each tick it asks what every
 * board should be doing now and acts when that changes (pause, resume, switch profile). It acts on
 * changes only, so a board paused or resumed by hand stays that way until the schedule's next
 * change; at start-up a 'pause' (or a profile) is applied at once. The clock is injected: tests
 * drive it with a fake one.
 */
import type { EventBus } from '@shared/bus.js';
import type { BoardScheduleStatus, OperatingPoint, OperatingSource, Schedule, ScheduleStatus, TuneProfile } from '@shared/contract';
import { ambientDecision, describeChanges, nextScheduleChanges, scheduleDecision, scheduleZone, type ScheduleBoardRef, type ScheduleDecision } from '../schedule/schedule-plan.js';

/** What the runner needs from the engine. */
export interface ScheduledBoards {
  list(): Array<ScheduleBoardRef & { ambientTempC: number | null; operatingPoint: OperatingPoint | null; operatingSource: OperatingSource | null }>;
  pause(id: string, reason: string): Promise<void>;
  resume(id: string): Promise<void>;
  applyProfile(id: string, profile: TuneProfile): Promise<void>;
  restoreOperatingPoint(id: string, point: OperatingPoint, source: OperatingSource): Promise<void>;
}

interface BoardPlan {
  /** The last decision applied (schedule and ambient together). */
  key: string;
  pausedForAmbient: boolean;
  /** The schedule paused the board (so a schedule that no longer says so resumes it). */
  pausedBySchedule: boolean;
  /** The setting before a profile window, put back when it ends. */
  beforeProfile: { point: OperatingPoint; source: OperatingSource } | null;
  status: BoardScheduleStatus;
}

export interface ScheduleRunnerOptions {
  bus: EventBus;
  boards: ScheduledBoards;
  now: () => number;
  tickMs?: number;
}

export class ScheduleRunner {
  private schedule: Schedule | null = null;
  private readonly plans = new Map<string, BoardPlan>();
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> | null = null;

  constructor(private readonly options: ScheduleRunnerOptions) {}

  get current(): Schedule | null {
    return this.schedule;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.tickMs ?? 1000);
    this.timer.unref();
    void this.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A new schedule takes effect at once; boards the old one paused resume if the new one (or none) says mine. */
  async set(schedule: Schedule | null): Promise<void> {
    await this.busy;
    this.schedule = schedule;
    for (const plan of this.plans.values()) plan.key = '';
    this.options.bus.log(
      'info',
      'schedule',
      schedule === null ? 'no schedule' : schedule.enabled ? `schedule set (${schedule.windows.length} window(s), times in ${scheduleZone(schedule)})` : 'schedule switched off',
    );
    if (schedule === null) {
      for (const [id, plan] of this.plans) {
        if (!plan.pausedBySchedule) continue;
        plan.pausedBySchedule = false;
        await this.options.boards.resume(id).catch(() => undefined);
      }
      return;
    }
    return this.tick();
  }

  /** One evaluation (the timer calls it; tests may too). Overlapping calls share one. */
  tick(): Promise<void> {
    if (!this.busy) this.busy = this.evaluate().finally(() => (this.busy = null));
    return this.busy;
  }

  boardStatus(boardId: string): BoardScheduleStatus | null {
    return this.schedule ? (this.plans.get(boardId)?.status ?? null) : null;
  }

  status(): ScheduleStatus | null {
    const s = this.schedule;
    if (!s) return null;
    const now = this.options.now();
    const current = scheduleDecision(s, null, now);
    const changes = nextScheduleChanges(s, null, now, 2);
    const ids = this.options.boards.list().map((b) => b.id);
    return {
      enabled: s.enabled,
      timeZone: scheduleZone(s),
      text: describeChanges(s, current, changes, now),
      next: changes.map((c) => ({ atMs: c.atMs, action: c.action, profile: c.profile, boardIds: ids })),
    };
  }

  private async evaluate(): Promise<void> {
    const s = this.schedule;
    if (!s) return;
    const now = this.options.now();
    const boards = this.options.boards.list();
    for (const board of boards) {
      const fresh = !this.plans.has(board.id);
      const plan = this.plans.get(board.id) ?? { key: '', pausedForAmbient: false, pausedBySchedule: false, beforeProfile: null, status: emptyStatus() };
      this.plans.set(board.id, plan);
      const wanted = scheduleDecision(s, board, now);
      const ambient = ambientDecision(s, board.ambientTempC, plan.pausedForAmbient);
      const decision: ScheduleDecision = ambient.pause ? { action: 'pause', profile: null, reason: ambient.reason! } : wanted;
      const next = nextScheduleChanges(s, board, now, 1)[0] ?? null;
      const text = describeChanges(s, decision, next ? [next] : [], now);
      plan.status = {
        action: decision.action,
        profile: decision.profile,
        reason: decision.reason,
        nextAtMs: next?.atMs ?? null,
        nextAction: next?.action ?? null,
        nextProfile: next?.profile ?? null,
        text,
      };
      const key = `${decision.action}|${decision.profile ?? ''}`;
      if (key === plan.key) continue;
      const previous = plan.key;
      plan.key = key;
      plan.pausedForAmbient = ambient.pause;
      // At start-up (or a new schedule) 'mine' does not undo a pause made by hand or in the config.
      const firstLook = fresh || previous === '';
      await this.apply(board, plan, decision, firstLook).catch((err: Error) => this.options.bus.log('warn', 'schedule', `board ${board.id}: ${err.message}`));
    }
  }

  private async apply(board: ReturnType<ScheduledBoards['list']>[number], plan: BoardPlan, d: ScheduleDecision, firstLook: boolean): Promise<void> {
    const { bus, boards } = this.options;
    if (d.action === 'pause') {
      bus.log('info', 'schedule', `board ${board.id} pauses: ${d.reason}`);
      plan.pausedBySchedule = true;
      await boards.pause(board.id, `paused by the schedule: ${d.reason}`);
      return;
    }
    if (d.profile) {
      if (!plan.beforeProfile && board.operatingPoint && board.operatingSource) plan.beforeProfile = { point: board.operatingPoint, source: board.operatingSource };
      bus.log('info', 'schedule', `board ${board.id} runs ${d.profile}: ${d.reason}`);
      await boards.applyProfile(board.id, d.profile).catch((err: Error) => bus.log('warn', 'schedule', `board ${board.id} keeps its setting: ${err.message}`));
    } else if (plan.beforeProfile) {
      const back = plan.beforeProfile;
      plan.beforeProfile = null;
      await boards.restoreOperatingPoint(board.id, back.point, back.source);
    }
    if (!firstLook || plan.pausedBySchedule) {
      plan.pausedBySchedule = false;
      bus.log('info', 'schedule', `board ${board.id} mines: ${d.reason}`);
      await boards.resume(board.id);
    }
  }
}

function emptyStatus(): BoardScheduleStatus {
  return { action: 'mine', profile: null, reason: '', nextAtMs: null, nextAction: null, nextProfile: null, text: '' };
}
