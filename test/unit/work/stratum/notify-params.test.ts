import { describe, expect, it } from 'vitest';
import { parseNotifyParams } from '../../../../src-main/work/stratum/notify-params.js';
import { parsePoolMessage } from '../../../../src-main/work/stratum/messages.js';

const H64 = 'ab'.repeat(32);
const good = (): unknown[] => ['job1', H64.toUpperCase(), '01000000', 'FFFFFFFF', [H64, 'CD'.repeat(32)], '20000000', '1d00ffff', '5f5e1000', true];

describe('parseNotifyParams', () => {
  it('takes a well-formed notify and lower-cases its hex', () => {
    const r = parseNotifyParams(good());
    expect(r).toEqual({
      ok: true,
      value: {
        jobId: 'job1',
        prevHashHex: H64,
        coinb1Hex: '01000000',
        coinb2Hex: 'ffffffff',
        merkleBranchesHex: [H64, 'cd'.repeat(32)],
        versionHex: '20000000',
        nbitsHex: '1d00ffff',
        ntimeHex: '5f5e1000',
        cleanJobs: true,
      },
    });
  });

  it('takes extra params before clean_jobs, which is always the last one', () => {
    const p = good();
    p.splice(8, 0, 'extra', 7);
    p[p.length - 1] = false;
    const r = parseNotifyParams(p);
    expect(r.ok && r.value.cleanJobs).toBe(false);
  });

  const bad: Array<[string, (p: unknown[]) => unknown, RegExp]> = [
    ['not an array', () => ({}), /^params: expected an array/],
    ['8 params', (p) => p.slice(0, 8), /≥ 9 params/],
    ['clean_jobs as text', (p) => [...p.slice(0, 8), 'true'], /clean_jobs \(boolean\) last/],
    ['an empty job id', (p) => ['', ...p.slice(1)], /^params\.0: /],
    ['a 257-character job id', (p) => ['j'.repeat(257), ...p.slice(1)], /^params\.0: /],
    ['a numeric job id', (p) => [7, ...p.slice(1)], /^params\.0: expected a string/],
    ['a short prev hash', (p) => [p[0], 'ab', ...p.slice(2)], /^params\.1: 64 hex digits/],
    ['odd-length coinb1', (p) => [p[0], p[1], 'abc', ...p.slice(3)], /^params\.2: hex string/],
    ['non-hex coinb2', (p) => [...p.slice(0, 3), 'zz', ...p.slice(4)], /^params\.3: hex string/],
    ['branches not an array', (p) => [...p.slice(0, 4), H64, ...p.slice(5)], /^params\.4: expected an array/],
    ['a bad branch', (p) => [...p.slice(0, 4), [H64, 'ab'], ...p.slice(5)], /^params\.4\.1: 64 hex digits/],
    ['33 branches', (p) => [...p.slice(0, 4), Array(33).fill(H64), ...p.slice(5)], /^params\.4: at most 32/],
    ['a 7-digit version', (p) => [...p.slice(0, 5), '2000000', ...p.slice(6)], /^params\.5: 8 hex digits/],
    ['nbits as a number', (p) => [...p.slice(0, 6), 0x1d00ffff, ...p.slice(7)], /^params\.6: expected a string/],
    ['a bad ntime', (p) => [...p.slice(0, 7), 'xxxxxxxx', p[8]], /^params\.7: 8 hex digits/],
  ];
  for (const [name, mutate, reason] of bad) {
    it(`refuses ${name} with a reason`, () => {
      const r = parseNotifyParams(mutate(good()));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(reason);
    });
  }

  it('reaches parsePoolMessage: a bad notify is dropped with the method named, a bad id too', () => {
    const line = (params: unknown, id: unknown = null) => JSON.stringify({ id, method: 'mining.notify', params });
    const ok = parsePoolMessage(line(good(), 5));
    expect(ok.ok && ok.value.kind === 'notify' && ok.value.id).toBe(5);
    const r = parsePoolMessage(line([...good().slice(0, 5), '2000000', ...good().slice(6)]));
    expect(r).toEqual({ ok: false, error: 'bad mining.notify: params.5: 8 hex digits' });
    expect(parsePoolMessage(line(good(), { x: 1 })).ok).toBe(false);
  });
});
