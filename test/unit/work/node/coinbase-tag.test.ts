import { describe, expect, it } from 'vitest';
import { Transaction } from 'bitcoinjs-lib';
import { coinbaseTagProblem, maxCoinbaseTagBytes, pushBytes } from '../../../../src-main/work/node/coinbase-tag.js';
import { buildCoinbaseParts, EXTRANONCE_BYTES } from '../../../../src-main/work/node/coinbase.js';

const payoutScript = Buffer.from('0014751e76e8199196d454941c45d1b3a323f1433bd6', 'hex');

function scriptSigLength(height: number, tag: string): number {
  const parts = buildCoinbaseParts({ height, tag, payoutScript, valueSats: 625_000_000, witnessCommitment: null });
  const tx = Transaction.fromBuffer(Buffer.concat([parts.coinb1, Buffer.alloc(EXTRANONCE_BYTES), parts.coinb2]));
  return tx.ins[0]!.script.length;
}

describe('coinbase tag room', () => {
  it('push sizes: one opcode byte up to 75, OP_PUSHDATA1 and a length byte above', () => {
    expect(pushBytes(0)).toBe(0);
    expect(pushBytes(75)).toBe(76);
    expect(pushBytes(76)).toBe(78);
  });

  it('today (a 4-byte height push) 85 bytes fit, and the scriptSig is then exactly 100 bytes', () => {
    expect(maxCoinbaseTagBytes()).toBe(85);
    expect(scriptSigLength(905_123, 'h'.repeat(85))).toBe(100);
    expect(() => scriptSigLength(905_123, 'h'.repeat(86))).toThrow(/86 bytes but only 85 fit/);
  });

  it('counts UTF-8 bytes, not characters, and refuses control characters', () => {
    expect(coinbaseTagProblem('₿'.repeat(28))).toBeNull(); // 84 bytes
    expect(coinbaseTagProblem('₿'.repeat(29))).toMatch(/87 bytes but only 85 fit/);
    expect(coinbaseTagProblem('/tag\n/')).toMatch(/control characters/);
    expect(coinbaseTagProblem('/HashDeck/')).toBeNull();
  });

  it('the tag is in the block as written', () => {
    const parts = buildCoinbaseParts({ height: 905_123, tag: '/my rig/', payoutScript, valueSats: 1, witnessCommitment: null });
    expect(parts.coinb1.includes(Buffer.from('/my rig/'))).toBe(true);
  });
});
