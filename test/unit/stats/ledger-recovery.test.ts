/**
 * A damaged ledger never stops mining and is never lost in silence: it is moved aside, what can
 * be read (best shares, blocks) goes into a new ledger, and there is a sentence naming the files.
 */
import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger, LEDGER_FILE_NAME } from '../../../src-main/stats/ledger.js';
import { openLedger } from '../../../src-main/stats/ledger-recovery.js';
import { tempDir } from '../../helpers/cli.js';

const BEST = 123_456.75;

/** A ledger with best shares and a block written first, then enough samples to fill many pages. */
function filledLedger(): { dir: string; file: string } {
  const dir = tempDir('hashdeck-ledger-');
  const ledger = Ledger.open(dir, { flushIntervalMs: 0 });
  for (let i = 0; i < 10; i++) ledger.recordBestShare({ atMs: 1000 + i, boardId: 'emu0', pool: 'p', difficulty: BEST - i * 1000, hash: null, chipIndex: 0 });
  ledger.recordBlock({ atMs: 5000, height: 101, hash: 'ab'.repeat(32), result: 'accepted', accepted: true, boardId: 'emu0', source: 'solo' });
  for (let i = 0; i < 20_000; i++) ledger.recordSample({ atMs: 1_700_000_000_000 + i * 5000, boardId: 'emu0', hashrateHs: 1e9 + i, powerW: 12, asicTempC: 50, vrTempC: 60, fanRpm: 4000 });
  ledger.close();
  return { dir, file: path.join(dir, LEDGER_FILE_NAME) };
}

function damagedFiles(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.startsWith('ledger.damaged-') && n.endsWith('.sqlite'));
}

describe('opening a damaged ledger', () => {
  it('a sound ledger opens with no recovery', () => {
    const { dir } = filledLedger();
    const { ledger, recovery } = openLedger(dir, { flushIntervalMs: 0 });
    expect(recovery).toBeNull();
    expect(ledger.bestDifficultyAllTime()).toBe(BEST);
    ledger.close();
  });

  it('truncated to half: moved aside, the all-time best and the block carried over, a sentence naming both files', () => {
    const { dir, file } = filledLedger();
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const { ledger, recovery } = openLedger(dir, { flushIntervalMs: 0 });
    expect(recovery).not.toBeNull();
    expect(damagedFiles(dir)).toHaveLength(1);
    expect(recovery!.movedTo).toBe(path.join(dir, damagedFiles(dir)[0]!));
    expect(recovery!.message).toContain(file);
    expect(recovery!.message).toContain(recovery!.movedTo!);
    expect(ledger.bestDifficultyAllTime()).toBe(BEST);
    expect(ledger.blocks().map((b) => b.hash)).toEqual(['ab'.repeat(32)]);
    expect(ledger.quickCheck()).toBeNull();
    ledger.close();
  });

  it('truncated to 4 KB: moved aside and a new ledger works', () => {
    const { dir, file } = filledLedger();
    truncateSync(file, 4096);
    const { ledger, recovery } = openLedger(dir, { flushIntervalMs: 0 });
    expect(recovery?.message).toMatch(/damaged/);
    expect(damagedFiles(dir)).toHaveLength(1);
    ledger.recordSample({ atMs: 1, boardId: 'emu0', hashrateHs: 1, powerW: null, asicTempC: null, vrTempC: null, fanRpm: null });
    ledger.flush();
    expect(ledger.quickCheck()).toBeNull();
    ledger.close();
  });

  it('garbage: nothing readable, said so, the damaged bytes kept as they were', () => {
    const dir = tempDir('hashdeck-ledger-');
    const garbage = Buffer.alloc(64 * 1024, 0x5a);
    writeFileSync(path.join(dir, LEDGER_FILE_NAME), garbage);
    const { ledger, recovery } = openLedger(dir, { flushIntervalMs: 0 });
    expect(recovery?.message).toMatch(/Nothing could be read/);
    expect(readFileSync(recovery!.movedTo!).equals(garbage)).toBe(true);
    expect(ledger.bestDifficultyAllTime()).toBe(0);
    ledger.close();
  });

  it('an empty (0-byte) ledger is reported, not silently replaced', () => {
    const dir = tempDir('hashdeck-ledger-');
    writeFileSync(path.join(dir, LEDGER_FILE_NAME), '');
    const { ledger, recovery } = openLedger(dir, { flushIntervalMs: 0 });
    expect(recovery?.message).toMatch(/empty file \(0 bytes\)/);
    expect(existsSync(path.join(dir, LEDGER_FILE_NAME))).toBe(true);
    ledger.close();
  });
});
