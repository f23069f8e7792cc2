import { describe, expect, it } from 'vitest';
import { difficultyToTarget } from '../../../../src-main/bitcoin/target.js';
import { ServerJob } from '../../../../src-main/work/stratum-server/jobs.js';
import { checkShare, type ShareJob } from '../../../../src-main/work/stratum-server/share-check.js';
import { STRATUM_ERROR } from '../../../../src-main/work/stratum-server/replies.js';
import { buildHeader, hashValue, minerJobFromNotify, targetFromNbits, targetOf, type MinerJob } from '../../../fixtures/stratum/test-miner.js';
import { nodeTemplate } from '../../../fixtures/work/node-template.js';

const SLOT = Buffer.from('00000007', 'hex');
const DIFFICULTY = 1e-6;

/** The job as a miner reads it from the notify line (the independent grinder's view). */
function minerView(job: ServerJob): MinerJob {
  return minerJobFromNotify((JSON.parse(job.notifyLine(true)) as { params: unknown[] }).params, DIFFICULTY);
}

/** Grind with the test's own header code; deterministic (fixed extranonce2, nonces from `from`). */
function grind(job: MinerJob, en2: string, version: number, wantValue: (v: bigint) => boolean, from = 0): { nonce: number; value: bigint } {
  const header = buildHeader(job, SLOT.toString('hex'), en2, 0, version);
  for (let nonce = from; ; nonce++) {
    header.writeUInt32LE(nonce, 76);
    const value = hashValue(header);
    if (wantValue(value)) return { nonce, value };
  }
}

function swap32(n: number): number {
  return (((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24)) >>> 0;
}

describe('share check (one header builder, exact targets)', () => {
  const template = nodeTemplate();
  const job = new ServerJob('1', template);
  const view = minerView(job);
  const shareJob: ShareJob = { template, slotPrefix: SLOT, minerExtranonce2Size: 4 };
  const target = difficultyToTarget(DIFFICULTY);
  const rules = { versionMask: 0x1fffe000, shareTarget: target };
  const en2 = 'a1b2c3d4';

  it('accepts a share ground by an independent miner, with the same hash', () => {
    const found = grind(view, en2, template.version, (v) => v <= targetOf(DIFFICULTY));
    const r = checkShare(shareJob, { extranonce2: Buffer.from(en2, 'hex'), ntime: template.ntime, nonce: found.nonce, versionBits: null }, rules);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.meetsShareTarget).toBe(true);
    expect(r.isBlock).toBe(false);
    expect(BigInt('0x' + Buffer.from(r.hash).reverse().toString('hex'))).toBe(found.value);
    expect(r.sourceExtranonce2.toString('hex')).toBe('00000007a1b2c3d4');
    expect(r.version).toBe(template.version);
  });

  it('rolls the version with the 6th param (job version XOR bits, inside the mask)', () => {
    const bits = 0x0badc000 & 0x1fffe000;
    const found = grind(view, en2, (template.version ^ bits) >>> 0, (v) => v <= targetOf(DIFFICULTY));
    const r = checkShare(shareJob, { extranonce2: Buffer.from(en2, 'hex'), ntime: template.ntime, nonce: found.nonce, versionBits: bits }, rules);
    expect(r.ok && r.meetsShareTarget).toBe(true);
    expect(r.ok && r.version).toBe((0x20000000 ^ bits) >>> 0);
    // The same nonce without its version bits is another header.
    const without = checkShare(shareJob, { extranonce2: Buffer.from(en2, 'hex'), ntime: template.ntime, nonce: found.nonce, versionBits: null }, rules);
    expect(without.ok && BigInt('0x' + Buffer.from(without.hash).reverse().toString('hex'))).not.toBe(found.value);
  });

  it('a nonce, an extranonce2 or version bits in the flipped byte order fail', () => {
    // Pick a valid share whose byte-swapped nonce would not also be valid (deterministic search).
    let from = 0;
    for (let attempt = 0; ; attempt++) {
      const found = grind(view, en2, template.version, (v) => v <= targetOf(DIFFICULTY), from);
      const flipped = swap32(found.nonce);
      if (hashValue(buildHeader(view, SLOT.toString('hex'), en2, flipped, template.version)) > targetOf(DIFFICULTY)) {
        const r = checkShare(shareJob, { extranonce2: Buffer.from(en2, 'hex'), ntime: template.ntime, nonce: flipped, versionBits: null }, rules);
        expect(r.ok && r.meetsShareTarget).toBe(false);
        const good = checkShare(shareJob, { extranonce2: Buffer.from(en2, 'hex'), ntime: template.ntime, nonce: found.nonce, versionBits: null }, rules);
        expect(good.ok && good.meetsShareTarget).toBe(true);
        const reversedEn2 = checkShare(shareJob, { extranonce2: Buffer.from(en2, 'hex').reverse(), ntime: template.ntime, nonce: found.nonce, versionBits: null }, rules);
        expect(reversedEn2.ok && reversedEn2.meetsShareTarget).toBe(false);
        break;
      }
      from = found.nonce + 1;
      if (attempt > 5) throw new Error('could not find a share whose flipped nonce fails');
    }
    // Version bits 0x00e0ff1f are 1fffe000 with its bytes reversed: outside the mask.
    const r = checkShare(shareJob, { extranonce2: Buffer.from(en2, 'hex'), ntime: template.ntime, nonce: 0, versionBits: swap32(0x1fffe000) }, rules);
    expect(r).toEqual({ ok: false, rejection: { code: STRATUM_ERROR.other, message: 'Version bits 00e0ff1f outside the mask 1fffe000' } });
    // An ntime with its bytes reversed lands decades away.
    const t = checkShare(shareJob, { extranonce2: Buffer.from(en2, 'hex'), ntime: swap32(template.ntime), nonce: 0, versionBits: null }, rules);
    expect(t).toEqual({ ok: false, rejection: { code: STRATUM_ERROR.other, message: 'Ntime out of range' } });
  });

  it('refuses a wrong extranonce2 size, version bits without a grant, and ntime out of range', () => {
    const base = { extranonce2: Buffer.from(en2, 'hex'), ntime: template.ntime, nonce: 1, versionBits: null };
    expect(checkShare(shareJob, { ...base, extranonce2: Buffer.from('a1b2c3', 'hex') }, rules)).toMatchObject({
      ok: false,
      rejection: { code: 20, message: 'Invalid extranonce2 size (expected 4 bytes)' },
    });
    expect(checkShare(shareJob, { ...base, versionBits: 0x2000 }, { ...rules, versionMask: 0 })).toMatchObject({ ok: false, rejection: { code: 20, message: 'Version rolling was not negotiated' } });
    expect(checkShare(shareJob, { ...base, versionBits: 0x1000 }, rules)).toMatchObject({ ok: false, rejection: { code: 20 } });
    expect(checkShare(shareJob, { ...base, ntime: template.ntime - 1 }, rules)).toMatchObject({ ok: false, rejection: { message: 'Ntime out of range' } });
    expect(checkShare(shareJob, { ...base, ntime: template.ntime + 7000 }, rules).ok).toBe(true);
    expect(checkShare(shareJob, { ...base, ntime: template.ntime + 7001 }, rules).ok).toBe(false);
    // Zero version bits are the same as none, granted or not.
    expect(checkShare(shareJob, { ...base, versionBits: 0 }, { ...rules, versionMask: 0 }).ok).toBe(true);
  });

  it('compares exact integers: a target equal to the hash passes, one less fails', () => {
    const found = grind(view, en2, template.version, (v) => v <= targetOf(DIFFICULTY));
    const s = { extranonce2: Buffer.from(en2, 'hex'), ntime: template.ntime, nonce: found.nonce, versionBits: null };
    expect(checkShare(shareJob, s, { ...rules, shareTarget: found.value })).toMatchObject({ ok: true, meetsShareTarget: true });
    expect(checkShare(shareJob, s, { ...rules, shareTarget: found.value - 1n })).toMatchObject({ ok: true, meetsShareTarget: false });
  });

  it('recognises a block by the network target even below the share target', () => {
    const regtest = nodeTemplate({ bits: '207fffff' });
    const regtestView = minerView(new ServerJob('2', regtest));
    const networkTarget = targetFromNbits('207fffff');
    const judge = (nonce: number) =>
      checkShare({ ...shareJob, template: regtest }, { extranonce2: Buffer.from(en2, 'hex'), ntime: regtest.ntime, nonce, versionBits: null }, { versionMask: 0x1fffe000, shareTarget: 0n });
    const block = grind(regtestView, en2, regtest.version, (v) => v <= networkTarget);
    expect(judge(block.nonce)).toMatchObject({ ok: true, isBlock: true, meetsSourceTarget: true, meetsShareTarget: false });
    const notBlock = grind(regtestView, en2, regtest.version, (v) => v > networkTarget);
    expect(judge(notBlock.nonce)).toMatchObject({ ok: true, isBlock: false, meetsSourceTarget: false });
  });
});
