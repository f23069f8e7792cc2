import { describe, expect, it } from 'vitest';
import { Block, Transaction } from 'bitcoinjs-lib';
import { hashToDisplayHex, sha256d } from '../../../../src-main/bitcoin/sha256d.js';
import { merkleRoot, merkleRootFromBranches } from '../../../../src-main/bitcoin/merkle.js';
import { hashMeetsTarget, nbitsToTarget } from '../../../../src-main/bitcoin/target.js';
import { bip34HeightPush, buildCoinbaseParts, coinbaseForBlock } from '../../../../src-main/work/node/coinbase.js';
import { assembleBlock, encodeVarint, strippedCoinbase } from '../../../../src-main/work/node/block.js';
import { buildNodeWork, parseBlockTemplate, witnessCommitmentScript, type BlockTemplate } from '../../../../src-main/work/node/template.js';
import { parsePayoutAddress } from '../../../../src-main/work/address.js';
import { loadVector } from '../../../helpers/vectors.js';

const v = loadVector('regtest-height1-derived.json');
const bip34 = loadVector('bits-difficulty-bip34.json').bip34_height_push.cases as Array<{ height: number; push_hex: string }>;

/** The GBT a regtest node would serve for height 1 on the genesis block, segwit active. */
function height1Template(extra: Partial<BlockTemplate> = {}): BlockTemplate {
  return parseBlockTemplate({
    version: 0x20000000,
    previousblockhash: v.regtest_genesis_hash,
    transactions: [],
    coinbasevalue: v.payout.value_sats,
    height: 1,
    bits: v.nbits,
    target: v.target_hex,
    curtime: v.time,
    mintime: v.time - 600,
    longpollid: `${v.regtest_genesis_hash}1`,
    default_witness_commitment: v.empty_block_witness_commitment_script,
    rules: ['csv', '!segwit', 'taproot'],
    ...extra,
  });
}

const payout = parsePayoutAddress(v.payout.address);
const en2 = Buffer.from('0000000001000000', 'hex'); // the vector's extranonce area
const build = (gbt: BlockTemplate, nowMs = v.time * 1000) =>
  buildNodeWork(gbt, { key: 'k1', sourceId: 'http://node', sourceJobId: '1', payoutScript: payout.script, tag: '', versionMask: 0, cleanJobs: true, nowMs });

describe('BIP34 height push (vectors/bits-difficulty-bip34.json)', () => {
  for (const c of bip34) {
    it(`height ${c.height} → ${c.push_hex}`, () => expect(bip34HeightPush(c.height).toString('hex')).toBe(c.push_hex));
  }
  it('refuses a negative height', () => expect(() => bip34HeightPush(-1)).toThrow(/non-negative/));
});

describe('regtest height-1 block reproduced byte for byte (vectors/regtest-height1-derived.json)', () => {
  const work = build(height1Template());
  const t = work.template;
  const stripped = strippedCoinbase(t, en2);

  it('splits the coinbase around an 8-byte extranonce2 with an empty extranonce1', () => {
    expect(t.extranonce1.length).toBe(0);
    expect(t.extranonce2Size).toBe(8);
    expect(stripped.toString('hex')).toBe(v.good.coinbase_stripped_hex);
    expect(t.coinb1.toString('hex').endsWith('0a5108')).toBe(true);
  });

  it('witness-serialises the coinbase for the block', () => {
    expect(work.segwit).toBe(true);
    expect(coinbaseForBlock(stripped, true).toString('hex')).toBe(v.good.coinbase_full_hex);
  });

  it('txid from the stripped coinbase, merkle root, header and block hash', () => {
    const txid = sha256d(stripped);
    expect(hashToDisplayHex(txid)).toBe(v.good.coinbase_txid);
    expect(merkleRootFromBranches(txid, t.merkleBranches).toString('hex')).toBe(v.good.merkle_root_header_order);
    const block = assembleBlock(t, work.segwit, [], { extranonce2: en2, version: t.version, ntime: t.ntime, nonce: v.good.nonce });
    expect(block.header.toString('hex')).toBe(v.good.header_hex);
    expect(hashToDisplayHex(block.hash)).toBe(v.good.block_hash);
    expect(block.bytes.toString('hex')).toBe(v.good.block_hex);
    expect(hashMeetsTarget(block.hash, t.networkTarget)).toBe(true);
  });

  it('fills the WorkTemplate fields from the template', () => {
    expect(hashToDisplayHex(t.prevHash)).toBe(v.regtest_genesis_hash);
    expect(t.nbits).toBe(0x207fffff);
    expect(t.networkTarget).toBe(nbitsToTarget(0x207fffff));
    expect(t.shareTarget).toBe(t.networkTarget);
    expect(t.shareDifficulty).toBeCloseTo(v.network_difficulty, 20);
    expect(t.ntime).toBe(v.time);
    expect(t.height).toBe(1);
    expect(t.merkleBranches).toEqual([]);
    expect(t.sourceKind).toBe('node');
  });

  it('ntime is max(mintime, now)', () => {
    expect(build(height1Template({ mintime: v.time + 5 })).template.ntime).toBe(v.time + 5);
    expect(build(height1Template(), (v.time + 99) * 1000).template.ntime).toBe(v.time + 99);
  });

  it('the empty-block commitment matches our own BIP141 computation', () => {
    expect(witnessCommitmentScript([]).toString('hex')).toBe(v.empty_block_witness_commitment_script);
    const noDefault = build(height1Template({ default_witness_commitment: undefined }));
    expect(strippedCoinbase(noDefault.template, en2).toString('hex')).toBe(v.good.coinbase_stripped_hex);
  });

  it('omits commitment and witness when rules lack segwit (bcoin before activation)', () => {
    const w = build(height1Template({ rules: [] }));
    expect(w.segwit).toBe(false);
    const s = strippedCoinbase(w.template, en2);
    expect(s.toString('hex')).not.toContain('6a24aa21a9ed');
    expect(coinbaseForBlock(s, false)).toEqual(s);
    const tx = Transaction.fromBuffer(s);
    expect(tx.outs.length).toBe(1);
    expect(tx.outs[0]!.value).toBe(v.payout.value_sats);
  });

  it('the known-bad encoding (0101 height) is not what we build', () => {
    expect(strippedCoinbase(t, en2).toString('hex')).not.toBe(v.bad.coinbase_stripped_hex);
  });
});

describe('templates with transactions', () => {
  // Two real-shaped transactions (one legacy, one segwit) built with bitcoinjs.
  const txs = [makeTx(1, false), makeTx(2, true), makeTx(3, false)];
  const gbt = height1Template({
    height: 500,
    coinbasevalue: 0, // regtest subsidy can reach 0: a zero-value payout must still be built
    transactions: txs.map((tx) => ({ data: tx.toHex(), txid: tx.getId(), hash: tx.getHash(true).reverse().toString('hex') })),
    default_witness_commitment: undefined,
  });
  const work = buildNodeWork(gbt, { key: 'k', sourceId: 'n', sourceJobId: '1', payoutScript: payout.script, tag: '/HashDeck/', versionMask: 0x1fffe000, cleanJobs: false, nowMs: Date.now() });

  it('branches from txids give the same root as the full tree', () => {
    const stripped = strippedCoinbase(work.template, Buffer.alloc(8, 0xab));
    const cbTxid = sha256d(stripped);
    const full = merkleRoot([cbTxid, ...txs.map((tx) => tx.getHash())]);
    expect(merkleRootFromBranches(cbTxid, work.template.merkleBranches)).toEqual(full);
  });

  it('assembles a block bitcoinjs-lib accepts (tx roots, witness commitment, tag, height)', () => {
    const t = work.template;
    // regtest target: find a nonce by brute force with the real header builder.
    let block;
    for (let nonce = 0; ; nonce++) {
      block = assembleBlock(
        t,
        work.segwit,
        txs.map((tx) => tx.toHex()),
        { extranonce2: Buffer.alloc(8, 1), version: t.version | 0x2000, ntime: t.ntime, nonce },
      );
      if (hashMeetsTarget(block.hash, t.networkTarget)) break;
    }
    const parsed = Block.fromBuffer(block.bytes);
    expect(parsed.transactions!.length).toBe(4);
    expect(parsed.checkTxRoots()).toBe(true);
    expect(parsed.checkProofOfWork()).toBe(true);
    expect(parsed.getHash()).toEqual(block.hash);
    const cb = parsed.transactions![0]!;
    expect(cb.ins[0]!.script.subarray(0, 3).toString('hex')).toBe('02f401'); // BIP34 height 500
    expect(cb.ins[0]!.script.toString('latin1')).toContain('/HashDeck/');
    expect(cb.ins[0]!.witness).toEqual([Buffer.alloc(32)]);
    expect(cb.outs[0]!.value).toBe(0);
    expect(cb.outs[0]!.script).toEqual(payout.script);
    expect(cb.outs[cb.outs.length - 1]!.script.subarray(0, 6).toString('hex')).toBe('6a24aa21a9ed');
    // Later txs are copied verbatim.
    expect(parsed.transactions![2]!.toHex()).toBe(txs[1]!.toHex());
  });
});

describe('guards', () => {
  it('malformed templates give one sentence', () => {
    expect(() => parseBlockTemplate({ version: 1 })).toThrow(/block template is malformed/);
    expect(() => parseBlockTemplate({ ...height1Template(), previousblockhash: 'zz' })).toThrow(/previousblockhash/);
    expect(() => parseBlockTemplate({ ...height1Template(), transactions: [{ data: 'abc', txid: 'a'.repeat(64) }] })).toThrow(/transactions/);
  });
  it('coinbase limits', () => {
    // Height 1 pushes as OP_1 (1 byte): 100 − 1 − 9 = 90 bytes for the tag push, OP_PUSHDATA1 + length + 88.
    expect(() => buildCoinbaseParts({ height: 1, tag: 'x'.repeat(89), payoutScript: payout.script, valueSats: 1, witnessCommitment: null })).toThrow(/89 bytes but only 88 fit/);
    const full = buildCoinbaseParts({ height: 1, tag: 'x'.repeat(88), payoutScript: payout.script, valueSats: 1, witnessCommitment: null });
    // version(4) + input count(1) + prevout(36), then the scriptSig length byte: exactly 100.
    expect(full.coinb1[41]).toBe(100);
    expect(full.coinb1.subarray(42, 45).toString('hex')).toBe('514c58');
    expect(() => buildCoinbaseParts({ height: 1, tag: '', payoutScript: payout.script, valueSats: -1, witnessCommitment: null })).toThrow(/non-negative/);
  });
  it('varint boundaries', () => {
    expect(encodeVarint(0xfc).toString('hex')).toBe('fc');
    expect(encodeVarint(0xfd).toString('hex')).toBe('fdfd00');
    expect(encodeVarint(0x10000).toString('hex')).toBe('fe00000100');
  });
});

function makeTx(seed: number, witness: boolean): Transaction {
  const tx = new Transaction();
  tx.version = 2;
  tx.addInput(Buffer.alloc(32, seed), seed, 0xfffffffd, witness ? Buffer.alloc(0) : Buffer.from([0x51]));
  tx.addOutput(Buffer.from('0014' + '11'.repeat(20), 'hex'), 1000 * seed);
  if (witness) tx.setWitness(0, [Buffer.alloc(71, seed), Buffer.alloc(33, 2)]);
  return tx;
}
