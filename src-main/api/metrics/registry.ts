/**
 * Prometheus metrics, rebuilt from `engine.snapshot()` on every scrape (prom-client collect
 * callbacks; no timers, nothing measured here). Two name sets (docs/features.md §(e)3):
 *  - `bitaxe_*` with the names and units of existing Bitaxe exporters (hashrate in GH/s, core
 *    voltage in mV, current in mA), so their dashboards work unchanged;
 *  - `hashdeck_*` in Prometheus base units (hashes per second, volts, amperes, seconds, hertz),
 *    including totals, pools and the network.
 * Per-board series carry the labels board, model, emulated. A sensor a board lacks is left out
 * (absent series) rather than reported as 0. Watched AxeOS devices get `hashdeck_axeos_*`
 * (axeos-metrics.ts).
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { BoardSnapshot, EngineApi, EngineSnapshot } from '@shared/contract';
import { publicUrl } from '../cgminer/pool-url.js';
import type { ApiRoute } from '../axeos/route.js';
import { registerAxeosMetrics } from './axeos-metrics.js';

type Labels = Record<string, string>;
interface Sample {
  labels: Labels;
  value: number;
}

const BOARD_LABELS = ['board', 'model', 'emulated'] as const;

function boardLabels(board: BoardSnapshot): Labels {
  return { board: board.id, model: board.model, emulated: String(board.emulated) };
}

/** One sample per board where `value` is known. */
function perBoard(snapshot: EngineSnapshot, value: (b: BoardSnapshot, s: EngineSnapshot) => number | null, extra: Labels = {}): Sample[] {
  const out: Sample[] = [];
  for (const b of snapshot.boards) {
    const v = value(b, snapshot);
    if (v !== null && Number.isFinite(v)) out.push({ labels: { ...boardLabels(b), ...extra }, value: v });
  }
  return out;
}

function one(value: number | null | undefined, labels: Labels = {}): Sample[] {
  return value === null || value === undefined || !Number.isFinite(value) ? [] : [{ labels, value }];
}

function activePool(snapshot: EngineSnapshot) {
  return snapshot.pools.find((p) => p.active) ?? null;
}

const WINDOWS = ['1m', '10m', '1h', '24h'] as const;

export interface MetricsOptions {
  /** Also export prom-client's process metrics (CPU, memory, event loop), prefixed hashdeck_. */
  processMetrics?: boolean;
}

export function createMetricsRegistry(engine: EngineApi, options: MetricsOptions = {}): Registry {
  const registry = new Registry();

  // One snapshot per scrape: prom-client starts every collect() in the same tick, so the cache
  // lives until the next macrotask.
  let cached: EngineSnapshot | null = null;
  const snap = (): EngineSnapshot => {
    if (cached === null) {
      cached = engine.snapshot();
      setImmediate(() => {
        cached = null;
      });
    }
    return cached;
  };

  const gauge = (name: string, help: string, labelNames: readonly string[], produce: (s: EngineSnapshot) => Sample[]): void => {
    new Gauge({
      name,
      help,
      labelNames: [...labelNames],
      registers: [registry],
      collect() {
        this.reset();
        for (const sample of produce(snap())) this.set(sample.labels, sample.value);
      },
    });
  };
  const counter = (name: string, help: string, labelNames: readonly string[], produce: (s: EngineSnapshot) => Sample[]): void => {
    new Counter({
      name,
      help,
      labelNames: [...labelNames],
      registers: [registry],
      collect() {
        this.reset();
        for (const sample of produce(snap())) this.inc(sample.labels, Math.max(0, sample.value));
      },
    });
  };

  // --- bitaxe_* (Bitaxe exporter names and units) ---
  const bestAllTime = (b: BoardSnapshot, s: EngineSnapshot): number => (s.boards.length === 1 ? Math.max(s.totals.bestDifficultyAllTime, b.counters.bestDifficulty) : b.counters.bestDifficulty);
  gauge('bitaxe_hashrate', 'Board hashrate in GH/s.', BOARD_LABELS, (s) => perBoard(s, (b) => b.hashrateHs / 1e9));
  gauge('bitaxe_expected_hashrate', 'Expected board hashrate in GH/s (frequency x small cores x chips).', BOARD_LABELS, (s) => perBoard(s, (b) => b.expectedHashrateHs / 1e9));
  gauge('bitaxe_best_difficulty', 'Best share difficulty (all time where the board is the only one, else this session).', BOARD_LABELS, (s) => perBoard(s, bestAllTime));
  gauge('bitaxe_best_session_difficulty', 'Best share difficulty this session.', BOARD_LABELS, (s) => perBoard(s, (b) => b.counters.bestDifficulty));
  gauge('bitaxe_error_percentage', 'Hardware errors as a percentage of checked nonces.', BOARD_LABELS, (s) =>
    perBoard(s, (b) => {
      const n = b.counters.validNonces + b.counters.hwErrors;
      return n > 0 ? (b.counters.hwErrors / n) * 100 : 0;
    }),
  );
  gauge('bitaxe_pool_difficulty', 'Difficulty set by the active pool.', BOARD_LABELS, (s) => perBoard(s, () => activePool(s)?.difficulty ?? null));
  gauge('bitaxe_network_difficulty', 'Bitcoin network difficulty.', BOARD_LABELS, (s) => perBoard(s, () => s.network?.difficulty ?? null));
  gauge('bitaxe_power_watts', 'Board power in watts.', BOARD_LABELS, (s) => perBoard(s, (b) => b.sensors.powerW));
  gauge('bitaxe_voltage_volts', 'Board input voltage in volts.', BOARD_LABELS, (s) => perBoard(s, (b) => b.sensors.inputVoltageV));
  gauge('bitaxe_current_milliamps', 'Board input current in milliamps.', BOARD_LABELS, (s) => perBoard(s, (b) => (b.sensors.currentA === null ? null : b.sensors.currentA * 1000)));
  gauge('bitaxe_temperature_celsius', 'ASIC temperature in degrees Celsius.', [...BOARD_LABELS, 'sensor'], (s) => perBoard(s, (b) => b.sensors.asicTempC, { sensor: 'asic' }));
  gauge('bitaxe_vr_temperature_celsius', 'Voltage regulator temperature in degrees Celsius.', BOARD_LABELS, (s) => perBoard(s, (b) => b.sensors.vrTempC));
  gauge('bitaxe_fan_rpm', 'Fan speed in RPM.', BOARD_LABELS, (s) => perBoard(s, (b) => b.sensors.fanRpm));
  gauge('bitaxe_fan_speed_percent', 'Fan duty in percent.', BOARD_LABELS, (s) => perBoard(s, (b) => b.sensors.fanPercent));
  gauge('bitaxe_frequency_mhz', 'ASIC clock in MHz.', BOARD_LABELS, (s) => perBoard(s, (b) => b.frequencyMhz));
  gauge('bitaxe_core_voltage_actual_mv', 'Measured ASIC core voltage in millivolts.', BOARD_LABELS, (s) =>
    perBoard(s, (b) => (b.sensors.coreVoltageV === null ? null : b.sensors.coreVoltageV * 1000)),
  );
  counter('bitaxe_shares_accepted_total', 'Shares accepted by the pool.', BOARD_LABELS, (s) => perBoard(s, (b) => b.counters.sharesAccepted));
  counter('bitaxe_shares_rejected_total', 'Shares rejected by the pool.', BOARD_LABELS, (s) => perBoard(s, (b) => b.counters.sharesRejected));
  gauge('bitaxe_uptime_seconds', 'Seconds since the board started.', BOARD_LABELS, (s) => perBoard(s, (b) => Math.max(0, (s.nowMs - b.startedAtMs) / 1000)));
  gauge('bitaxe_is_using_fallback_stratum', '1 while a backup pool is in use.', BOARD_LABELS, (s) => perBoard(s, () => ((activePool(s)?.priority ?? 0) > 0 ? 1 : 0)));
  gauge('bitaxe_response_time_ms', 'Share response time of the active pool in milliseconds.', BOARD_LABELS, (s) => perBoard(s, () => activePool(s)?.responseTimeMs ?? null));

  // --- hashdeck_* (base units) ---
  gauge('hashdeck_build_info', 'HashDeck version and work mode (value 1).', ['version', 'mode'], (s) => [{ labels: { version: s.version, mode: s.mode }, value: 1 }]);
  gauge('hashdeck_uptime_seconds', 'Seconds since the engine started.', [], (s) => one(Math.max(0, (s.nowMs - s.startedAtMs) / 1000)));
  gauge('hashdeck_hashrate_hashes_per_second', 'Engine hashrate since the first job (difficulty-weighted valid nonces x 2^32 / s).', [], (s) => one(s.totals.hashrateHs));
  gauge('hashdeck_hashrate_window_hashes_per_second', 'Engine hashrate estimate over a window; absent while the window has no data.', ['window'], (s) =>
    WINDOWS.flatMap((w) => one(s.totals.hashrate[w]?.valueHs, { window: w })),
  );
  gauge('hashdeck_expected_hashrate_hashes_per_second', 'Sum of the boards expected hashrates.', [], (s) => one(s.totals.expectedHashrateHs));
  gauge('hashdeck_best_difficulty', 'Best share difficulty: scope session or all_time (data directory).', ['scope'], (s) => [
    { labels: { scope: 'session' }, value: s.totals.bestDifficulty },
    { labels: { scope: 'all_time' }, value: s.totals.bestDifficultyAllTime },
  ]);
  gauge('hashdeck_power_watts', 'Total power of boards that report it, in watts.', [], (s) => one(s.totals.powerW));
  counter('hashdeck_blocks_found_total', 'Blocks found this session.', [], (s) => one(s.totals.blocksFound));

  gauge('hashdeck_board_hashrate_hashes_per_second', 'Board hashrate.', BOARD_LABELS, (s) => perBoard(s, (b) => b.hashrateHs));
  gauge('hashdeck_board_hashrate_window_hashes_per_second', 'Board hashrate estimate over a window; absent while the window has no data.', [...BOARD_LABELS, 'window'], (s) =>
    WINDOWS.flatMap((w) => perBoard(s, (b) => b.hashrate[w]?.valueHs ?? null, { window: w })),
  );
  gauge('hashdeck_board_expected_hashrate_hashes_per_second', 'Board expected hashrate.', BOARD_LABELS, (s) => perBoard(s, (b) => b.expectedHashrateHs));
  counter('hashdeck_board_nonces_total', 'Nonce responses read from the chips.', BOARD_LABELS, (s) => perBoard(s, (b) => b.counters.nonces));
  counter('hashdeck_board_valid_nonces_total', 'Nonces that re-hash under the ticket target.', BOARD_LABELS, (s) => perBoard(s, (b) => b.counters.validNonces));
  counter('hashdeck_board_hardware_errors_total', 'Nonces of a known job that fail the re-hash.', BOARD_LABELS, (s) => perBoard(s, (b) => b.counters.hwErrors));
  counter('hashdeck_board_shares_accepted_total', 'Shares accepted.', BOARD_LABELS, (s) => perBoard(s, (b) => b.counters.sharesAccepted));
  counter('hashdeck_board_shares_rejected_total', 'Shares rejected (not stale).', BOARD_LABELS, (s) => perBoard(s, (b) => b.counters.sharesRejected));
  counter('hashdeck_board_shares_stale_total', 'Shares for jobs that were gone.', BOARD_LABELS, (s) => perBoard(s, (b) => b.counters.sharesStale));
  counter('hashdeck_board_blocks_found_total', 'Blocks found.', BOARD_LABELS, (s) => perBoard(s, (b) => b.counters.blocksFound));
  counter('hashdeck_board_frames_bad_total', 'Serial frames dropped for CRC or framing errors.', BOARD_LABELS, (s) => perBoard(s, (b) => b.framesBad));
  gauge('hashdeck_board_best_difficulty', 'Best share difficulty this session.', BOARD_LABELS, (s) => perBoard(s, (b) => b.counters.bestDifficulty));
  gauge('hashdeck_board_chips', 'Chips found on the board.', BOARD_LABELS, (s) => perBoard(s, (b) => b.chipsFound));
  gauge('hashdeck_board_up', '1 while the board is hashing.', BOARD_LABELS, (s) => perBoard(s, (b) => (b.state === 'hashing' ? 1 : 0)));
  gauge('hashdeck_board_state', 'Board state (value 1 on the current state).', [...BOARD_LABELS, 'state'], (s) => s.boards.map((b) => ({ labels: { ...boardLabels(b), state: b.state }, value: 1 })));
  gauge('hashdeck_board_frequency_hertz', 'ASIC clock in hertz.', BOARD_LABELS, (s) => perBoard(s, (b) => b.frequencyMhz * 1e6));
  gauge('hashdeck_board_power_watts', 'Board power.', BOARD_LABELS, (s) => perBoard(s, (b) => b.sensors.powerW));
  gauge('hashdeck_board_input_voltage_volts', 'Board input voltage.', BOARD_LABELS, (s) => perBoard(s, (b) => b.sensors.inputVoltageV));
  gauge('hashdeck_board_current_amperes', 'Board input current.', BOARD_LABELS, (s) => perBoard(s, (b) => b.sensors.currentA));
  gauge('hashdeck_board_core_voltage_volts', 'Measured ASIC core voltage.', BOARD_LABELS, (s) => perBoard(s, (b) => b.sensors.coreVoltageV));
  gauge('hashdeck_board_temperature_celsius', 'Board temperatures by sensor (asic, vr).', [...BOARD_LABELS, 'sensor'], (s) => [
    ...perBoard(s, (b) => b.sensors.asicTempC, { sensor: 'asic' }),
    ...perBoard(s, (b) => b.sensors.vrTempC, { sensor: 'vr' }),
  ]);
  gauge('hashdeck_board_fan_rpm', 'Fan speed in RPM.', BOARD_LABELS, (s) => perBoard(s, (b) => b.sensors.fanRpm));

  const POOL_LABELS = ['pool', 'priority'] as const;
  const poolSamples = (s: EngineSnapshot, value: (p: EngineSnapshot['pools'][number]) => number | null): Sample[] =>
    s.pools.flatMap((p) => one(value(p), { pool: publicUrl(p.url), priority: String(p.priority) }));
  gauge('hashdeck_pool_active', '1 for the pool receiving shares.', POOL_LABELS, (s) => poolSamples(s, (p) => (p.active ? 1 : 0)));
  gauge('hashdeck_pool_up', '1 while the pool session is established.', POOL_LABELS, (s) => poolSamples(s, (p) => (p.state === 'active' ? 1 : 0)));
  gauge('hashdeck_pool_difficulty', 'Difficulty set by the pool.', POOL_LABELS, (s) => poolSamples(s, (p) => p.difficulty));
  counter('hashdeck_pool_shares_accepted_total', 'Shares the pool accepted.', POOL_LABELS, (s) => poolSamples(s, (p) => p.sharesAccepted));
  counter('hashdeck_pool_shares_rejected_total', 'Shares the pool rejected (not stale).', POOL_LABELS, (s) => poolSamples(s, (p) => p.sharesRejected));
  counter('hashdeck_pool_shares_stale_total', 'Stale shares.', POOL_LABELS, (s) => poolSamples(s, (p) => p.sharesStale));
  counter('hashdeck_pool_accepted_difficulty_total', 'Sum of the difficulty of accepted shares.', POOL_LABELS, (s) => poolSamples(s, (p) => p.acceptedDifficulty));
  counter('hashdeck_pool_shares_rejected_reason_total', 'Rejected shares by the pool reason text.', [...POOL_LABELS, 'reason'], (s) =>
    s.pools.flatMap((p) => Object.entries(p.rejectReasons).map(([reason, count]) => ({ labels: { pool: publicUrl(p.url), priority: String(p.priority), reason }, value: count }))),
  );
  gauge('hashdeck_pool_response_time_seconds', 'Share response time.', POOL_LABELS, (s) => poolSamples(s, (p) => (p.responseTimeMs === null ? null : p.responseTimeMs / 1000)));

  // Network miners that mine through the Stratum server (--serve-stratum), one series per worker.
  const minerSamples = (s: EngineSnapshot, value: (m: EngineSnapshot['networkMiners'][number]) => number | null, extra: Labels = {}): Sample[] =>
    s.networkMiners.flatMap((m) => one(value(m), { worker: m.worker, ...extra }));
  gauge('hashdeck_stratum_server_connections', 'Open connections to the Stratum server.', [], (s) => one(s.stratumServer?.connections));
  gauge('hashdeck_network_miner_connections', 'Open connections of a network miner.', ['worker'], (s) => minerSamples(s, (m) => m.connections));
  gauge('hashdeck_network_miner_hashrate_hashes_per_second', 'Network miner hashrate from its accepted shares since first seen.', ['worker'], (s) => minerSamples(s, (m) => m.hashrateHs));
  gauge('hashdeck_network_miner_hashrate_window_hashes_per_second', 'Network miner hashrate estimate over a window; absent while the window has no data.', ['worker', 'window'], (s) =>
    WINDOWS.flatMap((w) => minerSamples(s, (m) => m.hashrate[w]?.valueHs ?? null, { window: w })),
  );
  gauge('hashdeck_network_miner_difficulty', 'Share difficulty the server asks of the network miner (vardiff).', ['worker'], (s) => minerSamples(s, (m) => m.difficulty));
  counter('hashdeck_network_miner_shares_accepted_total', 'Network miner shares the server accepted.', ['worker'], (s) => minerSamples(s, (m) => m.sharesAccepted));
  counter('hashdeck_network_miner_shares_rejected_total', 'Network miner shares the server refused.', ['worker'], (s) => minerSamples(s, (m) => m.sharesRejected));
  counter('hashdeck_network_miner_shares_rejected_reason_total', 'Network miner shares refused, by reason.', ['worker', 'reason'], (s) =>
    s.networkMiners.flatMap((m) => Object.entries(m.rejectReasons).map(([reason, count]) => ({ labels: { worker: m.worker, reason }, value: count }))),
  );
  gauge('hashdeck_network_miner_best_difficulty', 'Network miner best share difficulty: scope session or all_time.', ['worker', 'scope'], (s) => [
    ...minerSamples(s, (m) => m.bestDifficulty, { scope: 'session' }),
    ...minerSamples(s, (m) => m.bestDifficultyAllTime, { scope: 'all_time' }),
  ]);
  counter('hashdeck_network_miner_blocks_found_total', 'Blocks found by the network miner.', ['worker'], (s) => minerSamples(s, (m) => m.blocksFound));
  gauge('hashdeck_network_miner_last_seen_seconds', 'When the network miner was last heard from (Unix time).', ['worker'], (s) => minerSamples(s, (m) => m.lastSeenAtMs / 1000));

  gauge('hashdeck_network_difficulty', 'Bitcoin network difficulty.', [], (s) => one(s.network?.difficulty));
  gauge('hashdeck_network_height', 'Current block height.', [], (s) => one(s.network?.height));
  gauge('hashdeck_network_hashrate_hashes_per_second', 'Estimated network hashrate.', [], (s) => one(s.network?.hashrateHs));

  registerAxeosMetrics(gauge, counter);

  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'hashdeck_' });
  return registry;
}

/** `GET /metrics` in the Prometheus text exposition format. */
export function metricsRoute(engine: EngineApi, options: MetricsOptions = {}): ApiRoute {
  const registry = createMetricsRegistry(engine, options);
  return {
    method: 'GET',
    path: '/metrics',
    async handler(_req, res) {
      try {
        const body = await registry.metrics();
        res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
        res.end(body);
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`metrics unavailable: ${(err as Error).message}\n`);
      }
    },
  };
}
