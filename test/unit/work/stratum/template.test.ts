import { describe, expect, it } from 'vitest';
import { loadVector } from '../../../helpers/vectors.js';
import { parsePoolMessage, type NotifyParams } from '../../../../src-main/work/stratum/messages.js';
import { coinbaseHeight, notifyToTemplate, type TemplateContext } from '../../../../src-main/work/stratum/template.js';
import { displayPrevHashToStratum } from '../../../../src-main/bitcoin/prevhash.js';
import { encodeHeader } from '../../../../src-main/bitcoin/header.js';
import { merkleRootFromBranches } from '../../../../src-main/bitcoin/merkle.js';
import { sha256d, hashToDisplayHex } from '../../../../src-main/bitcoin/sha256d.js';
import { difficultyToTarget, nbitsToTarget } from '../../../../src-main/bitcoin/target.js';
import { checkPayout } from '../../../../src-main/work/stratum/payout.js';

const messages = loadVector<{ cases: Array<{ name: string; line: string }> }>('stratum-messages.json');
const regtest = loadVector('regtest-height1-derived.json');
const bip34 = loadVector('bits-difficulty-bip34.json');

function notifyOf(line: string): NotifyParams {
  const r = parsePoolMessage(line);
  if (!r.ok || r.value.kind !== 'notify') throw new Error('not a notify');
  return r.value.params;
}

const ctx = (over: Partial<TemplateContext> = {}): TemplateContext => ({
  sourceId: 'stratum+tcp://pool.test:3333',
  sessionId: 7,
  sequence: 1,
  extranonce1: Buffer.from('00112233445566', 'hex'),
  extranonce2Size: 8,
  versionMask: 0x1fffe000,
  difficulty: 1638,
  nowMs: 1,
  ...over,
});

/** The whole pipeline from a template: coinbase → txid → merkle root → header → hash. */
function headerOf(t: ReturnType<typeof notifyToTemplate>, extranonce2: Buffer, nonce: number, version = t.version) {
  const coinbase = Buffer.concat([t.coinb1, t.extranonce1, extranonce2, t.coinb2]);
  const root = merkleRootFromBranches(sha256d(coinbase), t.merkleBranches);
  const header = encodeHeader({ version, prevHash: t.prevHash, merkleRoot: root, ntime: t.ntime, nbits: t.nbits, nonce });
  return { coinbase, root, header, hash: sha256d(header) };
}

describe('notify → WorkTemplate (mainnet notify vector, ESP-Miner test_stratum_json.c)', () => {
  const n = notifyOf(messages.cases[0]!.line);
  const t = notifyToTemplate(n, ctx());

  it('header fields land in the documented byte order', () => {
    const { header } = headerOf(t, Buffer.alloc(8), 0x0a029ed1);
    // version "20000004" → 04 00 00 20 (§1.5)
    expect(header.subarray(0, 4).toString('hex')).toBe('04000020');
    // prevhash: each 4-byte word of the stratum text reversed → header bytes
    expect(header.subarray(4, 36).toString('hex')).toBe(['489a4bef', '666498c7', '00dc4ade', 'a637732f', '43bc21e1', 'ea760300', '00000000', '00000000'].join(''));
    // … which reads, reversed, as a real block hash with leading zeros
    expect(hashToDisplayHex(t.prevHash)).toBe(['00000000', '00000000', '000376ea', 'e121bc43', '2f7337a6', 'de4adc00', 'c7986466', 'ef4b9a48'].join(''));
    expect(header.subarray(68, 72).toString('hex')).toBe('22554964');
    expect(header.subarray(72, 76).toString('hex')).toBe('39c70517');
    // nonce 0x0a029ed1 → header bytes d1 9e 02 0a (§1.8)
    expect(header.subarray(76, 80).toString('hex')).toBe('d19e020a');
  });

  it('keeps branches in raw order and captures the job difficulty and targets', () => {
    expect(t.merkleBranches.map((b) => b.toString('hex'))).toEqual(n.merkleBranchesHex);
    expect(t.sourceJobId).toBe('1d2e0c4d3d');
    expect(t.version).toBe(0x20000004);
    expect(t.nbits).toBe(0x1705c739);
    expect(t.ntime).toBe(0x64495522);
    expect(t.shareTarget).toBe(difficultyToTarget(1638));
    expect(t.shareDifficulty).toBe(1638);
    expect(t.networkTarget).toBe(nbitsToTarget(0x1705c739));
    expect(t.versionMask).toBe(0x1fffe000);
    expect(t.cleanJobs).toBe(false);
    expect(t.key).toContain('#7/1d2e0c4d3d/');
  });

  it('reads the BIP34 height from coinb1 (03a5020c → 787109)', () => {
    expect(t.height).toBe(787109);
  });

  it('the coinbase decodes with 15 bytes of extranonce and pays Slush Pool 6.55198666 BTC', () => {
    const check = checkPayout(t, '1CK6KHY6MHgYvmRQ4PAafKYDrg1ejbH1cE.worker');
    expect(check.outputs.map((o) => o.valueSats)).toEqual([655198666, 0, 0]);
    expect(check.outputs[0]!.address).toBe('1CK6KHY6MHgYvmRQ4PAafKYDrg1ejbH1cE');
    expect(check.outputs[2]!.scriptHex.startsWith('6a24aa21a9ed')).toBe(true);
    expect(check.payoutShare).toBe(1);
    expect(() => checkPayout({ ...t, extranonce2Size: 4 }, 'x')).toThrow(/coinbase does not decode/);
  });

  it('clean_jobs comes from the last param (10-param notify)', () => {
    const t10 = notifyToTemplate(notifyOf(messages.cases[1]!.line), ctx());
    expect(t10.cleanJobs).toBe(true);
    expect(notifyToTemplate(n, ctx({ forceClean: true })).cleanJobs).toBe(true);
  });

  it('fractional difficulty gives the exact fractional target', () => {
    const tf = notifyToTemplate(n, ctx({ difficulty: 0.5 }));
    expect(tf.shareTarget).toBe((0xffffn << 208n) * 2n);
  });
});

describe('notify → header known answer (regtest height-1 block, docs/vectors/regtest-height1-derived.json)', () => {
  it('rebuilds the exact header and block hash', () => {
    const good = regtest.good;
    const stripped: string = good.coinbase_stripped_hex;
    // scriptSig = 51 08 <00000000 01000000>: split the 8-byte push into extranonce1 ‖ extranonce2.
    const at = stripped.indexOf('0a5108') + 6;
    const coinb1 = stripped.slice(0, at);
    const coinb2 = stripped.slice(at + 16);
    const notify: NotifyParams = {
      jobId: 'r1',
      prevHashHex: displayPrevHashToStratum(regtest.regtest_genesis_hash),
      coinb1Hex: coinb1,
      coinb2Hex: coinb2,
      merkleBranchesHex: [],
      versionHex: '20000000',
      nbitsHex: regtest.nbits,
      ntimeHex: (regtest.time as number).toString(16).padStart(8, '0'),
      cleanJobs: true,
    };
    const t = notifyToTemplate(notify, ctx({ extranonce1: Buffer.from('00000000', 'hex'), extranonce2Size: 4 }));
    const { coinbase, root, header, hash } = headerOf(t, Buffer.from('01000000', 'hex'), good.nonce);
    expect(coinbase.toString('hex')).toBe(stripped);
    expect(hashToDisplayHex(sha256d(coinbase))).toBe(good.coinbase_txid);
    expect(root.toString('hex')).toBe(good.merkle_root_header_order);
    expect(header.toString('hex')).toBe(good.header_hex);
    expect(hashToDisplayHex(hash)).toBe(good.block_hash);
    expect(t.height).toBe(1);
    const pay = checkPayout(t, `${regtest.payout.address}.rig`);
    expect(pay.payoutShare).toBe(1);
    expect(pay.userSats).toBe(regtest.payout.value_sats);
  });
});

describe('coinbaseHeight', () => {
  const prefix = '01000000' + '01' + '00'.repeat(32) + 'ffffffff';
  it('decodes every BIP34 push in the vectors', () => {
    const all: Array<{ height: number; push_hex: string }> = [...bip34.bip34_height_push.cases, ...bip34.bip34_height_push.real_block_checks];
    expect(all.length).toBeGreaterThan(5);
    for (const p of all) {
      const script = p.push_hex + '00'.repeat(8);
      const coinb1 = Buffer.from(prefix + (script.length / 2).toString(16).padStart(2, '0') + script, 'hex');
      expect(coinbaseHeight(coinb1), String(p.height)).toBe(p.height);
    }
  });
  it('returns undefined for truncated or non-height scripts', () => {
    expect(coinbaseHeight(Buffer.from('0100', 'hex'))).toBeUndefined();
    expect(coinbaseHeight(Buffer.from(prefix + '05' + '4f', 'hex'))).toBeUndefined();
    expect(coinbaseHeight(Buffer.from(prefix + '05' + '03a502', 'hex'))).toBeUndefined();
  });
});
