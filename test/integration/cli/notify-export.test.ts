/** `hashdeck notify-test` and `hashdeck export` through the CLI (loopback receivers, a temporary data directory). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotifyReceiver } from '../../fixtures/notify/receiver.js';
import { jsonLines, runCli, tempDir } from '../../helpers/cli.js';

describe('hashdeck notify-test', () => {
  const ntfy = new NotifyReceiver('ntfy');
  const discord = new NotifyReceiver('discord');
  beforeAll(async () => {
    await Promise.all([ntfy.start(), discord.start()]);
  });
  afterAll(async () => {
    await Promise.all([ntfy.stop(), discord.stop()]);
  });

  it('sends to every channel and exits 0 when all took it', async () => {
    const r = await runCli(['notify-test', '--notify', `ntfy=${ntfy.baseUrl}/rig`, '--notify', `discord=${discord.baseUrl}/api/webhooks/1/tok-abcdef`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`sent   ntfy ${ntfy.baseUrl}`);
    expect(r.stdout).toContain('all 2 channel(s) took the test message');
    expect(ntfy.requests).toHaveLength(1);
    expect(discord.requests).toHaveLength(1);
    expect(r.stdout).not.toContain('tok-abcdef');
  });

  it('reports each failure and exits 1 when any channel failed (JSON)', async () => {
    discord.failNext = 1;
    discord.failStatus = 401;
    const r = await runCli(['notify-test', '--notify', `ntfy=${ntfy.baseUrl}/rig`, '--notify', `discord=${discord.baseUrl}/api/webhooks/1/tok-abcdef`, '--json']);
    expect(r.code).toBe(1);
    const lines = jsonLines(r.stdout);
    expect(lines.filter((l) => l.type === 'notify-test').map((l) => [l.ok, l.error])).toEqual([
      [true, null],
      [false, 'HTTP 401: try later'],
    ]);
    expect(lines.at(-1)).toEqual({ type: 'summary', channels: 2, failed: 1, ok: false });
    expect(r.stdout).not.toContain('tok-abcdef');
  });

  it('bad input is exit 2 with one sentence', async () => {
    const r = await runCli(['notify-test', '--notify', 'telegram=42']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('hashdeck: --notify telegram=<chat id> needs --telegram-token <bot token>.');
  });
});

describe('hashdeck export', () => {
  it('prints CSV of samples and blocks for a time range', async () => {
    const dataDir = tempDir();
    const started = Date.now();
    const m = await runCli(['mine', '--device', 'emulator', '--duration', '7', '--json', '--data-dir', dataDir], { timeoutMs: 60_000 });
    expect(m.code, m.stderr).toBe(0);
    const samples = await runCli(['export', '--what', 'samples', '--from', new Date(started - 60_000).toISOString(), '--data-dir', dataDir]);
    expect(samples.code, samples.stderr).toBe(0);
    const rows = samples.stdout.trim().split('\r\n');
    expect(rows[0]).toMatch(/^[a-z_]+(,[a-z_]+)+$/);
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.slice(1).some((row) => row.includes(',emu0,'))).toBe(true);
    const blocks = await runCli(['export', '--what', 'blocks', '--data-dir', dataDir]);
    expect(blocks.stdout).toBe('time,time_ms,height,hash,result,accepted,board_id,source\r\n');
    const none = await runCli(['export', '--what', 'samples', '--to', '2000-01-01', '--data-dir', dataDir]);
    expect(none.stdout.trim().split('\r\n')).toHaveLength(1);
  });

  it('a data directory without a ledger is bad input', async () => {
    const r = await runCli(['export', '--what', 'shares', '--data-dir', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/there is no ledger in/);
  });
});
