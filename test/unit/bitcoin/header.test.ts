import { describe, expect, it } from 'vitest';
import { decodeHeader, encodeHeader, headerHash } from '../../../src-main/bitcoin/header.js';
import { hashFromDisplayHex, hashToDisplayHex, sha256d } from '../../../src-main/bitcoin/sha256d.js';
import { hashMeetsTarget, nbitsToTarget } from '../../../src-main/bitcoin/target.js';
import { loadVector } from '../../helpers/vectors.js';

const block = loadVector('block-125552.json');

describe('80-byte header (block 125552)', () => {
  const fields = {
    version: block.fields.version,
    prevHash: hashFromDisplayHex(block.fields.hashPrevBlock_display),
    merkleRoot: hashFromDisplayHex(block.fields.hashMerkleRoot_display),
    ntime: block.fields.time,
    nbits: block.fields.bits,
    nonce: block.fields.nonce,
  };

  it('encodes the documented bytes', () => {
    expect(encodeHeader(fields).toString('hex')).toBe(block.header_hex);
  });

  it('decodes back to the same fields', () => {
    const decoded = decodeHeader(Buffer.from(block.header_hex, 'hex'));
    expect(decoded.version).toBe(1);
    expect(decoded.nonce).toBe(0x9546a142);
    expect(decoded.nbits).toBe(0x1a44b9f2);
    expect(hashToDisplayHex(decoded.prevHash)).toBe(block.fields.hashPrevBlock_display);
    expect(hashToDisplayHex(decoded.merkleRoot)).toBe(block.fields.hashMerkleRoot_display);
  });

  it('hashes to the known block hash (raw and display order)', () => {
    const h = headerHash(fields);
    expect(h.toString('hex')).toBe(block.dsha256_raw);
    expect(hashToDisplayHex(h)).toBe(block.block_hash_display);
    expect(hashMeetsTarget(h, nbitsToTarget(fields.nbits))).toBe(true);
  });

  it('fails if a byte order flips', () => {
    const flippedPrev = { ...fields, prevHash: Buffer.from(fields.prevHash).reverse() };
    expect(headerHash(flippedPrev).toString('hex')).not.toBe(block.dsha256_raw);
    const flippedNonce = { ...fields, nonce: Buffer.from(block.fields.nonce_hex, 'hex').readUInt32LE(0) };
    expect(encodeHeader(flippedNonce).toString('hex')).not.toBe(block.header_hex);
    expect(hashMeetsTarget(headerHash(flippedNonce), nbitsToTarget(fields.nbits))).toBe(false);
  });

  it('sha256d of a known string', () => {
    // SHA256d("hello") from the Bitcoin wiki's "Protocol documentation" page.
    expect(sha256d(Buffer.from('hello')).toString('hex')).toBe('9595c9df90075148eb06860365df33584b75bff782a510c6cd4883a419833d50');
  });

  it('rejects malformed input', () => {
    expect(() => decodeHeader(Buffer.alloc(79))).toThrow(/80 bytes/);
    expect(() => encodeHeader({ ...fields, prevHash: Buffer.alloc(31) })).toThrow();
  });
});
