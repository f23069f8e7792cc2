/**
 * Watched AxeOS devices on the monitoring surfaces: extra cgminer devices after the USB boards
 * (DEVS, ASC, STATS, DEVDETAILS; SUMMARY unchanged) and `hashdeck_axeos_*` Prometheus series.
 * The device snapshots come from the fleet code reading the fake device's real-shaped JSON.
 */
import { describe, expect, it } from 'vitest';
import type { AxeosDeviceSnapshot } from '@shared/contract';
import { answer } from '../../../src-main/api/cgminer/commands.js';
import { createMetricsRegistry } from '../../../src-main/api/metrics/registry.js';
import { parseAxeosAddress } from '../../../src-main/fleet/address.js';
import { AxeosRequestError } from '../../../src-main/fleet/client.js';
import { AxeosDevice } from '../../../src-main/fleet/device.js';
import { parseSystemInfo } from '../../../src-main/fleet/system-info.js';
import { espMinerSystemInfo } from '../../fixtures/axeos/fake-device.js';
import { EngineDouble, makeSnapshot, NOW_MS } from './fixtures/engine-double.js';

const SERVER = { host: '192.0.2.10', port: 3334 };

function devices(): AxeosDeviceSnapshot[] {
  const online = new AxeosDevice(parseAxeosAddress('192.0.2.77'));
  online.recordReading(parseSystemInfo({ ...espMinerSystemInfo(), stratumURL: '192.0.2.10', stratumPort: 3334 }), '192.0.2.10', NOW_MS - 2000);
  const gone = new AxeosDevice(parseAxeosAddress('192.0.2.78:8080'));
  gone.recordFailure(new AxeosRequestError('timeout', 'no complete answer to GET /api/system/info within 3000 ms'));
  return [online.snapshot(SERVER), gone.snapshot(SERVER)];
}

function engineWithDevices(): EngineDouble {
  const snapshot = makeSnapshot();
  snapshot.axeosDevices = devices();
  return new EngineDouble(snapshot);
}

const READ = { read: true, privileged: false };
const ask = async (engine: EngineDouble, command: string, parameter = ''): Promise<any> => JSON.parse(await answer(JSON.stringify({ command, parameter }), engine, READ, () => null));

describe('cgminer API with AxeOS devices', () => {
  it('DEVS lists the USB boards, then each AxeOS device as AXEOS with its figures in MH/s', async () => {
    const engine = engineWithDevices();
    const reply = await ask(engine, 'devs');
    expect(reply.STATUS[0].Msg).toBe('4 ASC(s)');
    const rows = reply.DEVS;
    expect(rows.map((r: any) => r.Name)).toEqual(['BM1366', 'BM1370', 'AXEOS', 'AXEOS']);
    const d = rows[2];
    expect(d.ASC).toBe(2);
    expect(d.Status).toBe('Alive');
    expect(d['MHS av']).toBeCloseTo(1180.52e3, 3);
    expect(d['MHS 1m']).toBeCloseTo(1175.1e3, 3);
    expect(d['MHS 5m']).toBeCloseTo(1178.9e3, 3);
    expect(d.Temperature).toBe(57.25);
    expect(d.Accepted).toBe(4321);
    expect(d.Rejected).toBe(7);
    expect(d['Device Elapsed']).toBe(93_784);
    // Same keys as a board row: clients read them alike.
    expect(Object.keys(d)).toEqual(Object.keys(rows[0]));
    expect(rows[3]).toMatchObject({ ASC: 3, Status: 'Dead', 'No Device': true, 'MHS av': 0 });
  });

  it('asc N and asccount cover the devices; SUMMARY stays the USB boards', async () => {
    const engine = engineWithDevices();
    expect((await ask(engine, 'asccount')).ASCS[0].Count).toBe(4);
    expect((await ask(engine, 'asc', '2')).ASC[0].Name).toBe('AXEOS');
    expect((await ask(engine, 'asc', '4')).STATUS[0].Msg).toBe('Invalid ASC id 4 - range is 0 - 3');
    const plain = await ask(new EngineDouble(), 'summary');
    expect((await ask(engine, 'summary')).SUMMARY).toEqual(plain.SUMMARY);
  });

  it('STATS and DEVDETAILS describe each device (address, pool, mining here)', async () => {
    const engine = engineWithDevices();
    const stats = (await ask(engine, 'stats')).STATS;
    expect(stats).toHaveLength(4);
    expect(stats[2]).toMatchObject({
      STATS: 2,
      ID: 'AXEOS2',
      Board: 'axeos:192.0.2.77',
      Hostname: 'bitaxe-gamma',
      Model: 'BM1370',
      Firmware: 'v2.12.0',
      Power: 18.91,
      'VR Temp': 48,
      Fan: 5520,
      'Fan%': 62,
      'Pool URL': '192.0.2.10:3334',
      'Mining Here': true,
      'Best Share': 123_456_789,
      'Best Share All Time': 4_294_967_296,
    });
    const details = (await ask(engine, 'devdetails')).DEVDETAILS;
    expect(details[3]).toMatchObject({ DEVDETAILS: 3, Name: 'AXEOS', Driver: 'hashdeck-axeos', 'Device Path': 'http://192.0.2.78:8080' });
  });
});

describe('Prometheus with AxeOS devices', () => {
  it('serves hashdeck_axeos_* in base units, leaving out what a device does not report', async () => {
    const text = await createMetricsRegistry(engineWithDevices()).metrics();
    const labels = 'device="axeos:192.0.2.77",hostname="bitaxe-gamma",model="BM1370"';
    expect(text).toContain(`hashdeck_axeos_up{${labels}} 1`);
    expect(text).toContain('hashdeck_axeos_up{device="axeos:192.0.2.78:8080",hostname="",model=""} 0');
    expect(text).toContain(`hashdeck_axeos_hashrate_hashes_per_second{${labels}} 1180520000000`);
    expect(text).toContain(`hashdeck_axeos_power_watts{${labels}} 18.912345`);
    expect(text).toContain(`hashdeck_axeos_temperature_celsius{${labels},sensor="vr"} 48`);
    expect(text).toContain(`hashdeck_axeos_best_difficulty{${labels},scope="all_time"} 4294967296`);
    expect(text).toContain(`hashdeck_axeos_shares_accepted_total{${labels}} 4321`);
    expect(text).toContain(`hashdeck_axeos_mining_here{${labels}} 1`);
    // The unreachable device has no figures: no hashrate series for it.
    expect(text).not.toMatch(/hashdeck_axeos_hashrate_hashes_per_second\{device="axeos:192\.0\.2\.78:8080"/);
    // USB boards are unchanged.
    expect(text).toContain('hashdeck_board_hashrate_hashes_per_second{board="bitaxe-1"');
  });
});
