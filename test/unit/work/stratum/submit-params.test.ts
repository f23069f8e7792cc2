import { describe, expect, it } from 'vitest';
import { hex8, shareKey, submitParams } from '../../../../src-main/work/stratum/submit-params.js';
import type { Job, Share, WorkTemplate } from '../../../../src-main/work/job.js';

function share(over: { version?: number; nonce?: number; ntime?: number; en2?: string; mask?: number; base?: number } = {}): Share {
  const template = {
    key: 'k',
    sourceKind: 'stratum',
    sourceId: 'p',
    sourceJobId: '1',
    extranonce1: Buffer.from('aabbccdd', 'hex'),
    extranonce2Size: 4,
    version: over.base ?? 0x20000000,
    versionMask: over.mask ?? 0x1fffe000,
    shareDifficulty: 1,
  } as unknown as WorkTemplate;
  const job = { id: 1, template, extranonce2: Buffer.from(over.en2 ?? '99020000', 'hex'), merkleRoot: Buffer.alloc(32), boardId: 'b', sentAtMs: 0 } as Job;
  return {
    job,
    nonce: over.nonce ?? 0x2402812d,
    version: over.version ?? 0x20006000,
    ntime: over.ntime ?? 0x64b1f10f,
    hash: Buffer.alloc(32),
    difficulty: 1,
    isBlockCandidate: false,
    boardId: 'b',
    chipIndex: 0,
    foundAtMs: 0,
  };
}

describe('submitParams', () => {
  it('matches the public-pool submit vector (version bits = rolled XOR base)', () => {
    const r = submitParams('tb1qumezefzdeqqwn5zfvgdrhxjzc5ylr39uhuxcz4.bitaxe3', share(), true);
    expect(r).toEqual({ ok: true, versionBits: 0x6000, params: ['tb1qumezefzdeqqwn5zfvgdrhxjzc5ylr39uhuxcz4.bitaxe3', '1', '99020000', '64b1f10f', '2402812d', '00006000'] });
  });

  it('nonce is %08x of the u32 (header bytes d1 9e 02 0a → "0a029ed1"), zero-padded', () => {
    const hdr = Buffer.from('d19e020a', 'hex');
    const r = submitParams('u', share({ nonce: hdr.readUInt32LE(0), ntime: 0x1234, version: 0x20000000 }), true);
    expect(r.ok && r.params.slice(3)).toEqual(['00001234', '0a029ed1', '00000000']);
    expect(hex8(0xffffffff)).toBe('ffffffff');
    expect(hex8(-1)).toBe('ffffffff');
  });

  it('omits the 6th param when version rolling was not granted', () => {
    const r = submitParams('u', share({ version: 0x20000000, mask: 0 }), false);
    expect(r.ok && r.params.length).toBe(5);
    expect(submitParams('u', share({ version: 0x20002000, mask: 0 }), false).ok).toBe(false);
  });

  it('refuses bits outside the mask and a wrong extranonce2 length', () => {
    const outside = submitParams('u', share({ version: 0x20000001 }), true);
    expect(outside.ok).toBe(false);
    if (!outside.ok) expect(outside.error).toMatch(/outside mask/);
    expect(submitParams('u', share({ en2: '990200' }), true).ok).toBe(false);
  });

  it('a job version with a set mask bit: submits only the changed bits', () => {
    const r = submitParams('u', share({ base: 0x20002000, version: 0x20004000 }), true);
    expect(r.ok && r.params[5]).toBe('00006000');
  });

  it('shareKey differs for any field and is stable', () => {
    const base = shareKey(share());
    expect(shareKey(share())).toBe(base);
    for (const s of [share({ nonce: 1 }), share({ ntime: 1 }), share({ en2: '00000000' }), share({ version: 0x20002000 })]) expect(shareKey(s)).not.toBe(base);
  });
});
