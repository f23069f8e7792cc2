/**
 * The real serialport stack against `hashdeck emulate --pty` in another process (issue: chip
 * driver, transport, emulator). Each test runs `hashdeck mine --device <pty> --chip bm1366
 * --scale-bits 24` as users do.
 */
import { describe, expect, it } from 'vitest';
import { mineSummarySchema } from '@shared/contract/index';
import { jsonLines, runCli, spawnCli, tempDir } from '../helpers/cli.js';
import { startEmulatorPty } from '../helpers/emulator-pty.js';

const mineArgs = (pty: string, seconds: number): string[] => ['mine', '--device', pty, '--chip', 'bm1366', '--scale-bits', '24', '--duration', String(seconds), '--json', '--data-dir', tempDir()];

describe('a board behind a PTY', () => {
  it('every nonce the emulator sent re-hashes valid on the host; nothing lost', async () => {
    const emu = await startEmulatorPty(['--chips', '2']);
    try {
      const r = await runCli(mineArgs(emu.path, 10));
      expect(r.code, r.stderr).toBe(0);
      const summary = mineSummarySchema.parse(jsonLines(r.stdout).at(-1));
      const status = await emu.status();
      expect(summary.nonces).toBeGreaterThan(20);
      expect(summary.hwErrors).toBe(0);
      expect(summary.validNonces).toBe(summary.nonces);
      expect(summary.validNonces).toBe(status.noncesSent);
      expect(summary.bestDifficulty).toBe(status.bestDifficulty);
      expect(summary.boards[0]!.chips).toBe(2);
      expect(summary.boards[0]!.framesBad).toBe(0);
      expect(status.framesBad).toBe(0);
      // The emulator's register log shows the documented BM1366 init order (docs/bm13xx-protocol.md §3.2).
      const log: string[] = status.log;
      const order = [
        'write all 0xA4=0x9000ffff',
        'read all 0x00',
        'write all 0xA8=0x00070000',
        'write all 0x18=0xff0fc100',
        'chain inactive',
        'set address 0x00',
        'set address 0x80',
        'write all 0x3C=0x80008540',
        'write all 0x3C=0x80008020',
        'write all 0x14=0x000000ff',
        'write all 0x54=0x00000003',
        'write all 0x58=0x02111111',
        'write chip 0x00 0x2C=0x007c0003',
        'write chip 0x00 0xA8=0x000701f0',
        'write chip 0x80 0x3C=0x800082aa',
        'write all 0x08=',
        'write all 0x10=',
        'write all 0x28=0x11300200',
      ];
      let at = -1;
      for (const step of order) {
        const next = log.findIndex((line, i) => i > at && line.startsWith(step));
        expect(next, `init step "${step}" after line ${at}:\n${log.slice(0, 40).join('\n')}`).toBeGreaterThan(at);
        at = next;
      }
      expect(log.slice(0, 3).every((l) => l === 'write all 0xA4=0x9000ffff')).toBe(true);
    } finally {
      await emu.stop();
    }
  });

  for (const model of ['bm1368', 'bm1370', 'bm1397'] as const) {
    it(`${model}: the family driver runs end to end${model === 'bm1397' ? ' (host midstates)' : ''}`, async () => {
      const emu = await startEmulatorPty(['--model', model]);
      try {
        const r = await runCli(['mine', '--device', emu.path, '--chip', model, '--scale-bits', '24', '--duration', '8', '--json', '--data-dir', tempDir()]);
        expect(r.code, r.stderr).toBe(0);
        const summary = mineSummarySchema.parse(jsonLines(r.stdout).at(-1));
        expect(summary.boards[0]!.model).toBe(model);
        expect(summary.nonces).toBeGreaterThan(10);
        expect(summary.hwErrors).toBe(0);
        expect(summary.validNonces).toBe(summary.nonces);
      } finally {
        await emu.stop();
      }
    });
  }

  it('the wrong --chip: the board fails with a sentence naming the chip it found; the engine runs on', async () => {
    const emu = await startEmulatorPty(['--model', 'bm1370']);
    try {
      const r = await runCli(['mine', '--device', emu.path, '--chip', 'bm1366', '--scale-bits', '24', '--duration', '5', '--json', '--data-dir', tempDir()]);
      expect(r.code, r.stderr).toBe(0);
      const lines = jsonLines(r.stdout);
      const failed = lines.find((l) => l.type === 'board' && l.state === 'error');
      expect(failed?.detail).toMatch(/answered as BM1370, not BM1366: use --chip bm1370/);
      expect(mineSummarySchema.parse(lines.at(-1)).nonces).toBe(0);
    } finally {
      await emu.stop();
    }
  });

  it('garbage on the line: no crash, resynchronised, counted', async () => {
    const emu = await startEmulatorPty(['--noise', '0.3']);
    try {
      const r = await runCli(mineArgs(emu.path, 10));
      expect(r.code, r.stderr).toBe(0);
      const summary = mineSummarySchema.parse(jsonLines(r.stdout).at(-1));
      expect(summary.nonces).toBeGreaterThan(10);
      expect(summary.hwErrors).toBe(0);
      expect(summary.validNonces).toBe(summary.nonces);
    } finally {
      await emu.stop();
    }
  });

  it('unplug: the PTY closes mid-run, the board is lost, the engine keeps running and exits cleanly', async () => {
    const emu = await startEmulatorPty();
    const mine = spawnCli(mineArgs(emu.path, 10));
    let out = '';
    mine.stdout!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => mine.on('exit', r));
    await waitUntil(() => /"state":"hashing"/.test(out), 15_000);
    await new Promise((r) => setTimeout(r, 1500));
    await emu.stop(); // closes the PTY master: the device vanishes
    expect(await exited).toBe(0);
    const lines = jsonLines(out);
    expect(lines.some((l) => l.type === 'board' && l.state === 'lost')).toBe(true);
    const summary = mineSummarySchema.parse(lines.at(-1));
    expect(summary.nonces).toBeGreaterThan(0);
    expect(summary.hwErrors).toBe(0);
  });

  it('power cycle: the chain resets mid-run, the watchdog re-initialises it and nonces resume', async () => {
    const emu = await startEmulatorPty();
    try {
      const mine = spawnCli(mineArgs(emu.path, 16));
      let out = '';
      mine.stdout!.on('data', (d) => (out += d));
      const exited = new Promise<number | null>((r) => mine.on('exit', r));
      await waitUntil(() => /"state":"hashing"/.test(out), 15_000);
      await new Promise((r) => setTimeout(r, 1500));
      const before = (await emu.status()).noncesSent;
      emu.powerCycle();
      // The watchdog polls every 2 s; the margin is for a busy 2-core machine.
      await waitUntil(() => /"state":"recovering"/.test(out), 20_000);
      await waitUntil(() => (out.match(/"state":"hashing"/g) ?? []).length >= 2, 15_000);
      const afterRecovery = (await emu.status()).noncesSent;
      await new Promise((r) => setTimeout(r, 2000));
      const later = (await emu.status()).noncesSent;
      expect(later).toBeGreaterThan(afterRecovery);
      expect(afterRecovery).toBeGreaterThanOrEqual(before);
      expect(await exited).toBe(0);
      const summary = mineSummarySchema.parse(jsonLines(out).at(-1));
      expect(summary.hwErrors).toBe(0);
    } finally {
      await emu.stop();
    }
  });
});

async function waitUntil(pred: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
