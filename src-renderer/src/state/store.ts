/**
 * The renderer's one store: latest snapshot, a bounded tail of events and logs, a short live
 * series for the dashboard chart, and the block-found banner. Pure reducers (applyMessage) are
 * exported for tests; the transport is attached once by connectStore().
 */
import { createStore, useStore } from 'zustand';
import type { EngineCommand, EngineEvent, EngineMessage, EngineSnapshot } from '@shared/contract';
import type { ConnectionState, Transport, TransportHandlers } from './transport.js';
import { useDiagnosticsStore } from '../pages/diagnostics/diagnostics-store.js';
import { applyDiagnosticsEvent } from './diagnostics-bridge.js';
import { useTuningStore } from '../pages/tuning/tuning-store.js';

export type LogEntry = Extract<EngineEvent, { type: 'log' }>;
export type BlockEvent = Extract<EngineEvent, { type: 'block' }>;

export const MAX_EVENTS = 500;
export const MAX_LOGS = 2000;
/** Live chart: one point per snapshot (≈1 s), 15 minutes. */
export const MAX_LIVE_POINTS = 900;

export interface LivePoint {
  timeS: number;
  hashrateHs: number;
  powerW: number | null;
  /** Hottest ASIC across boards. */
  asicTempC: number | null;
}

export interface EngineState {
  connection: ConnectionState;
  connectionDetail: string | null;
  engineVersion: string | null;
  /** Whether the engine takes write commands from here (null until told: the desktop window may). */
  writes: boolean | null;
  snapshot: EngineSnapshot | null;
  events: EngineEvent[];
  logs: LogEntry[];
  live: LivePoint[];
  blockBanner: BlockEvent | null;
  invalidMessages: number;
  lastInvalid: string | null;
}

export const initialState: EngineState = {
  connection: 'connecting',
  connectionDetail: null,
  engineVersion: null,
  writes: null,
  snapshot: null,
  events: [],
  logs: [],
  live: [],
  blockBanner: null,
  invalidMessages: 0,
  lastInvalid: null,
};

function pushBounded<T>(list: T[], items: T[], max: number): T[] {
  const next = list.concat(items);
  return next.length > max ? next.slice(next.length - max) : next;
}

export function livePointOf(s: EngineSnapshot): LivePoint {
  let maxTemp: number | null = null;
  for (const b of s.boards) {
    const t = b.sensors.asicTempC;
    if (t !== null && (maxTemp === null || t > maxTemp)) maxTemp = t;
  }
  return { timeS: s.nowMs / 1000, hashrateHs: s.totals.hashrateHs, powerW: s.totals.powerW, asicTempC: maxTemp };
}

/** Pure state transition for one engine message. */
export function applyMessage(state: EngineState, msg: EngineMessage): Partial<EngineState> {
  switch (msg.kind) {
    case 'ready':
      return { engineVersion: msg.version, writes: msg.writes ?? null };
    case 'snapshot': {
      const point = livePointOf(msg.snapshot);
      const last = state.live[state.live.length - 1];
      // A repeated snapshot (same engine clock) does not add a chart point.
      const live = last && last.timeS >= point.timeS ? state.live : pushBounded(state.live, [point], MAX_LIVE_POINTS);
      return { snapshot: msg.snapshot, live };
    }
    case 'event': {
      const e = msg.event;
      const patch: Partial<EngineState> = {};
      // Nonce events are sampled by the server and only feed the activity ticker. Board-test
      // progress (several a second) goes to the Diagnostics page's own store instead.
      if (e.type === 'diagnostics' || e.type === 'tune') return patch;
      if (e.type !== 'log') patch.events = pushBounded(state.events, [e], MAX_EVENTS);
      if (e.type === 'log') patch.logs = pushBounded(state.logs, [e], MAX_LOGS);
      if (e.type === 'block' && e.accepted) patch.blockBanner = e;
      return patch;
    }
    case 'reply':
      return {};
  }
}

export function mergeBackfilledLogs(current: LogEntry[], older: LogEntry[]): LogEntry[] {
  const seen = new Set(current.map((l) => `${l.atMs}|${l.scope}|${l.text}`));
  const merged = older.filter((l) => !seen.has(`${l.atMs}|${l.scope}|${l.text}`)).concat(current);
  merged.sort((a, b) => a.atMs - b.atMs);
  return merged.length > MAX_LOGS ? merged.slice(merged.length - MAX_LOGS) : merged;
}

export interface EngineActions {
  /** Send a command; `timeoutMs` for the long ones (a board test answers when it ends). */
  request(command: EngineCommand, timeoutMs?: number): Promise<unknown>;
  dismissBlockBanner(): void;
  backfillLogs(entries: LogEntry[]): void;
}

export type EngineStore = EngineState & EngineActions;

let transport: Transport | null = null;

export const engineStore = createStore<EngineStore>()((set) => ({
  ...initialState,
  request(command, timeoutMs) {
    if (!transport) return Promise.reject(new Error('not connected to the engine'));
    return transport.request(command, timeoutMs);
  },
  dismissBlockBanner() {
    set({ blockBanner: null });
  },
  backfillLogs(entries) {
    set((s) => ({ logs: mergeBackfilledLogs(s.logs, entries) }));
  },
}));

export function useEngine<T>(selector: (s: EngineStore) => T): T {
  return useStore(engineStore, selector);
}

/** Write controls (pause, tuning, schedule, settings by hand) are shown only where the engine takes them. */
export function useCanWrite(): boolean {
  return useEngine((s) => s.writes !== false);
}

export function connectStore(create: (h: TransportHandlers) => Transport): () => void {
  transport = create({
    onMessage: (msg) => {
      if (msg.kind === 'event' && msg.event.type === 'diagnostics') applyDiagnosticsEvent(useDiagnosticsStore.getState(), msg.event);
      if (msg.kind === 'event' && msg.event.type === 'tune') useTuningStore.getState().apply(msg.event.boardId, msg.event.progress);
      engineStore.setState((s) => applyMessage(s, msg));
    },
    onState: (connection, detail) => engineStore.setState({ connection, connectionDetail: detail ?? null }),
    onInvalid: (reason) => engineStore.setState((s) => ({ invalidMessages: s.invalidMessages + 1, lastInvalid: reason })),
  });
  return () => {
    transport?.close();
    transport = null;
  };
}
