/**
 * What to say when: engine events (blocks, pool states, warnings) and snapshot changes (a board
 * lost or too hot, a hardware-error rate, best difficulties, the node) become notifications. Each
 * carries a dedupe key, so the same fact said twice (a board flapping, a pool retried) is sent
 * once per window by the queue. Devices are judged the same way whether they are boards or, later,
 * network miners: by id, name, state and figures.
 */
import type { EngineEvent, EngineSnapshot, NotifyEventKind } from '@shared/contract';
import { formatDifficulty } from '@shared/format.js';

export interface Notification {
  kind: NotifyEventKind | 'test';
  /** Same key within the dedupe window = the same notification. */
  key: string;
  title: string;
  text: string;
  atMs: number;
  /** Blocks and losses: sent ahead of the rate limit. */
  urgent: boolean;
}

export interface WatchThresholds {
  /** ASIC temperature that counts as over temperature (default 70 °C; the thermal guard stops at 75). */
  overTemperatureC: number;
  /** Hardware errors as a share of judged nonces over the recent window (default 5 %). */
  hwErrorPercent: number;
  /** Nonces needed in the window before the rate is judged. */
  hwErrorMinNonces: number;
  /** The window the rate is measured over (default 10 min). */
  hwErrorWindowMs: number;
}

export const DEFAULT_THRESHOLDS: WatchThresholds = { overTemperatureC: 70, hwErrorPercent: 5, hwErrorMinNonces: 200, hwErrorWindowMs: 10 * 60_000 };

/** Below the threshold by this much before a hot board can be reported again. */
const TEMPERATURE_HYSTERESIS_C = 5;

interface DeviceView {
  id: string;
  name: string;
  state: string;
  tempC: number | null;
  validNonces: number;
  hwErrors: number;
}

interface DeviceMemory {
  hot: boolean;
  hwHigh: boolean;
  /** (time, valid, hw) points for the rate window. */
  points: { atMs: number; valid: number; hw: number }[];
}

function boardsOf(s: EngineSnapshot): DeviceView[] {
  return s.boards.map((b) => ({ id: b.id, name: b.name, state: b.state, tempC: b.sensors.asicTempC, validNonces: b.counters.validNonces, hwErrors: b.counters.hwErrors }));
}

export class EventWatcher {
  private readonly devices = new Map<string, DeviceMemory>();
  private baselineAllTime: number | null = null;
  private baselineSession: number | null = null;
  private activePoolUrl: string | null = null;
  private nodeDown = false;

  constructor(
    private readonly emit: (n: Notification) => void,
    private readonly thresholds: WatchThresholds = DEFAULT_THRESHOLDS,
  ) {}

  /** An engine event from the bus. */
  onEvent(e: EngineEvent): void {
    switch (e.type) {
      case 'block': {
        const height = e.height === null ? 'unknown height' : `height ${e.height}`;
        this.emit({
          kind: 'block',
          key: `block:${e.hash}`,
          title: e.accepted ? `Block found by ${e.boardId}!` : `Block candidate from ${e.boardId} not accepted`,
          text: `${e.accepted ? 'Block found' : 'Block candidate'} at ${height} by ${e.boardId}: ${e.hash} (${e.result}, ${e.source})`,
          atMs: e.atMs,
          urgent: true,
        });
        return;
      }
      case 'board':
        if (e.state === 'lost') {
          this.emit({
            kind: 'board-lost',
            key: `board-lost:${e.boardId}`,
            title: `Board ${e.boardId} lost`,
            text: `Board ${e.boardId} is lost${e.detail ? `: ${e.detail}` : ''}`,
            atMs: e.atMs,
            urgent: true,
          });
        }
        return;
      case 'pool':
        return this.onPool(e);
      case 'warning':
        if (e.warning.id.startsWith('payout:')) {
          this.emit({ kind: 'payout-check', key: `payout:${e.warning.text}`, title: 'Pool payout check', text: e.warning.text, atMs: e.atMs, urgent: false });
        }
        return;
      default:
        return;
    }
  }

  private onPool(e: Extract<EngineEvent, { type: 'pool' }>): void {
    if (e.state === 'dead') {
      this.emit({ kind: 'pool-down', key: `pool-down:${e.url}`, title: 'Pool down', text: `Pool ${e.url} is down${e.detail ? `: ${e.detail}` : ''}`, atMs: e.atMs, urgent: false });
      return;
    }
    if (e.state !== 'active') return;
    const previous = this.activePoolUrl;
    this.activePoolUrl = e.url;
    if (previous !== null && previous !== e.url) {
      this.emit({ kind: 'failover', key: `failover:${previous}->${e.url}`, title: 'Pool failover', text: `Mining moved from ${previous} to ${e.url}`, atMs: e.atMs, urgent: false });
    }
  }

  /** A state snapshot (about once a second): compare with what was seen before. */
  onSnapshot(s: EngineSnapshot): void {
    this.checkBest(s);
    this.checkNode(s);
    const seen = new Set<string>();
    for (const d of boardsOf(s)) {
      seen.add(d.id);
      this.checkDevice(d, s.nowMs);
    }
    for (const id of this.devices.keys()) if (!seen.has(id)) this.devices.delete(id);
  }

  private checkBest(s: EngineSnapshot): void {
    const t = s.totals;
    const top = s.bestShares[0];
    // The first snapshot sets the bar: what the data directory already held is no news.
    if (this.baselineAllTime === null || this.baselineSession === null) {
      this.baselineAllTime = t.bestDifficultyAllTime;
      this.baselineSession = t.bestDifficulty;
      return;
    }
    if (t.bestDifficultyAllTime > this.baselineAllTime) {
      this.baselineAllTime = t.bestDifficultyAllTime;
      const by = top && top.difficulty === t.bestDifficultyAllTime ? ` by ${top.deviceId} (${top.work})` : '';
      this.emit({
        kind: 'best-all-time',
        key: `best-all-time:${t.bestDifficultyAllTime}`,
        title: 'New all-time best difficulty',
        text: `New all-time best difficulty ${formatDifficulty(t.bestDifficultyAllTime)}${by}`,
        atMs: s.nowMs,
        urgent: false,
      });
    }
    if (t.bestDifficulty < this.baselineSession) this.baselineSession = t.bestDifficulty; // session reset
    if (t.bestDifficulty > this.baselineSession) {
      this.baselineSession = t.bestDifficulty;
      this.emit({
        kind: 'best-session',
        key: `best-session:${t.bestDifficulty}`,
        title: 'New session best difficulty',
        text: `New session best difficulty ${formatDifficulty(t.bestDifficulty)}`,
        atMs: s.nowMs,
        urgent: false,
      });
    }
  }

  private checkNode(s: EngineSnapshot): void {
    const down = s.node?.state === 'error';
    if (down && !this.nodeDown) {
      this.emit({
        kind: 'node-unreachable',
        key: `node:${s.node!.url}`,
        title: 'Node unreachable',
        text: `The node ${s.node!.url} does not answer${s.node!.message ? `: ${s.node!.message}` : ''}`,
        atMs: s.nowMs,
        urgent: true,
      });
    }
    this.nodeDown = down;
  }

  private checkDevice(d: DeviceView, nowMs: number): void {
    let m = this.devices.get(d.id);
    if (!m) this.devices.set(d.id, (m = { hot: false, hwHigh: false, points: [] }));
    const limit = this.thresholds.overTemperatureC;
    if (d.tempC !== null && d.tempC >= limit && !m.hot) {
      m.hot = true;
      this.emit({
        kind: 'over-temperature',
        key: `hot:${d.id}`,
        title: `${d.name} over temperature`,
        text: `${d.name} (${d.id}) is at ${d.tempC.toFixed(1)} °C (limit ${limit} °C)`,
        atMs: nowMs,
        urgent: true,
      });
    } else if (m.hot && (d.tempC === null || d.tempC < limit - TEMPERATURE_HYSTERESIS_C)) m.hot = false;

    // Counters can go back (a session reset): start the window again.
    const last = m.points[m.points.length - 1];
    if (last && (d.validNonces < last.valid || d.hwErrors < last.hw)) m.points.length = 0;
    m.points.push({ atMs: nowMs, valid: d.validNonces, hw: d.hwErrors });
    while (m.points.length > 2 && m.points[1]!.atMs <= nowMs - this.thresholds.hwErrorWindowMs) m.points.shift();
    const first = m.points[0]!;
    const hw = d.hwErrors - first.hw;
    const judged = hw + d.validNonces - first.valid;
    if (judged < this.thresholds.hwErrorMinNonces) return;
    const percent = (100 * hw) / judged;
    if (percent > this.thresholds.hwErrorPercent && !m.hwHigh) {
      m.hwHigh = true;
      this.emit({
        kind: 'hw-errors',
        key: `hw:${d.id}`,
        title: `${d.name}: hardware errors`,
        text: `${d.name} (${d.id}) has ${percent.toFixed(1)} % hardware errors over the last ${judged} nonces (threshold ${this.thresholds.hwErrorPercent} %)`,
        atMs: nowMs,
        urgent: false,
      });
    } else if (m.hwHigh && percent < this.thresholds.hwErrorPercent / 2) m.hwHigh = false;
  }
}

/** Engine started/stopped: said by the notifier itself. */
export function engineNotification(state: 'started' | 'stopped', detail: string, atMs = Date.now()): Notification {
  // The stop message is the last chance to say anything: it does not wait for the rate limit.
  return { kind: 'engine', key: `engine:${state}:${atMs}`, title: `HashDeck ${state}`, text: `HashDeck ${state}: ${detail}`, atMs, urgent: state === 'stopped' };
}

export function testNotification(atMs = Date.now()): Notification {
  return { kind: 'test', key: `test:${atMs}`, title: 'HashDeck test message', text: 'HashDeck test message: this channel works.', atMs, urgent: true };
}
