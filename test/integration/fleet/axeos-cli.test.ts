/**
 * `hashdeck mine --axeos <host[:port]>` from the command line: the real CLI polls a fake AxeOS
 * device on 127.0.0.1 and says so in its log; a bad address is one sentence and exit code 2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeAxeosDevice } from '../../fixtures/axeos/fake-device.js';
import { jsonLines, runCli, tempDir } from '../../helpers/cli.js';

let device: FakeAxeosDevice;

beforeAll(async () => {
  device = new FakeAxeosDevice();
  await device.start();
});

afterAll(async () => {
  await device.close();
});

describe('hashdeck mine --axeos', () => {
  it('polls the device and logs when it answers', async () => {
    const r = await runCli(['mine', '--axeos', device.address, '--duration', '3', '--json', '--data-dir', tempDir()]);
    expect(r.code, r.stderr).toBe(0);
    const logs = jsonLines(r.stdout)
      .filter((l) => l.type === 'log' && l.scope === 'axeos')
      .map((l) => l.text as string);
    expect(logs).toContain(`watching 1 AxeOS device(s): ${device.address}`);
    expect(logs).toContain(`AxeOS device ${device.address} answers (bitaxe-gamma)`);
    expect(device.requestsTo('GET', '/api/system/info').length).toBeGreaterThan(0);
    expect(device.requestsTo('GET', '/api/system/asic')).toHaveLength(1);
    // Watching is read-only: nothing was written to the device.
    expect(device.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  });

  it('refuses a bad address with one sentence and exit code 2', async () => {
    const r = await runCli(['mine', '--axeos', 'https://bitaxe.local', '--duration', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--axeos: "https://bitaxe.local" is not an AxeOS device address: AxeOS serves plain HTTP, not HTTPS');
  });
});
