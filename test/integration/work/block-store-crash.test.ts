/**
 * One writer of found blocks, killed at every step of a write: afterwards the blocks directory
 * holds either no block file or a whole one that passes the schema — never half a file under the
 * final name (docs/design.md §3).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BlockStore, WRITE_STEPS } from '../../../src-main/work/block-store.js';
import { ROOT, tempDir } from '../../helpers/cli.js';

const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const WRITER = path.join(ROOT, 'test/fixtures/work/block-writer.ts');

function writeAndDie(dataDir: string, kind: 'solo' | 'pool', step: string): { signal: NodeJS.Signals | null; stdout: string } {
  const r = spawnSync(process.execPath, ['--import', TSX, WRITER, dataDir, kind, step], { encoding: 'utf8', timeout: 30_000 });
  return { signal: r.signal, stdout: r.stdout };
}

describe('block store: a writer killed at every step', () => {
  for (const kind of ['solo', 'pool'] as const) {
    for (const step of WRITE_STEPS) {
      it(`${kind} block, SIGKILL after "${step}": no file or a whole one`, () => {
        const dataDir = tempDir('hashdeck-blocks-');
        const r = writeAndDie(dataDir, kind, step);
        expect(r.signal).toBe('SIGKILL');
        expect(r.stdout).not.toContain('written');
        const finals = readdirSync(path.join(dataDir, 'blocks')).filter((n) => n.endsWith('.json'));
        const bad: string[] = [];
        const store = new BlockStore(dataDir);
        const read = kind === 'solo' ? store.list((f, why) => bad.push(`${f}: ${why}`)) : store.poolCandidates((f, why) => bad.push(`${f}: ${why}`));
        expect(bad).toEqual([]);
        // Before the rename nothing is under the final name; from the rename on, the whole record is.
        const renamed = WRITE_STEPS.indexOf(step) >= WRITE_STEPS.indexOf('renamed');
        expect(finals.length).toBe(renamed ? 1 : 0);
        expect(read.length).toBe(renamed ? 1 : 0);
        if (renamed) expect(read[0]!.hash).toBe('ab'.repeat(32));
      });
    }
  }
});
