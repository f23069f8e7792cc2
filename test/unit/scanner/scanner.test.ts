import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256d } from '../../../src-main/bitcoin/sha256d.js';
import { hashToBigInt, nbitsToTarget } from '../../../src-main/bitcoin/target.js';
import { headerMidstate } from '../../../src-main/chips/bm13xx/midstate.js';
import { loadVector } from '../../helpers/vectors.js';
import { availableScannerKinds, scan, scanMidstate, scannerKind } from '../../../src-main/scanner/scanner.js';

const vector = loadVector('block-125552.json') as {
  header_hex: string;
  dsha256_raw: string;
  fields: { nonce: number; bits: number };
};

const kinds = availableScannerKinds();

describe('scanner', () => {
  it('reports the implementation in use', () => {
    expect(kinds).toContain(scannerKind());
    expect(kinds).toContain('typescript');
  });

  it.each(kinds)('%s finds the nonce of block 125552 from a few thousand nonces before it', (kind) => {
    const header = Buffer.from(vector.header_hex, 'hex');
    header.writeUInt32LE(0, 76); // the nonce field must be ignored
    const target = nbitsToTarget(vector.fields.bits);
    const hits = scan(header, vector.fields.nonce - 3000, 5000, target, 8, { implementation: kind });
    expect(hits).toHaveLength(1);
    expect(hits[0]!.nonce).toBe(vector.fields.nonce);
    expect(hits[0]!.hash.toString('hex')).toBe(vector.dsha256_raw);
  });

  it.each(kinds)('%s misses the nonce when the range stops one short of it', (kind) => {
    const header = Buffer.from(vector.header_hex, 'hex');
    const hits = scan(header, vector.fields.nonce - 3000, 3000, nbitsToTarget(vector.fields.bits), 8, { implementation: kind });
    expect(hits).toEqual([]);
  });

  it('all implementations agree on random headers and targets, in both nonce orders', () => {
    for (let round = 0; round < 6; round++) {
      const header = randomBytes(80);
      const start = randomBytes(4).readUInt32LE(0);
      // Targets from "1 in 16" to "1 in 512" hashes, with random low bits.
      const shift = 252n - BigInt(round % 6);
      const target = (1n << shift) + BigInt('0x' + randomBytes(16).toString('hex'));
      const order = round % 2 === 0 ? 'header' : 'chip';
      const results = kinds.map((kind) => scan(header, start, 1500, target, 1000, { implementation: kind, order }));
      const reference = results[results.length - 1]!; // typescript
      expect(reference.length).toBeGreaterThan(0);
      for (const r of results) expect(r.map((h) => [h.nonce, h.hash.toString('hex')])).toEqual(reference.map((h) => [h.nonce, h.hash.toString('hex')]));
      for (const hit of reference) {
        const h = Buffer.from(header);
        h.writeUInt32LE(hit.nonce, 76);
        expect(sha256d(h).equals(hit.hash)).toBe(true);
        expect(hashToBigInt(hit.hash) <= target).toBe(true);
      }
    }
  });

  it.each(kinds)('%s finds block 125552 from its midstate as from its header', (kind) => {
    const header = Buffer.from(vector.header_hex, 'hex');
    const hits = scanMidstate(headerMidstate(header), header.subarray(64, 76), vector.fields.nonce - 3000, 5000, nbitsToTarget(vector.fields.bits), 8, { implementation: kind });
    expect(hits.map((h) => [h.nonce, h.hash.toString('hex')])).toEqual([[vector.fields.nonce, vector.dsha256_raw]]);
  });

  it('midstate and header scans agree on random headers in both orders', () => {
    for (const order of ['header', 'chip'] as const) {
      const header = randomBytes(80);
      const target = 1n << 250n;
      const expected = scan(header, 1000, 1000, target, 1000, { implementation: 'typescript', order }).map((h) => [h.nonce, h.hash.toString('hex')]);
      expect(expected.length).toBeGreaterThan(0);
      for (const kind of kinds) {
        const got = scanMidstate(headerMidstate(header), header.subarray(64, 76), 1000, 1000, target, 1000, { implementation: kind, order });
        expect(got.map((h) => [h.nonce, h.hash.toString('hex')])).toEqual(expected);
      }
    }
  });

  it('walks the chip order on the BE view of the nonce bytes and wraps at 2^32', () => {
    const header = randomBytes(80);
    const all = (1n << 256n) - 1n;
    for (const kind of kinds) {
      const hits = scan(header, 0xfffffffe, 3, all, 10, { implementation: kind, order: 'chip' });
      expect(hits.map((h) => h.nonce)).toEqual([0xfeffffff, 0xffffffff, 0x00000000]);
      const headerOrder = scan(header, 0xffffffff, 2, all, 10, { implementation: kind });
      expect(headerOrder.map((h) => h.nonce)).toEqual([0xffffffff, 0]);
    }
  });

  // The SHA-NI scan runs two nonces at a time (native/src/scan_shani.c): odd counts, a limit reached
  // on either lane, wrapping and both orders must give exactly the scalar loop's hits.
  it.skipIf(!kinds.includes('native-sha-ni'))('the two-lane SHA-NI scan finds exactly the nonces the scalar scan finds, on random headers', () => {
    let compared = 0;
    for (let round = 0; round < 40; round++) {
      const header = randomBytes(80);
      const start = round % 5 === 0 ? 0xffffffff - (round % 7) : randomBytes(4).readUInt32LE(0);
      const count = 2000 + (round % 2) + (round % 7) * 113; // odd and even
      // From "1 in 2" to "1 in 512", with random low bits; now and then every hash meets it.
      const target = round % 9 === 8 ? (1n << 256n) - 1n : (1n << (255n - BigInt(round % 9))) + BigInt('0x' + randomBytes(24).toString('hex'));
      const maxResults = round % 4 === 3 ? 1 + (round % 11) : 10_000;
      const order = round % 2 === 0 ? 'header' : 'chip';
      const twoLane = scan(header, start, count, target, maxResults, { implementation: 'native-sha-ni', order });
      const scalar = scan(header, start, count, target, maxResults, { implementation: 'native-scalar', order });
      expect(twoLane.length).toBeGreaterThan(0);
      expect(twoLane.map((h) => [h.nonce, h.hash.toString('hex')])).toEqual(scalar.map((h) => [h.nonce, h.hash.toString('hex')]));
      const mid = scanMidstate(headerMidstate(header), header.subarray(64, 76), start, count, target, maxResults, { implementation: 'native-sha-ni', order });
      expect(mid.map((h) => h.nonce)).toEqual(scalar.map((h) => h.nonce));
      compared += scalar.length;
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('stops at maxResults', () => {
    const header = randomBytes(80);
    for (const kind of kinds) expect(scan(header, 0, 100, (1n << 256n) - 1n, 7, { implementation: kind })).toHaveLength(7);
  });

  it('rejects bad input with a clear error', () => {
    expect(() => scan(Buffer.alloc(79), 0, 1, 1n)).toThrow(/80-byte/);
    expect(() => scan(Buffer.alloc(80), -1, 1, 1n)).toThrow(/startNonce/);
    expect(() => scan(Buffer.alloc(80), 0, 1.5, 1n)).toThrow(/count/);
    expect(() => scan(Buffer.alloc(80), 0, 1, -1n)).toThrow(/target/);
    expect(() => scan(Buffer.alloc(80), 0, 1, 1n, 0)).toThrow(/maxResults/);
  });
});
