/**
 * Pool mining end to end: a validating Stratum server (test/fixtures) on loopback,
 * `hashdeck emulate --pty` in one process and `hashdeck mine --device <pty> --pool …` in another.
 * The server checks every submit independently; its counts must equal the engine's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mineSummarySchema } from '@shared/contract/index';
import { StratumTestServer } from '../fixtures/stratum-server.js';
import { jsonLines, runCli, spawnCli, tempDir } from '../helpers/cli.js';
import { startEmulatorPty, type EmulatorProcess } from '../helpers/emulator-pty.js';

const USER = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4.w1';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function emulator(): Promise<EmulatorProcess> {
  const emu = await startEmulatorPty();
  cleanups.push(() => emu.stop());
  return emu;
}

async function pool(opts: ConstructorParameters<typeof StratumTestServer>[0]): Promise<StratumTestServer> {
  const server = new StratumTestServer({ host: '127.0.0.1', ...opts });
  await server.start();
  cleanups.push(() => server.stop());
  return server;
}

describe('mining to a Stratum pool through a PTY emulator', () => {
  for (const mode of ['public-pool', 'ckpool'] as const) {
    it(`${mode}: shares accepted, none rejected, and the pool agrees with the engine`, async () => {
      const server = await pool({ mode, difficulty: 0.0002, payoutAddress: USER.split('.')[0] });
      const emu = await emulator();
      const r = await runCli([
        'mine',
        '--device',
        emu.path,
        '--chip',
        'bm1366',
        '--scale-bits',
        '24',
        '--pool',
        `stratum+tcp://127.0.0.1:${server.port}`,
        '--user',
        USER,
        '--suggest-difficulty',
        '0.0002',
        '--duration',
        '12',
        '--json',
        '--data-dir',
        tempDir(),
      ]);
      expect(r.code, r.stderr).toBe(0);
      const lines = jsonLines(r.stdout);
      const summary = mineSummarySchema.parse(lines.at(-1));
      expect(summary.hwErrors).toBe(0);
      expect(summary.sharesAccepted).toBeGreaterThan(0);
      expect(summary.sharesRejected).toBe(0);
      expect(server.rejected).toBe(0);
      expect(server.accepted).toBe(summary.sharesAccepted);
      // The pool saw exactly the shares the engine reports as sent and answered.
      const answered = lines.filter((l) => l.type === 'share' && (l.result === 'accepted' || l.result === 'rejected')).length;
      expect(server.shares.length).toBe(answered);
      // The suggested difficulty went out exactly as given.
      expect(server.requests.some((q) => q.method === 'mining.suggest_difficulty' && JSON.stringify(q.params) === '[0.0002]')).toBe(true);
    });
  }

  it('failover: the primary dies mid-run, shares continue on the backup, then the engine returns to the primary', async () => {
    const primary = await pool({ mode: 'public-pool', difficulty: 0.0002 });
    const backup = await pool({ mode: 'ckpool', difficulty: 0.0002 });
    const emu = await emulator();
    const mine = spawnCli([
      'mine',
      '--device',
      emu.path,
      '--chip',
      'bm1366',
      '--scale-bits',
      '24',
      '--pool',
      `stratum+tcp://127.0.0.1:${primary.port}`,
      '--pool',
      `stratum+tcp://127.0.0.1:${backup.port}`,
      '--user',
      USER,
      '--dead-pool-timeout',
      '3',
      '--primary-probe-interval',
      '2',
      '--duration',
      '24',
      '--json',
      '--data-dir',
      tempDir(),
    ]);
    let out = '';
    mine.stdout!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => mine.on('exit', r));
    await until(() => primary.accepted > 0, 20_000);
    const primaryPort = primary.port;
    await primary.stop(); // the primary goes away
    const backupBefore = backup.accepted;
    await until(() => backup.accepted > backupBefore, 15_000);
    // The primary comes back on the same port; the engine probes it and returns.
    const revived = new StratumTestServer({ host: '127.0.0.1', port: primaryPort, mode: 'public-pool', difficulty: 0.0002 });
    await revived.start();
    cleanups.push(() => revived.stop());
    await until(() => revived.accepted > 0, 15_000);
    expect(await exited).toBe(0);
    const summary = mineSummarySchema.parse(jsonLines(out).at(-1));
    expect(summary.hwErrors).toBe(0);
    expect(summary.sharesRejected).toBe(0);
    // No valid share was lost: every share the engine counts as accepted was accepted by a pool.
    expect(summary.sharesAccepted).toBe(primary.accepted + backup.accepted + revived.accepted);
  });
});

async function until(pred: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
