/**
 * The AxeOS HTTP client against the fake device on 127.0.0.1: good answers, and every way a device
 * can go wrong ending as one error of a known kind (never a hang, never an unbounded buffer).
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxeosClient, AxeosRequestError, type AxeosRequestErrorKind } from '../../../src-main/fleet/client.js';
import { FakeAxeosDevice, type FakeAxeosBehaviour } from '../../fixtures/axeos/fake-device.js';

let device: FakeAxeosDevice;
let client: AxeosClient;

beforeAll(async () => {
  device = new FakeAxeosDevice();
  const port = await device.start();
  // A short deadline keeps the silent-device cases quick; nothing asserts how long they took.
  client = new AxeosClient({ host: '127.0.0.1', port, timeoutMs: 400, maxBodyBytes: 256 * 1024 });
});

afterAll(async () => {
  await device.close();
});

async function failure(run: () => Promise<unknown>): Promise<AxeosRequestError> {
  try {
    await run();
  } catch (err) {
    expect(err).toBeInstanceOf(AxeosRequestError);
    return err as AxeosRequestError;
  }
  throw new Error('expected the request to fail');
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('AxeosClient', () => {
  it('GETs JSON, tells the local address, and sends no Origin header', async () => {
    device.behaviour = 'ok';
    const { json, localAddress } = await client.getJson('/api/system/info');
    expect((json as Record<string, unknown>)['hostname']).toBe('bitaxe-gamma');
    expect(localAddress).toBe('127.0.0.1');
    const req = device.requests.at(-1)!;
    expect(req.headers['origin']).toBeUndefined();
    expect(req.headers['accept']).toBe('application/json');
  });

  it('POSTs and PATCHes JSON bodies', async () => {
    await client.write('PATCH', '/api/system', { stratumURL: 'hashdeck.local', stratumPort: 3333 });
    const patch = device.requestsTo('PATCH', '/api/system').at(-1)!;
    expect(JSON.parse(patch.body)).toEqual({ stratumURL: 'hashdeck.local', stratumPort: 3333 });
    expect(patch.headers['content-type']).toBe('application/json');
    await client.write('POST', '/api/system/restart');
    expect(device.requestsTo('POST', '/api/system/restart')).toHaveLength(1);
    expect(device.restarts).toBe(1);
  });

  it.each<[FakeAxeosBehaviour, AxeosRequestErrorKind, string]>([
    ['garbage', 'not-json', 'did not answer JSON'],
    ['oversized', 'too-large', 'more than 262144 bytes'],
    ['oversized-declared', 'too-large', 'answered 52428800 bytes'],
    ['hang', 'timeout', 'within 400 ms'],
    ['trickle', 'timeout', 'within 400 ms'],
    ['http-500', 'http-status', 'HTTP 500'],
    ['unauthorized', 'http-status', 'private address ranges'],
  ])('a device that misbehaves (%s) is one %s error', async (behaviour, kind, message) => {
    device.behaviour = behaviour;
    const err = await failure(() => client.getJson('/api/system/info'));
    expect(err.kind).toBe(kind);
    expect(err.message).toContain(message);
    device.behaviour = 'ok';
    // The device is still usable afterwards: nothing was left half-open on our side.
    expect((await client.getJson('/api/system/info')).json).toHaveProperty('ASICModel', 'BM1370');
  });

  it('a redirect (ESP-Miner sends unknown pages to /) is an HTTP status error', async () => {
    const err = await failure(() => client.getJson('/not-api'));
    expect(err.kind).toBe('http-status');
    expect(err.message).toContain('HTTP 302');
  });

  it('nothing listening is "unreachable" with a readable reason', async () => {
    const nobody = new AxeosClient({ host: '127.0.0.1', port: await closedPort(), timeoutMs: 2000 });
    const err = await failure(() => nobody.getJson('/api/system/info'));
    expect(err.kind).toBe('unreachable');
    expect(err.message).toBe('connection refused (nothing listens on that port)');
  });
});
