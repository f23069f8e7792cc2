/**
 * Home Assistant MQTT discovery (docs/integrations.md §2.2): one retained config per entity at
 * `homeassistant/<component>/<node_id>/<object_id>/config`, each with a unique_id, the device's
 * state topic and a value template into its JSON state, the availability topic, and a device block
 * that groups the entities (boards and network miners point at the rig with via_device). Buttons
 * (pause, resume, restart) are offered only when writes are allowed; otherwise their configs are
 * cleared with an empty retained payload so that Home Assistant removes them.
 */
import type { DeviceKind, DeviceReport } from './state.js';

export const DISCOVERY_PREFIX = 'homeassistant';

export interface MqttTopics {
  /** hashdeck/<node_id> */
  base: string;
  /** hashdeck/<node_id>/status: "online" / "offline" (the last will), retained. */
  availability: string;
  state(deviceId: string): string;
  command(deviceId: string): string;
  commandResult(deviceId: string): string;
  /** hashdeck/<node_id>/+/command */
  commandFilter: string;
}

export function mqttTopics(nodeId: string): MqttTopics {
  const base = `hashdeck/${nodeId}`;
  return {
    base,
    availability: `${base}/status`,
    state: (id) => `${base}/${id}/state`,
    command: (id) => `${base}/${id}/command`,
    commandResult: (id) => `${base}/${id}/command/result`,
    commandFilter: `${base}/+/command`,
  };
}

interface SensorSpec {
  field: string;
  name: string;
  unit?: string;
  deviceClass?: string;
  stateClass?: 'measurement' | 'total_increasing';
  icon?: string;
  /** Only on these kinds of device. */
  kinds?: DeviceKind[];
}

export const SENSORS: readonly SensorSpec[] = [
  { field: 'state', name: 'State', icon: 'mdi:state-machine' },
  { field: 'hashrate_ghs', name: 'Hashrate', unit: 'GH/s', stateClass: 'measurement', icon: 'mdi:pickaxe' },
  { field: 'hashrate_low_ghs', name: 'Hashrate low (95 %)', unit: 'GH/s', stateClass: 'measurement', icon: 'mdi:pickaxe', kinds: ['rig', 'board'] },
  { field: 'hashrate_high_ghs', name: 'Hashrate high (95 %)', unit: 'GH/s', stateClass: 'measurement', icon: 'mdi:pickaxe', kinds: ['rig', 'board'] },
  { field: 'hashrate_window', name: 'Hashrate window', icon: 'mdi:timer-outline', kinds: ['rig', 'board'] },
  { field: 'power_w', name: 'Power', unit: 'W', deviceClass: 'power', stateClass: 'measurement', kinds: ['rig', 'board'] },
  { field: 'efficiency_j_th', name: 'Efficiency', unit: 'J/TH', stateClass: 'measurement', icon: 'mdi:flash', kinds: ['rig', 'board'] },
  { field: 'asic_temp_c', name: 'ASIC temperature', unit: '°C', deviceClass: 'temperature', stateClass: 'measurement', kinds: ['rig', 'board'] },
  { field: 'vr_temp_c', name: 'VR temperature', unit: '°C', deviceClass: 'temperature', stateClass: 'measurement', kinds: ['rig', 'board'] },
  { field: 'fan_rpm', name: 'Fan', unit: 'rpm', stateClass: 'measurement', icon: 'mdi:fan', kinds: ['board'] },
  { field: 'best_difficulty', name: 'Best difficulty', stateClass: 'measurement', icon: 'mdi:trophy' },
  { field: 'best_difficulty_all_time', name: 'Best difficulty (all time)', stateClass: 'measurement', icon: 'mdi:trophy', kinds: ['rig'] },
  { field: 'shares_accepted', name: 'Shares accepted', stateClass: 'total_increasing', icon: 'mdi:check' },
  { field: 'shares_rejected', name: 'Shares rejected', stateClass: 'total_increasing', icon: 'mdi:close' },
  { field: 'blocks_found', name: 'Blocks found', stateClass: 'total_increasing', icon: 'mdi:cube-outline' },
];

/** What a button sends on the command topic. */
export const BUTTONS = [
  { action: 'pause', name: 'Pause', icon: 'mdi:pause' },
  { action: 'resume', name: 'Resume', icon: 'mdi:play' },
  { action: 'restart', name: 'Restart', icon: 'mdi:restart' },
] as const;

export interface DiscoveryMessage {
  topic: string;
  /** JSON config, or '' to remove the entity. */
  payload: string;
}

function deviceBlock(nodeId: string, d: DeviceReport, version: string): Record<string, unknown> {
  const rigIdentifier = `hashdeck_${nodeId}`;
  return {
    identifiers: [d.kind === 'rig' ? rigIdentifier : `${rigIdentifier}_${d.id}`],
    name: d.kind === 'rig' ? `HashDeck ${nodeId}` : `${d.name} (${nodeId})`,
    manufacturer: 'HashDeck',
    model: d.model,
    sw_version: version,
    ...(d.kind === 'rig' ? {} : { via_device: rigIdentifier }),
  };
}

/** Every discovery config of one device (sensors, and buttons when commands are accepted). */
export function discoveryMessages(nodeId: string, d: DeviceReport, opts: { version: string; commands: boolean }): DiscoveryMessage[] {
  const topics = mqttTopics(nodeId);
  const device = deviceBlock(nodeId, d, opts.version);
  const availability = { availability_topic: topics.availability, payload_available: 'online', payload_not_available: 'offline' };
  const out: DiscoveryMessage[] = [];
  for (const s of SENSORS) {
    if (s.kinds && !s.kinds.includes(d.kind)) continue;
    const objectId = `${d.id}_${s.field}`;
    const config = {
      name: s.name,
      unique_id: `hashdeck_${nodeId}_${objectId}`,
      state_topic: topics.state(d.id),
      value_template: `{{ value_json.${s.field} }}`,
      ...(s.unit ? { unit_of_measurement: s.unit } : {}),
      ...(s.deviceClass ? { device_class: s.deviceClass } : {}),
      ...(s.stateClass ? { state_class: s.stateClass } : {}),
      ...(s.icon ? { icon: s.icon } : {}),
      ...availability,
      device,
    };
    out.push({ topic: `${DISCOVERY_PREFIX}/sensor/${nodeId}/${objectId}/config`, payload: JSON.stringify(config) });
  }
  if (d.kind === 'board') {
    for (const b of BUTTONS) {
      const objectId = `${d.id}_${b.action}`;
      const config = { name: b.name, unique_id: `hashdeck_${nodeId}_${objectId}`, command_topic: topics.command(d.id), payload_press: b.action, icon: b.icon, ...availability, device };
      out.push({ topic: `${DISCOVERY_PREFIX}/button/${nodeId}/${objectId}/config`, payload: opts.commands ? JSON.stringify(config) : '' });
    }
  }
  return out;
}
