import { randomBytes } from 'node:crypto';
import * as ecc from '@bitcoinerlab/secp256k1';
import { describe, expect, it } from 'vitest';
import { isXOnlyPoint } from '../../../src-main/bitcoin/x-only-point.js';

describe('isXOnlyPoint (secp256k1 lift_x)', () => {
  it('accepts the generator and rejects x = 5 and x ≥ p', () => {
    expect(isXOnlyPoint(Buffer.from('79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798', 'hex'))).toBe(true);
    const five = Buffer.alloc(32);
    five[31] = 5;
    expect(isXOnlyPoint(five)).toBe(false);
    expect(isXOnlyPoint(Buffer.from('fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f', 'hex'))).toBe(false); // p itself
    expect(isXOnlyPoint(Buffer.alloc(31, 1))).toBe(false);
  });

  it('agrees with libsecp256k1 on 400 random x coordinates (about half are points)', () => {
    let points = 0;
    for (let i = 0; i < 400; i++) {
      const x = randomBytes(32);
      const want = ecc.isXOnlyPoint(x);
      expect(isXOnlyPoint(x), x.toString('hex')).toBe(want);
      if (want) points++;
    }
    expect(points).toBeGreaterThan(120);
    expect(points).toBeLessThan(280);
  });
});
