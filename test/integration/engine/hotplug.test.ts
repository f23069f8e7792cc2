/**
 * Hotplug under `--device auto`: a recognised USB board that appears while the engine runs is
 * started; when it vanishes it is stopped and the engine keeps running. The "USB" port is a PTY
 * with a BM1370 emulator behind it, reported with GekkoScience CP2105 ids (a device that does not say
 * its chip: the engine learns BM1370 from enumeration) by a test port lister. Auto
 * detection cannot know the board is emulated, so the emulator runs unscaled (K = 0, real ticket
 * difficulty): no nonce is expected in the test's time, only the board's life cycle.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/engine/engine.js';
import type { SerialPortInfo } from '../../../src-main/boards/detect.js';
import { runEmulatorPty, type EmulatorPty } from '../../../src-main/emulator/pty.js';
import { tempDir } from '../../helpers/cli.js';

let engine: Engine | null = null;
let pty: EmulatorPty | null = null;
afterEach(async () => {
  await engine?.stop();
  await pty?.close();
});

async function until(pred: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('USB hotplug', () => {
  it('a board that appears is started; one that vanishes is stopped, the engine keeps running', async () => {
    let ports: SerialPortInfo[] = [];
    engine = new Engine({ boards: [], source: null, mode: 'benchmark', frequencyMhz: null, ticketDifficulty: null, dataDir: tempDir(), reattachMs: 300, hotplug: { list: async () => ports } });
    await engine.start();
    expect(engine.snapshot().boards).toHaveLength(0);

    pty = await runEmulatorPty({ model: 'bm1370', chips: 1, scaleBits: 0 });
    ports = [{ path: pty.path, vendorId: '10c4', productId: 'ea70', manufacturer: 'Silicon Labs', serialNumber: 'GSA2', pnpId: null, interfaceNumber: 0 }];
    await until(() => engine!.snapshot().boards[0]?.state === 'hashing', 25_000);
    const board = engine.snapshot().boards[0]!;
    expect(board.model).toBe('bm1370');
    expect(board.frequencyMhz).toBe(525); // the detected model's default, not BM1366's 485
    expect(board.chipsFound).toBe(1);
    expect(board.emulated).toBe(false);

    ports = [];
    await pty.close();
    pty = null;
    await until(() => engine!.snapshot().boards[0]?.state === 'lost', 10_000);
    // The engine still answers; the port returning would restart the board (reattach).
    expect(engine.snapshot().mode).toBe('benchmark');
    expect(engine.snapshot().totals.hwErrors).toBe(0);
  });
});
