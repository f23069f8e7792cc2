import { describe, expect, it } from 'vitest';
import {
  DIFF1_TARGET,
  difficultyOfHash,
  difficultyToTarget,
  hashMeetsTarget,
  hashToBigInt,
  isNegativeNbits,
  nbitsToTarget,
  networkDifficulty,
  targetToDifficulty,
  targetToHex,
  targetToNbits,
} from '../../../src-main/bitcoin/target.js';
import { loadVector } from '../../helpers/vectors.js';

const v = loadVector('bits-difficulty-bip34.json');
const block = loadVector('block-125552.json');

describe('nBits ↔ target', () => {
  for (const c of v.compact_targets_bitcoinjs.cases as { bits: string; expected: string }[]) {
    it(`0x${c.bits}`, () => {
      const target = nbitsToTarget(parseInt(c.bits, 16));
      expect(targetToHex(target)).toBe(c.expected);
      // Round trip where the compact form is canonical (0x0cffca00 has the sign bit set).
      if (!isNegativeNbits(parseInt(c.bits, 16))) expect(targetToNbits(target)).toBe(parseInt(c.bits, 16));
    });
  }
  it('difficulty-1 target', () => {
    expect(targetToHex(DIFF1_TARGET)).toBe(v.difficulty_one_target_hex);
    expect(nbitsToTarget(0x1d00ffff)).toBe(DIFF1_TARGET);
  });
  it('flags negative compact encodings and refuses overflow', () => {
    expect(isNegativeNbits(0x04923456)).toBe(true);
    expect(isNegativeNbits(0x1d00ffff)).toBe(false);
    expect(() => nbitsToTarget(0x2200ffff)).toThrow(/overflows/);
  });
});

describe('network difficulty', () => {
  for (const c of v.network_difficulty as { nbits: string; difficulty: number }[]) {
    it(`0x${c.nbits} → ${c.difficulty}`, () => {
      const d = networkDifficulty(parseInt(c.nbits, 16));
      expect(Math.abs(d - c.difficulty) / c.difficulty).toBeLessThan(1e-12);
    });
  }
});

describe('share difficulty', () => {
  it('of block 125552’s hash', () => {
    const hash = Buffer.from(block.dsha256_raw, 'hex');
    // diff1 / hash computed independently: 0xFFFF·2^208 / 0x1e8d6829a8a21adc5d38d0a473b144b6765798e61f98bd1d
    const exact = Number((DIFF1_TARGET * 10n ** 6n) / hashToBigInt(hash)) / 1e6;
    expect(difficultyOfHash(hash)).toBeCloseTo(exact, 3);
    expect(difficultyOfHash(hash)).toBeGreaterThan(networkDifficulty(block.fields.bits));
  });

  it('reads the hash little-endian (flipping the byte order changes the answer)', () => {
    const hash = Buffer.from(block.dsha256_raw, 'hex');
    expect(difficultyOfHash(Buffer.from(hash).reverse())).toBeLessThan(1);
  });

  it('exact comparison at the boundary', () => {
    const target = difficultyToTarget(1);
    expect(target).toBe(DIFF1_TARGET);
    const atTarget = Buffer.from(targetToHex(target), 'hex').reverse();
    expect(hashMeetsTarget(atTarget, target)).toBe(true);
    const above = Buffer.from(targetToHex(target + 1n), 'hex').reverse();
    expect(hashMeetsTarget(above, target)).toBe(false);
  });

  it('fractional and huge difficulties', () => {
    expect(difficultyToTarget(0.5)).toBe(DIFF1_TARGET * 2n);
    expect(difficultyToTarget(1024)).toBe(DIFF1_TARGET / 1024n);
    expect(targetToDifficulty(difficultyToTarget(1e-5)) / 1e-5).toBeCloseTo(1, 12);
    expect(targetToDifficulty(difficultyToTarget(0.001)) / 0.001).toBeCloseTo(1, 12);
    // Below ~2^-32 every hash meets the target: it is clamped to the largest 256-bit value.
    expect(difficultyToTarget(1e-10)).toBe((1n << 256n) - 1n);
    // What a hostile pool can send: the smallest double (2^scaleBits would overflow) and 1e308.
    expect(difficultyToTarget(5e-324)).toBe((1n << 256n) - 1n);
    expect(difficultyToTarget(Number.MIN_VALUE * 2 ** 60)).toBe((1n << 256n) - 1n);
    expect(difficultyToTarget(1e308)).toBe(0n);
    expect(targetToDifficulty(difficultyToTarget(155973032196071.9)) / 155973032196071.9).toBeCloseTo(1, 12);
    expect(() => difficultyToTarget(0)).toThrow();
    expect(() => difficultyToTarget(Number.NaN)).toThrow();
  });

  it('best difficulty beyond 32 bits stays a plain number', () => {
    const tiny = Buffer.alloc(32);
    tiny[0] = 1; // hash value 1
    expect(difficultyOfHash(tiny)).toBeGreaterThan(2 ** 200);
  });
});
