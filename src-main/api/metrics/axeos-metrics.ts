/**
 * Prometheus series for the AxeOS devices HashDeck watches (docs/axeos.md), in base units under
 * `hashdeck_axeos_*`, one series per device labelled device (its id), hostname and model. A
 * figure a device does not report is left out, as for the boards; `up` is always there.
 */
import type { AxeosDeviceSnapshot, EngineSnapshot } from '@shared/contract';

interface Sample {
  labels: Record<string, string>;
  value: number;
}
type Register = (name: string, help: string, labelNames: readonly string[], produce: (s: EngineSnapshot) => Sample[]) => void;

const LABELS = ['device', 'hostname', 'model'] as const;

function perDevice(s: EngineSnapshot, value: (d: AxeosDeviceSnapshot) => number | null, extra: Record<string, string> = {}): Sample[] {
  const out: Sample[] = [];
  for (const d of s.axeosDevices) {
    const v = value(d);
    if (v !== null && Number.isFinite(v)) out.push({ labels: { device: d.id, hostname: d.hostname ?? '', model: d.asicModel ?? '', ...extra }, value: v });
  }
  return out;
}

export function registerAxeosMetrics(gauge: Register, counter: Register): void {
  gauge('hashdeck_axeos_up', '1 while the AxeOS device answers its API.', LABELS, (s) => perDevice(s, (d) => (d.state === 'online' ? 1 : 0)));
  gauge('hashdeck_axeos_hashrate_hashes_per_second', 'Hashrate the AxeOS device reports.', LABELS, (s) => perDevice(s, (d) => d.hashrateHs));
  gauge('hashdeck_axeos_expected_hashrate_hashes_per_second', 'Expected hashrate the AxeOS device reports.', LABELS, (s) => perDevice(s, (d) => d.expectedHashrateHs));
  gauge('hashdeck_axeos_power_watts', 'Power the AxeOS device reports.', LABELS, (s) => perDevice(s, (d) => d.powerW));
  gauge('hashdeck_axeos_efficiency_joules_per_terahash', 'Power over hashrate of the AxeOS device.', LABELS, (s) => perDevice(s, (d) => d.efficiencyJPerTh));
  gauge('hashdeck_axeos_temperature_celsius', 'AxeOS device temperatures by sensor (asic, vr).', [...LABELS, 'sensor'], (s) => [
    ...perDevice(s, (d) => d.asicTempC, { sensor: 'asic' }),
    ...perDevice(s, (d) => d.vrTempC, { sensor: 'vr' }),
  ]);
  gauge('hashdeck_axeos_fan_rpm', 'Fan speed of the AxeOS device in RPM.', LABELS, (s) => perDevice(s, (d) => d.fanRpm));
  gauge('hashdeck_axeos_fan_speed_percent', 'Fan duty of the AxeOS device in percent.', LABELS, (s) => perDevice(s, (d) => d.fanPercent));
  gauge('hashdeck_axeos_best_difficulty', 'Best share difficulty the AxeOS device reports: scope session or all_time.', [...LABELS, 'scope'], (s) => [
    ...perDevice(s, (d) => d.bestDifficulty, { scope: 'session' }),
    ...perDevice(s, (d) => d.bestDifficultyAllTime, { scope: 'all_time' }),
  ]);
  gauge('hashdeck_axeos_uptime_seconds', 'Seconds since the AxeOS device started.', LABELS, (s) => perDevice(s, (d) => d.uptimeS));
  counter('hashdeck_axeos_shares_accepted_total', 'Shares accepted by the AxeOS device pool (since the device started).', LABELS, (s) => perDevice(s, (d) => d.sharesAccepted));
  counter('hashdeck_axeos_shares_rejected_total', 'Shares rejected by the AxeOS device pool (since the device started).', LABELS, (s) => perDevice(s, (d) => d.sharesRejected));
  gauge('hashdeck_axeos_mining_here', '1 when the AxeOS device mines to this HashDeck Stratum server; absent when HashDeck serves none.', LABELS, (s) =>
    perDevice(s, (d) => (d.miningHere === null ? null : d.miningHere ? 1 : 0)),
  );
}
