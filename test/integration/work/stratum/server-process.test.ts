/** The test pool as a separate process (how end-to-end tests run it): PORT line, shares, stats on SIGTERM. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EventBus } from '@shared/bus.js';
import { StratumSource } from '../../../../src-main/work/stratum/stratum-source.js';
import { findShare, MinerHarness } from '../../../fixtures/stratum/miner-harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

describe('stratum-server-main', () => {
  it('prints PORT, serves a miner, and reports stats on SIGTERM', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'test/fixtures/stratum-server-main.ts', '--mode', 'ckpool', '--difficulty', String(2 ** -20)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: string[] = [];
    const rl = createInterface({ input: child.stdout! });
    const port = await new Promise<number>((resolve, reject) => {
      rl.on('line', (l) => {
        lines.push(l);
        const m = /^PORT (\d+)$/.exec(l);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
    });
    const bus = new EventBus();
    const harness = new MinerHarness(bus);
    const source = new StratumSource({ pools: [{ url: `stratum+tcp://127.0.0.1:${port}`, user: 'alice.rig' }], bus, userAgent: 'hashdeck/test' });
    try {
      await source.start(harness);
      await harness.until(() => harness.templates.length > 0, 'work');
      source.submitShare(findShare(harness.latest, { extranonce2: 1 }));
      await harness.until(() => harness.shareEvents('accepted').length === 1, 'accepted');
    } finally {
      await source.stop();
    }
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const stats = lines.map((l) => (l.startsWith('{') ? JSON.parse(l) : null)).find((o) => o?.type === 'stats');
    expect(stats).toMatchObject({ accepted: 1, rejected: 0, connections: 1 });
    expect(lines.filter((l) => l.includes('"type":"share"')).length).toBe(1);
  }, 30_000);
});
