/**
 * Per-board worker names against the validating test pool: `hashdeck mine` with two emulated boards,
 * one named with --worker, a pool user without a worker part. The pool must see each worker name
 * authorized before its shares, and credit shares to `<user>.<name>` for both boards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StratumTestServer } from '../../../fixtures/stratum-server.js';
import { jsonLines, runCli, tempDir } from '../../../helpers/cli.js';

const ACCOUNT = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';

describe('per-board --worker names on a pool', () => {
  let pool: StratumTestServer;
  beforeAll(async () => {
    pool = new StratumTestServer({ host: '127.0.0.1', difficulty: 0.0002, payoutAddress: ACCOUNT });
    await pool.start();
  });
  afterAll(async () => {
    await pool?.stop();
  });

  it('authorizes <user>.<worker> for each board and the pool credits both', async () => {
    const r = await runCli(['mine', '--device', 'emulator', '--worker', 'left', '--device', 'emulator', '--pool', pool.url, '--user', ACCOUNT, '--duration', '8', '--json', '--data-dir', tempDir()], {
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const summary = jsonLines(r.stdout).at(-1);
    expect(summary.sharesAccepted).toBeGreaterThan(0);
    const workers = new Set(pool.shares.map((s) => s.worker));
    expect(workers).toEqual(new Set([`${ACCOUNT}.left`, `${ACCOUNT}.emu1`]));
    expect(pool.shares.every((s) => s.result === 'accepted')).toBe(true);
    const authorized = pool.requests.filter((q) => q.method === 'mining.authorize').map((q) => (q.params as string[])[0]);
    expect(authorized).toEqual(expect.arrayContaining([ACCOUNT, `${ACCOUNT}.left`, `${ACCOUNT}.emu1`]));
    // Each name is authorized before the first share that uses it, on the same connection.
    for (const name of [`${ACCOUNT}.left`, `${ACCOUNT}.emu1`]) {
      const authAt = pool.requests.findIndex((q) => q.method === 'mining.authorize' && (q.params as string[])[0] === name);
      const firstSubmit = pool.requests.findIndex((q) => q.method === 'mining.submit' && (q.params as string[])[0] === name);
      expect(authAt).toBeGreaterThanOrEqual(0);
      expect(authAt).toBeLessThan(firstSubmit);
    }
  });
});
