import { describe, expect, it } from 'vitest';
import { mineSummarySchema } from '@shared/contract';
import { jsonLines, runCli, spawnCli, tempDir } from '../../helpers/cli.js';

describe('hashdeck CLI (real process)', () => {
  it('--help documents the commands and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const word of ['mine', 'diagnose', 'devices', 'emulate', '--scale-bits', '--suggest-difficulty', '--api-token']) expect(r.stdout).toContain(word);
  });

  for (const [args, pattern] of [
    [['mine', '--frobnicate'], /unknown option --frobnicate/],
    [['mine', '--device', '/dev/null', '--chip', 'bm0000'], /unknown chip/],
    [['mine', '--pool', 'not-a-url', '--user', 'u'], /not a pool URL/],
    [['mine', '--device', 'auto', '--node', 'http://127.0.0.1:1', '--payout', 'notanaddress'], /address/i],
    [['mine', '--device', 'auto', '--node', 'http://127.0.0.1:1', '--payout', 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', '--rpc-cookie', '/nonexistent/.cookie'], /cookie/],
    [['mine', '--device', 'emulator', '--frequency', '700'], /^hashdeck: --frequency 700 for emulator is outside the BM1366's range of 300–575 MHz\.\n$/],
    [['mine', '--device', 'emulator', '--core-voltage-mv', '1450'], /^hashdeck: --core-voltage-mv 1450 for emulator is outside the BM1366's range of 1000–1300 mV\.\n$/],
    [
      ['mine', '--device', 'auto', '--schedule', '{"windows":[{"days":["mon"],"start":"10:00","end":"10:00","action":"pause"}]}'],
      /the schedule: windows\.0\.end: a window needs an end different from its start/,
    ],
  ] as [string[], RegExp][]) {
    it(`bad input "${args.join(' ')}" → one sentence, exit 2`, async () => {
      const r = await runCli([...args, '--data-dir', tempDir()]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });
  }

  it('mine with nothing to drive is bad input (exit 2), so a supervisor never sees an idle engine as running', async () => {
    const r = await runCli(['mine', '--duration', '1', '--json', '--data-dir', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe('hashdeck: mine needs at least one --device (auto, emulator[:chips] or a serial path with --chip), --serve-stratum or --axeos.');
  });

  it('--device auto with no board plugged in waits for one, and prints a real summary', async () => {
    const r = await runCli(['mine', '--device', 'auto', '--duration', '1', '--json', '--data-dir', tempDir()]);
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines.some((l) => l.type === 'log' && /auto: no recognised USB board found/.test(l.text))).toBe(true);
    const summary = mineSummarySchema.parse(lines.at(-1));
    expect(summary.nonces).toBe(0);
    // --duration counts from the start of the run; the engine starts after the USB ports were listed.
    expect(summary.durationS).toBeGreaterThan(0.5);
  });

  it('benchmark mode on the built-in emulator: every nonce re-hashes valid', async () => {
    const r = await runCli(['mine', '--device', 'emulator:2', '--duration', '6', '--json', '--data-dir', tempDir()]);
    expect(r.code).toBe(0);
    const summary = mineSummarySchema.parse(jsonLines(r.stdout).at(-1));
    expect(summary.emulated).toBe(true);
    expect(summary.nonces).toBeGreaterThan(0);
    expect(summary.validNonces).toBe(summary.nonces);
    expect(summary.hwErrors).toBe(0);
    expect(summary.hashrateHs).toBeGreaterThan(0);
    expect(summary.boards[0]!.chips).toBe(2);
  });

  it('one engine per data directory', async () => {
    const dir = tempDir();
    const first = spawnCli(['mine', '--device', 'auto', '--duration', '6', '--data-dir', dir]);
    await new Promise((r) => setTimeout(r, 2500));
    const second = await runCli(['mine', '--device', 'auto', '--duration', '1', '--data-dir', dir]);
    first.kill('SIGTERM');
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/in use by another HashDeck engine/);
  });
});
