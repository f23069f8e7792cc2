import { describe, expect, it } from 'vitest';
import { Block, Transaction } from 'bitcoinjs-lib';
import { sha256d } from '../../../../src-main/bitcoin/sha256d.js';
import { parsePayoutAddress } from '../../../../src-main/work/address.js';
import { assembleBlock } from '../../../../src-main/work/node/block.js';
import { withPayoutScript } from '../../../../src-main/work/node/payout-variant.js';
import { nodeTemplate, REGTEST_PAYOUT } from '../../../fixtures/work/node-template.js';

const OTHER = parsePayoutAddress('bcrt1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqc8gma6');

describe('a node template paying another address', () => {
  const base = nodeTemplate();
  const variant = withPayoutScript(base, OTHER.script);
  const zeros = Buffer.alloc(base.extranonce2Size);
  const tx = (t: typeof base) => Transaction.fromBuffer(Buffer.concat([t.coinb1, t.extranonce1, zeros, t.coinb2]));

  it('replaces only the payout output: same scriptSig (coinb1), value, commitment and key', () => {
    expect(variant.key).toBe(base.key);
    expect(variant.coinb1.equals(base.coinb1)).toBe(true);
    const a = tx(base);
    const b = tx(variant);
    expect(a.outs[0]!.script.equals(parsePayoutAddress(REGTEST_PAYOUT).script)).toBe(true);
    expect(b.outs[0]!.script.equals(OTHER.script)).toBe(true);
    expect(b.outs[0]!.value).toBe(a.outs[0]!.value);
    expect(b.outs.length).toBe(a.outs.length);
    expect(b.outs.at(-1)!.script.equals(a.outs.at(-1)!.script)).toBe(true);
    expect(b.ins[0]!.script.equals(a.ins[0]!.script)).toBe(true);
    expect(b.locktime).toBe(a.locktime);
  });

  it('assembles into a block whose coinbase pays the other address and whose header commits to that coinbase', () => {
    const en2 = Buffer.from('00000005deadbeef', 'hex');
    // The block without its two (fake) transactions: enough to read the header and the coinbase back.
    const assembled = assembleBlock(variant, true, [], { extranonce2: en2, version: variant.version, ntime: variant.ntime, nonce: 7 });
    const block = Block.fromBuffer(assembled.bytes);
    const coinbase = block.transactions![0]!;
    expect(coinbase.outs[0]!.script.equals(OTHER.script)).toBe(true);
    expect(coinbase.hasWitnesses()).toBe(true);
    let root = coinbase.getHash(false);
    for (const b of variant.merkleBranches) root = sha256d(Buffer.concat([root, b]));
    expect(block.merkleRoot!.equals(root)).toBe(true);
  });

  it('refuses a template whose first output is the witness commitment', () => {
    const t = tx(base);
    t.outs.shift();
    const commitmentFirst = { ...base, coinb2: t.toBuffer().subarray(base.coinb1.length + base.extranonce2Size) };
    expect(() => withPayoutScript(commitmentFirst, OTHER.script)).toThrow(/no payout output/);
  });
});
