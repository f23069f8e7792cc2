import { describe, expect, it } from 'vitest';
import { isStaleReject, staleRejectKind } from '../../../src-main/work/stratum/stale-reject.js';
import { explainReject, rejectReasonKey } from '../../../src-main/stats/reject-reasons.js';

describe('the stale-reject rule', () => {
  it('counts job-gone and too-late replies as stale, by code 21 or by wording', () => {
    expect(staleRejectKind(21, 'Job not found')).toBe('job-not-found');
    expect(staleRejectKind(21, 'whatever the pool says')).toBe('job-not-found');
    expect(staleRejectKind(21, null)).toBe('job-not-found');
    expect(staleRejectKind(null, 'Job not found')).toBe('job-not-found');
    expect(staleRejectKind(null, '21 job-not-found')).toBe('job-not-found');
    expect(staleRejectKind(null, 'Job ID not found')).toBe('job-not-found');
    expect(staleRejectKind(null, 'Invalid JobID')).toBe('job-not-found');
    expect(staleRejectKind(null, 'unknown job')).toBe('job-not-found');
    expect(staleRejectKind(null, 'Stale')).toBe('stale');
    expect(staleRejectKind(null, 'stale share')).toBe('stale');
    expect(staleRejectKind(null, 'too late')).toBe('stale');
    expect(staleRejectKind(null, 'Share is too-late')).toBe('stale');
    expect(staleRejectKind(null, 'job expired')).toBe('stale');
  });

  it('keeps real rejections as rejected', () => {
    for (const [code, reason] of [
      [22, 'Duplicate share'],
      [23, 'Difficulty too low'],
      [null, 'Above target 2'],
      [24, 'Unauthorized worker'],
      [25, 'Not subscribed'],
      [null, 'Ntime out of range'],
      [null, 'Invalid version mask'],
      [null, 'Invalid nonce2 length'],
      [20, 'Other/Unknown'],
      [null, 'rejected (no reason given)'],
      [null, null],
      [null, ''],
    ] as const) {
      expect(isStaleReject(code, reason), `${code} ${reason}`).toBe(false);
    }
  });

  it('stats explains exactly the stale replies as "too late"', () => {
    const reasons = ['Job not found', 'Invalid JobID', 'Stale', 'too late', 'job expired', 'Duplicate share', 'Above target 2', 'Invalid nonce2 length', 'Quantum flux'];
    for (const reason of reasons) {
      const stale = isStaleReject(null, reason);
      expect(explainReject(reason).includes('too late'), reason).toBe(stale);
      expect(['job-not-found', 'stale'].includes(rejectReasonKey(reason)), reason).toBe(stale);
    }
  });
});
