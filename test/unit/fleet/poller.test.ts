/**
 * Polling one device: the backoff schedule, no overlapping polls, state transitions through
 * unreachable and error and back, /api/system/asic fetched on contact only, and figures hidden
 * while the device does not answer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAxeosAddress } from '../../../src-main/fleet/address.js';
import { AxeosClient } from '../../../src-main/fleet/client.js';
import { AxeosDevice } from '../../../src-main/fleet/device.js';
import { AxeosPoller, nextPollDelayMs } from '../../../src-main/fleet/poller.js';
import { FakeAxeosDevice } from '../../fixtures/axeos/fake-device.js';

describe('nextPollDelayMs', () => {
  it('polls every interval while answered, doubles per failure, caps at the maximum', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map((f) => nextPollDelayMs(f, 5000, 60_000))).toEqual([5000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
  });
  it('never waits less than the interval, even with a smaller cap', () => {
    expect(nextPollDelayMs(3, 5000, 1000)).toBe(5000);
  });
});

describe('AxeosPoller with the fake device', () => {
  let fake: FakeAxeosDevice;
  let poller: AxeosPoller;
  let device: AxeosDevice;
  const transitions: string[] = [];

  beforeEach(async () => {
    fake = new FakeAxeosDevice();
    await fake.start();
    const address = parseAxeosAddress(fake.address);
    device = new AxeosDevice(address);
    transitions.length = 0;
    poller = new AxeosPoller(device, new AxeosClient({ host: address.host, port: address.port, timeoutMs: 300 }), {
      intervalMs: 5000,
      maxBackoffMs: 60_000,
      onPolled: (d, previous) => transitions.push(`${previous}→${d.state}`),
    });
  });

  afterEach(async () => {
    await poller.stop();
    await fake.close();
  });

  it('connecting → online with the device figures; /api/system/asic read once', async () => {
    expect(device.snapshot(null).state).toBe('connecting');
    await poller.poll();
    await poller.poll();
    const s = device.snapshot(null);
    expect(s.state).toBe('online');
    expect(s.hostname).toBe('bitaxe-gamma');
    expect(s.deviceModel).toBe('Gamma');
    expect(s.asicCount).toBe(1);
    expect(s.hashrateHs).toBeCloseTo(1180.52e9, 0);
    expect(s.efficiencyJPerTh).toBeCloseTo(18.912345 / 1.18052, 6);
    expect(s.pool).toEqual({ url: 'pool.example.com', port: 3333, user: 'bc1qexampleaddress.gamma', usingFallback: false });
    expect(s.miningHere).toBeNull();
    expect(fake.requestsTo('GET', '/api/system/info')).toHaveLength(2);
    expect(fake.requestsTo('GET', '/api/system/asic')).toHaveLength(1);
    expect(transitions).toEqual(['connecting→online', 'online→online']);
  });

  it('never runs two polls at once: a second call joins the running one', async () => {
    fake.behaviour = 'hang';
    const a = poller.poll();
    const b = poller.poll();
    expect(b).toBe(a);
    await Promise.all([a, b]);
    expect(fake.requestsTo('GET', '/api/system/info')).toHaveLength(1);
  });

  it('backs off while unreachable, keeps identity but hides figures, and recovers on the next answer', async () => {
    await poller.poll();
    fake.behaviour = 'hang';
    await poller.poll();
    expect(device.state).toBe('unreachable');
    expect(device.failures).toBe(1);
    expect(poller.nextDelayMs).toBe(10_000);
    await poller.poll();
    expect(poller.nextDelayMs).toBe(20_000);
    const s = device.snapshot(null);
    expect(s.stateDetail).toContain('no complete answer');
    expect(s.hostname).toBe('bitaxe-gamma');
    expect(s.hashrateHs).toBeNull();
    expect(s.powerW).toBeNull();
    expect(s.efficiencyJPerTh).toBeNull();
    fake.behaviour = 'ok';
    await poller.poll();
    expect(device.state).toBe('online');
    expect(device.failures).toBe(0);
    expect(poller.nextDelayMs).toBe(5000);
    // Back from an outage, the static facts are read again.
    expect(fake.requestsTo('GET', '/api/system/asic')).toHaveLength(2);
    expect(transitions).toEqual(['connecting→online', 'online→unreachable', 'unreachable→unreachable', 'unreachable→online']);
  });

  it.each([
    ['garbage', 'did not answer JSON'],
    ['array', 'not a JSON object'],
    ['not-axeos', 'none of the AxeOS fields'],
    ['oversized', 'more than'],
    ['http-500', 'HTTP 500'],
  ] as const)('an answer that is not AxeOS (%s) is an error state, not a crash', async (behaviour, detail) => {
    fake.behaviour = behaviour;
    await poller.poll();
    expect(device.state).toBe('error');
    expect(device.snapshot(null).stateDetail).toContain(detail);
    expect(poller.nextDelayMs).toBe(10_000);
  });

  it('a device without /api/system/asic (older firmware, forks) is online from the info alone', async () => {
    fake.hasAsicRoute = false;
    await poller.poll();
    const s = device.snapshot(null);
    expect(s.state).toBe('online');
    expect(s.deviceModel).toBeNull();
    expect(s.asicModel).toBe('BM1370');
  });

  it('the loop polls on its own once started and stops cleanly', async () => {
    poller.start();
    for (let i = 0; i < 100 && device.state === 'connecting'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(device.state).toBe('online');
    await poller.stop();
    const count = fake.requests.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.requests.length).toBe(count);
  });
});
