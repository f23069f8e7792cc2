import { describe, expect, it } from 'vitest';
import { formatIdList, missProbability, noncesPerCoreNeeded, nonceRateHz, requiredRunMs, requiredValidNonces } from '../../../src-main/diagnostics/core-coverage.js';
import { encodeHeader, headerHash } from '../../../src-main/bitcoin/header.js';
import { hashToDisplayHex } from '../../../src-main/bitcoin/sha256d.js';
import { KNOWN_ANSWER_HASH_DISPLAY, KNOWN_ANSWER_NONCE, knownAnswerJob } from '../../../src-main/diagnostics/known-answer-block.js';
import { loadVector } from '../../helpers/vectors.js';

describe('core coverage statistics', () => {
  it('P(miss) < 1e-3 needs ln(1000) ≈ 6.91 nonces per core', () => {
    expect(noncesPerCoreNeeded(1e-3)).toBeCloseTo(6.9078, 4);
    expect(requiredValidNonces(1, 112, 1e-3)).toBe(774);
    expect(missProbability(774, 112)).toBeLessThan(1e-3);
    expect(missProbability(773, 112)).toBeGreaterThan(9.9e-4);
  });

  it('run length for one BM1366 at 485 MHz (433.6 GH/s) and ticket 256 vs 8', () => {
    expect(nonceRateHz(433.6e9, 256)).toBeCloseTo(0.3943, 3);
    expect(requiredRunMs(1, 112, 1e-3, 433.6e9, 256) / 1000).toBeCloseTo(1963, -1);
    expect(requiredRunMs(1, 112, 1e-3, 433.6e9, 8) / 1000).toBeCloseTo(61.3, 0);
    expect(requiredRunMs(1, 112, 1e-3, 0, 8)).toBe(Infinity);
  });

  it('formats id lists compactly', () => {
    expect(formatIdList([9, 1, 2, 3, 7, 10])).toBe('1–3, 7, 9–10');
    expect(formatIdList([4])).toBe('4');
  });

  it('refuses a nonsense probability', () => {
    expect(() => noncesPerCoreNeeded(0)).toThrow();
    expect(() => noncesPerCoreNeeded(1)).toThrow();
  });
});

describe('known-answer block constants', () => {
  it('match docs/vectors/block-125552.json byte for byte', () => {
    const v = loadVector('block-125552.json');
    const header = encodeHeader({ ...knownAnswerJob(), nonce: KNOWN_ANSWER_NONCE });
    expect(header.toString('hex')).toBe(v.header_hex);
    expect(KNOWN_ANSWER_NONCE).toBe(v.fields.nonce);
    expect(hashToDisplayHex(headerHash({ ...knownAnswerJob(), nonce: KNOWN_ANSWER_NONCE }))).toBe(v.block_hash_display);
    expect(KNOWN_ANSWER_HASH_DISPLAY).toBe(v.block_hash_display);
  });
});
