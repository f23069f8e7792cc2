import { describe, expect, it } from 'vitest';
import { displayPrevHashToStratum, headerPrevHashToStratum, reverseWords, stratumPrevHashToDisplay, stratumPrevHashToHeader } from '../../../src-main/bitcoin/prevhash.js';
import { merkleBranchesForCoinbase, merkleRoot, merkleRootFromBranches } from '../../../src-main/bitcoin/merkle.js';
import { hashFromDisplayHex, sha256d } from '../../../src-main/bitcoin/sha256d.js';
import { loadVector } from '../../helpers/vectors.js';

describe('Stratum prevhash word order', () => {
  // Block 839900 (docs/stratum-and-gbt.md §1.5).
  const display = '000000000000000000015d7eee767c24abd355f70fb382d2ef47398610439ba3';
  const stratum = '10439ba3ef4739860fb382d2abd355f7ee767c2400015d7e0000000000000000';

  it('display → stratum and back', () => {
    expect(displayPrevHashToStratum(display)).toBe(stratum);
    expect(stratumPrevHashToDisplay(stratum)).toBe(display);
  });

  it('stratum → header order equals the display hash reversed', () => {
    expect(stratumPrevHashToHeader(stratum).equals(hashFromDisplayHex(display))).toBe(true);
    expect(headerPrevHashToStratum(hashFromDisplayHex(display))).toBe(stratum);
  });

  it('chip wire order (word-reversed header order) equals the stratum bytes reversed end to end', () => {
    const wire = reverseWords(stratumPrevHashToHeader(stratum));
    expect(wire.toString('hex')).toBe(Buffer.from(stratum, 'hex').reverse().toString('hex'));
  });

  it('a flipped order does not round-trip', () => {
    expect(stratumPrevHashToDisplay(display)).not.toBe(display);
  });
});

describe('merkle', () => {
  const v = loadVector('regtest-height1-derived.json');

  it('coinbase-only block: root = coinbase txid (regtest height 1)', () => {
    const txid = hashFromDisplayHex(v.good.coinbase_txid);
    expect(sha256d(Buffer.from(v.good.coinbase_stripped_hex, 'hex')).equals(txid)).toBe(true);
    expect(merkleRoot([txid]).toString('hex')).toBe(v.good.merkle_root_header_order);
    expect(merkleRootFromBranches(txid, []).toString('hex')).toBe(v.good.merkle_root_header_order);
  });

  it('branches reproduce the full tree for odd and even counts', () => {
    for (const n of [1, 2, 3, 4, 5, 7, 8, 13]) {
      const txids = Array.from({ length: n }, (_, i) => sha256d(Buffer.from([i, n])));
      const branches = merkleBranchesForCoinbase(txids.slice(1));
      expect(merkleRootFromBranches(txids[0]!, branches).equals(merkleRoot(txids))).toBe(true);
    }
  });

  it('order matters (left/right)', () => {
    const a = sha256d(Buffer.from('a'));
    const b = sha256d(Buffer.from('b'));
    expect(merkleRoot([a, b]).equals(merkleRoot([b, a]))).toBe(false);
  });
});
