import { describe, expect, it } from 'vitest';
import { watchParentUnderNpm } from '../../../src-main/cli/parent-watch.js';

const npm = { npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js' };
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('parent watch under npm', () => {
  it('reports a re-parented process once (POSIX: the shell npm started died)', async () => {
    let ppid = 100;
    const gone: number[] = [];
    const stop = watchParentUnderNpm((p) => gone.push(p), { env: npm, intervalMs: 5, ppid: () => ppid, isAlive: () => true });
    await tick(20);
    expect(gone).toEqual([]);
    ppid = 1;
    await tick(30);
    expect(gone).toEqual([100]);
    stop();
  });

  it('reports a parent pid that no longer exists (Windows keeps the old ppid)', async () => {
    let alive = true;
    const gone: number[] = [];
    const stop = watchParentUnderNpm((p) => gone.push(p), { env: npm, intervalMs: 5, ppid: () => 42, isAlive: () => alive });
    await tick(20);
    alive = false;
    await tick(30);
    expect(gone).toEqual([42]);
    stop();
  });

  it('does nothing when npm did not start the process (a shell, systemd, nohup)', async () => {
    let ppid = 100;
    const gone: number[] = [];
    const stop = watchParentUnderNpm((p) => gone.push(p), { env: {}, intervalMs: 5, ppid: () => ppid, isAlive: () => false });
    ppid = 1;
    await tick(30);
    expect(gone).toEqual([]);
    stop();
  });
});
