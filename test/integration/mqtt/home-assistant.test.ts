/**
 * MQTT against a REAL broker (mosquitto on a free loopback port, started and stopped here): the
 * bridge's Home Assistant discovery configs arrive retained, the availability topic says "online"
 * (retained) and the broker publishes the last will "offline" when the connection is cut; state is
 * published per device (not retained); a command is refused without write access and carried out
 * with it. The engine is the test double of the browser tests (test/e2e/fake-engine.ts); the broker
 * and the MQTT client library are real. The captured session is written to
 * test-artifacts/mqtt-session.txt for a human look.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttBridge } from '../../../src-main/mqtt/bridge.js';
import { createFakeEngine, fakeSnapshot, type FakeEngine } from '../../e2e/fake-engine.js';
import { REPO_ROOT } from '../../e2e/browser.js';
import { Mosquitto, mosquittoPath } from '../../fixtures/mosquitto.js';
import { waitUntil } from '../../fixtures/notify/receiver.js';

interface Seen {
  topic: string;
  payload: string;
  retain: boolean;
}

const NODE = 'hashdeck_test';
let broker: Mosquitto;
let engine: FakeEngine;
let bridge: MqttBridge;
let observer: MqttClient;
const seen: Seen[] = [];
const logs: string[] = [];

async function observe(url: string, into: Seen[]): Promise<MqttClient> {
  const c = await mqtt.connectAsync(url, { clientId: `observer_${Math.random().toString(16).slice(2, 8)}`, reconnectPeriod: 0 });
  c.on('message', (topic, payload, packet) => into.push({ topic, payload: payload.toString('utf8'), retain: packet.retain }));
  await c.subscribeAsync(['homeassistant/#', 'hashdeck/#'], { qos: 1 });
  return c;
}

const lastOn = (list: Seen[], topic: string): Seen | undefined => list.filter((m) => m.topic === topic).at(-1);

describe.skipIf(!mosquittoPath())('MQTT with Home Assistant discovery (real mosquitto)', () => {
  beforeAll(async () => {
    broker = await new Mosquitto().start();
    observer = await observe(broker.url, seen);
    engine = createFakeEngine(fakeSnapshot(2));
    bridge = new MqttBridge({ url: broker.url.replace('mqtt://', 'mqtt://hashdeck:s3cret-pass@'), nodeId: NODE, allowWrites: false, minIntervalMs: 200, reconnectMs: 200 }, (level, text) =>
      logs.push(`${level}: ${text}`),
    );
    bridge.attach(engine);
    await waitUntil(() => lastOn(seen, `hashdeck/${NODE}/status`)?.payload === 'online', 10_000, 'online');
    // The engine publishes snapshots about once a second; two are enough to see state.
    engine.setSnapshot(fakeSnapshot(2));
  }, 30_000);

  afterAll(async () => {
    await bridge?.stop();
    await observer?.endAsync();
    await broker?.stop();
    mkdirSync(join(REPO_ROOT, 'test-artifacts'), { recursive: true });
    const lines = seen.map((m) => `${m.retain ? 'R' : '-'} ${m.topic}  ${m.payload}`);
    writeFileSync(join(REPO_ROOT, 'test-artifacts', 'mqtt-session.txt'), `${lines.join('\n')}\n`);
  });

  it('discovery configs: one per entity, with unique_id, state topic, availability and device grouping', async () => {
    await waitUntil(() => seen.some((m) => m.topic === `homeassistant/sensor/${NODE}/board-1_asic_temp_c/config`), 5_000, 'board discovery');
    const rigHashrate = JSON.parse(lastOn(seen, `homeassistant/sensor/${NODE}/rig_hashrate_ghs/config`)!.payload) as Record<string, unknown>;
    expect(rigHashrate).toMatchObject({
      unique_id: `hashdeck_${NODE}_rig_hashrate_ghs`,
      state_topic: `hashdeck/${NODE}/rig/state`,
      value_template: '{{ value_json.hashrate_ghs }}',
      unit_of_measurement: 'GH/s',
      availability_topic: `hashdeck/${NODE}/status`,
      payload_available: 'online',
      payload_not_available: 'offline',
      device: { identifiers: [`hashdeck_${NODE}`], manufacturer: 'HashDeck' },
    });
    const boardTemp = JSON.parse(lastOn(seen, `homeassistant/sensor/${NODE}/board-1_asic_temp_c/config`)!.payload) as { device: { identifiers: string[]; via_device: string }; device_class: string };
    expect(boardTemp.device_class).toBe('temperature');
    expect(boardTemp.device.identifiers).toEqual([`hashdeck_${NODE}_board-1`]);
    expect(boardTemp.device.via_device).toBe(`hashdeck_${NODE}`);
    // Without write access the buttons are removed (empty retained config), never offered.
    const restart = lastOn(seen, `homeassistant/button/${NODE}/board-0_restart/config`);
    expect(restart?.payload).toBe('');
  });

  it('a late subscriber gets discovery and "online" as RETAINED messages; state is not retained', async () => {
    const late: Seen[] = [];
    const c = await observe(broker.url, late);
    await waitUntil(() => late.some((m) => m.topic === `hashdeck/${NODE}/status`) && late.filter((m) => m.topic.startsWith('homeassistant/sensor/')).length >= 10, 5_000, 'retained messages');
    await c.endAsync();
    expect(lastOn(late, `hashdeck/${NODE}/status`)).toEqual({ topic: `hashdeck/${NODE}/status`, payload: 'online', retain: true });
    const configs = late.filter((m) => m.topic.startsWith('homeassistant/sensor/'));
    expect(configs.every((m) => m.retain)).toBe(true);
    expect(configs.map((m) => m.topic)).toContain(`homeassistant/sensor/${NODE}/rig_blocks_found/config`);
    // State is live data: a broker must not hand an old reading to a new subscriber.
    expect(late.some((m) => m.topic.endsWith('/state'))).toBe(false);
    expect(seen.filter((m) => m.topic.endsWith('/state')).every((m) => !m.retain)).toBe(true);
  });

  it('state per device: the rig and each board, with hashrate, its window and interval, power, J/TH, temperatures', async () => {
    await waitUntil(() => !!lastOn(seen, `hashdeck/${NODE}/board-0/state`) && !!lastOn(seen, `hashdeck/${NODE}/rig/state`), 5_000, 'state');
    const s = engine.snapshot();
    const b0 = s.boards[0]!;
    const state = JSON.parse(lastOn(seen, `hashdeck/${NODE}/board-0/state`)!.payload) as Record<string, unknown>;
    expect(state).toMatchObject({
      state: b0.state,
      hashrate_window: '10m',
      hashrate_ghs: Math.round((b0.hashrate['10m']!.valueHs / 1e9) * 1000) / 1000,
      hashrate_low_ghs: Math.round((b0.hashrate['10m']!.lowHs / 1e9) * 1000) / 1000,
      power_w: b0.sensors.powerW,
      asic_temp_c: b0.sensors.asicTempC,
      fan_rpm: b0.sensors.fanRpm,
      shares_accepted: b0.counters.sharesAccepted,
      best_difficulty: b0.counters.bestDifficulty,
    });
    expect(state['efficiency_j_th']).toBeCloseTo(b0.sensors.powerW! / ((state['hashrate_ghs'] as number) / 1000), 1);
    const rig = JSON.parse(lastOn(seen, `hashdeck/${NODE}/rig/state`)!.payload) as Record<string, unknown>;
    expect(rig['best_difficulty_all_time']).toBe(s.totals.bestDifficultyAllTime);
    expect(rig['shares_accepted']).toBe(s.totals.sharesAccepted);
  });

  it('publishes again on change (not when nothing changed)', async () => {
    const topic = `hashdeck/${NODE}/board-1/state`;
    const before = seen.filter((m) => m.topic === topic).length;
    engine.setSnapshot(engine.snapshot());
    await new Promise((r) => setTimeout(r, 400));
    engine.setSnapshot(engine.snapshot());
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.filter((m) => m.topic === topic).length).toBe(before);
    const hot = engine.snapshot();
    hot.boards[1]!.sensors.asicTempC = 77.5;
    engine.setSnapshot(hot);
    await waitUntil(() => (JSON.parse(lastOn(seen, topic)!.payload) as { asic_temp_c: number }).asic_temp_c === 77.5, 5_000, 'changed state');
  });

  it('a command without write access is refused and changes nothing', async () => {
    const n = engine.commands.length;
    await observer.publishAsync(`hashdeck/${NODE}/board-0/command`, 'restart', { qos: 1 });
    await waitUntil(() => !!lastOn(seen, `hashdeck/${NODE}/board-0/command/result`), 5_000, 'command result');
    expect(JSON.parse(lastOn(seen, `hashdeck/${NODE}/board-0/command/result`)!.payload)).toEqual({ ok: false, message: 'refused: writes are not allowed (start HashDeck with --allow-writes)' });
    expect(engine.commands.slice(n)).toEqual([]);
  });

  it('the LAST WILL: cutting the connection makes the broker publish "offline"; the bridge comes back "online"', async () => {
    const topic = `hashdeck/${NODE}/status`;
    const from = seen.length;
    bridge.link.dropConnection();
    await waitUntil(() => seen.slice(from).some((m) => m.topic === topic && m.payload === 'offline'), 10_000, 'last will');
    const will = seen.slice(from).find((m) => m.topic === topic && m.payload === 'offline')!;
    expect(will.payload).toBe('offline');
    await waitUntil(() => seen.slice(from).some((m) => m.topic === topic && m.payload === 'online'), 10_000, 'back online');
  });

  it('with --allow-writes the buttons are offered and a restart reaches the engine', async () => {
    const writable = new MqttBridge({ url: broker.url, nodeId: `${NODE}_rw`, allowWrites: true, minIntervalMs: 200 }, () => undefined);
    writable.attach(engine);
    try {
      await waitUntil(() => !!lastOn(seen, `homeassistant/button/${NODE}_rw/board-0_restart/config`)?.payload, 5_000, 'button config');
      const button = JSON.parse(lastOn(seen, `homeassistant/button/${NODE}_rw/board-0_restart/config`)!.payload) as Record<string, unknown>;
      expect(button).toMatchObject({ command_topic: `hashdeck/${NODE}_rw/board-0/command`, payload_press: 'restart' });
      await observer.publishAsync(`hashdeck/${NODE}_rw/board-0/command`, 'restart', { qos: 1 });
      await waitUntil(() => engine.commands.some((c) => c.type === 'restartBoard'), 5_000, 'restart command');
      expect(engine.commands.find((c) => c.type === 'restartBoard')).toEqual({ type: 'restartBoard', boardId: 'board-0' });
      await waitUntil(() => !!lastOn(seen, `hashdeck/${NODE}_rw/board-0/command/result`), 5_000, 'result');
      expect(JSON.parse(lastOn(seen, `hashdeck/${NODE}_rw/board-0/command/result`)!.payload)).toMatchObject({ ok: true });
    } finally {
      await writable.stop();
    }
    // A clean stop says "offline" itself, retained.
    await waitUntil(() => lastOn(seen, `hashdeck/${NODE}_rw/status`)?.payload === 'offline', 5_000, 'offline on stop');
  });

  it('the broker password never appears in a log line; the broker is named by host and port', () => {
    expect(logs.some((l) => l.includes(`MQTT connected to mqtt://127.0.0.1:${broker.port}`))).toBe(true);
    expect(logs.some((l) => l.includes('closed; reconnecting'))).toBe(true);
    expect(logs.join('\n')).not.toContain('s3cret-pass');
  });
});
