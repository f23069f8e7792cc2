/**
 * What MQTT publishes about each device: the whole rig, every board and (once the engine serves
 * them) every network miner, as one flat JSON object per device, built from the snapshot. The
 * hashrate is the 10-minute estimate (1 minute while warming up) with its 95 % interval and says
 * which window it is. StateThrottle publishes a device when its state changed, at most every
 * `minIntervalMs`.
 */
import type { EngineSnapshot, HashrateWindows } from '@shared/contract';
import { efficiencyJPerTh } from '@shared/format.js';

export interface DeviceState {
  state: string;
  hashrate_ghs: number | null;
  hashrate_low_ghs: number | null;
  hashrate_high_ghs: number | null;
  /** '10m', '1m', … or null while no estimate exists. */
  hashrate_window: string | null;
  power_w: number | null;
  efficiency_j_th: number | null;
  asic_temp_c: number | null;
  vr_temp_c: number | null;
  fan_rpm: number | null;
  best_difficulty: number;
  shares_accepted: number;
  shares_rejected: number;
  blocks_found: number;
}

export type DeviceKind = 'rig' | 'board' | 'miner';

export interface DeviceReport {
  /** Topic-safe id: 'rig', a board id, or miner_<worker>. */
  id: string;
  kind: DeviceKind;
  name: string;
  model: string;
  state: DeviceState & { best_difficulty_all_time?: number };
}

/** The rig's own id in topics and unique ids. */
export const RIG_ID = 'rig';

export function topicSafe(text: string): string {
  return text.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || '_';
}

function round(x: number | null, digits: number): number | null {
  if (x === null || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function hashrateFields(w: HashrateWindows): Pick<DeviceState, 'hashrate_ghs' | 'hashrate_low_ghs' | 'hashrate_high_ghs' | 'hashrate_window'> {
  for (const name of ['10m', '1m', '1h', '24h'] as const) {
    const e = w[name];
    if (e) return { hashrate_ghs: round(e.valueHs / 1e9, 3), hashrate_low_ghs: round(e.lowHs / 1e9, 3), hashrate_high_ghs: round(e.highHs / 1e9, 3), hashrate_window: name };
  }
  return { hashrate_ghs: null, hashrate_low_ghs: null, hashrate_high_ghs: null, hashrate_window: null };
}

/** Network miners as the stratum server will put them in the snapshot (DESIGN: networkMiners). */
interface NetworkMinerLike {
  worker: string;
  hashrateHs?: number;
  sharesAccepted?: number;
  sharesRejected?: number;
  bestDifficulty?: number;
  blocksFound?: number;
  state?: string;
}

function networkMiners(s: EngineSnapshot): NetworkMinerLike[] {
  const list = (s as { networkMiners?: unknown }).networkMiners;
  if (!Array.isArray(list)) return [];
  return list.filter((m): m is NetworkMinerLike => typeof m === 'object' && m !== null && typeof (m as { worker?: unknown }).worker === 'string');
}

/** Every device of the snapshot, the rig first. */
export function deviceReports(s: EngineSnapshot): DeviceReport[] {
  const t = s.totals;
  const rigHashrate = hashrateFields(t.hashrate);
  const anyHashing = s.boards.some((b) => b.state === 'hashing');
  const temps = s.boards.map((b) => b.sensors.asicTempC).filter((x): x is number => x !== null);
  const vrTemps = s.boards.map((b) => b.sensors.vrTempC).filter((x): x is number => x !== null);
  const reports: DeviceReport[] = [
    {
      id: RIG_ID,
      kind: 'rig',
      name: 'HashDeck rig',
      model: `HashDeck ${s.version}`,
      state: {
        state: anyHashing ? 'hashing' : s.boards.length === 0 ? 'idle' : (s.boards[0]?.state ?? 'idle'),
        ...rigHashrate,
        power_w: round(t.powerW, 2),
        efficiency_j_th: round(efficiencyJPerTh(t.powerW, rigHashrate.hashrate_ghs === null ? null : rigHashrate.hashrate_ghs * 1e9), 2),
        asic_temp_c: temps.length ? round(Math.max(...temps), 1) : null,
        vr_temp_c: vrTemps.length ? round(Math.max(...vrTemps), 1) : null,
        fan_rpm: null,
        best_difficulty: t.bestDifficulty,
        best_difficulty_all_time: t.bestDifficultyAllTime,
        shares_accepted: t.sharesAccepted,
        shares_rejected: t.sharesRejected,
        blocks_found: t.blocksFound,
      },
    },
  ];
  for (const b of s.boards) {
    const h = hashrateFields(b.hashrate);
    reports.push({
      id: topicSafe(b.id),
      kind: 'board',
      name: b.name,
      model: `${b.model.toUpperCase()}${b.emulated ? ' (emulated)' : ''}`,
      state: {
        state: b.state,
        ...h,
        power_w: round(b.sensors.powerW, 2),
        efficiency_j_th: round(efficiencyJPerTh(b.sensors.powerW, h.hashrate_ghs === null ? null : h.hashrate_ghs * 1e9), 2),
        asic_temp_c: round(b.sensors.asicTempC, 1),
        vr_temp_c: round(b.sensors.vrTempC, 1),
        fan_rpm: round(b.sensors.fanRpm, 0),
        best_difficulty: b.counters.bestDifficulty,
        shares_accepted: b.counters.sharesAccepted,
        shares_rejected: b.counters.sharesRejected,
        blocks_found: b.counters.blocksFound,
      },
    });
  }
  for (const m of networkMiners(s)) {
    reports.push({
      id: `miner_${topicSafe(m.worker)}`,
      kind: 'miner',
      name: m.worker,
      model: 'network miner',
      state: {
        state: m.state ?? 'connected',
        hashrate_ghs: m.hashrateHs === undefined ? null : round(m.hashrateHs / 1e9, 3),
        hashrate_low_ghs: null,
        hashrate_high_ghs: null,
        hashrate_window: null,
        power_w: null,
        efficiency_j_th: null,
        asic_temp_c: null,
        vr_temp_c: null,
        fan_rpm: null,
        best_difficulty: m.bestDifficulty ?? 0,
        shares_accepted: m.sharesAccepted ?? 0,
        shares_rejected: m.sharesRejected ?? 0,
        blocks_found: m.blocksFound ?? 0,
      },
    });
  }
  return reports;
}

/** Publish a device when its state changed, and then at most every minIntervalMs. */
export class StateThrottle {
  private readonly last = new Map<string, { payload: string; atMs: number }>();

  constructor(private readonly minIntervalMs: number) {}

  /** The payload to publish now for this device, or null (unchanged, or too soon). */
  due(id: string, state: object, nowMs: number): string | null {
    const payload = JSON.stringify(state);
    const prev = this.last.get(id);
    if (prev && (prev.payload === payload || nowMs - prev.atMs < this.minIntervalMs)) return null;
    this.last.set(id, { payload, atMs: nowMs });
    return payload;
  }

  /** After a reconnect every device is published again. */
  forget(): void {
    this.last.clear();
  }
}
