import { describe, expect, it } from 'vitest';
import { poolWorkerUser, WorkerNames } from '../../../../src-main/work/stratum/worker-name.js';

describe('per-board worker names', () => {
  it('appends .<name> only when the pool user has no worker part', () => {
    expect(poolWorkerUser('bc1qaddress', 'left')).toBe('bc1qaddress.left');
    expect(poolWorkerUser('bc1qaddress.rig', 'left')).toBe('bc1qaddress.rig');
  });

  it('a board without --worker is named by its id', () => {
    const w = new WorkerNames({ emu0: 'left' });
    expect(w.userFor('acct', 'emu0')).toBe('acct.left');
    expect(w.userFor('acct', 'emu1')).toBe('acct.emu1');
  });
});
