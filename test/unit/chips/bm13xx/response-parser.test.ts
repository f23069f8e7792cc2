import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { responseCrcOk } from '../../../../src-main/chips/bm13xx/crc.js';
import { buildNonceResponse, buildRegisterResponse } from '../../../../src-main/chips/bm13xx/frames.js';
import { ResponseFrameParser } from '../../../../src-main/chips/bm13xx/response-parser.js';
import { hx } from '../hex.js';

const frame11 = fc.oneof(
  fc.record({ nonce: fc.nat({ max: 0xffffffff }), byte6: fc.nat({ max: 255 }), jobByte: fc.nat({ max: 255 }), versionField: fc.nat({ max: 0xffff }) }).map((o) => buildNonceResponse(o)),
  fc.record({ value: fc.nat({ max: 0xffffffff }), chipAddress: fc.nat({ max: 255 }), register: fc.nat({ max: 255 }) }).map((o) => buildRegisterResponse({ ...o, length: 11 })),
);
const frame9 = fc.oneof(
  fc.record({ nonce: fc.nat({ max: 0xffffffff }), byte6: fc.nat({ max: 255 }), jobByte: fc.nat({ max: 255 }) }).map((o) => buildNonceResponse({ ...o, length: 9 })),
  fc.record({ value: fc.nat({ max: 0xffffffff }), chipAddress: fc.nat({ max: 255 }), register: fc.nat({ max: 255 }) }).map((o) => buildRegisterResponse({ ...o, length: 9 })),
);
// Garbage without 0xAA: a garbage "AA 55" followed by a lucky CRC (1 in 32) is indistinguishable
// from a frame and may swallow the next one, so recovery is only promised for preamble-free noise.
const garbage = fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a.map((b) => (b === 0xaa ? 0x00 : b))));
const chunkSizes = fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 20 });

function feed(parser: ResponseFrameParser, stream: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  let i = 0;
  let k = 0;
  while (i < stream.length) {
    const n = sizes[k++ % sizes.length]!;
    out.push(...parser.push(stream.subarray(i, i + n)));
    i += n;
  }
  return out;
}

describe('ResponseFrameParser (§1.7)', () => {
  it('splits captured frames delivered byte by byte', () => {
    const frames = [hx('AA 55 13 66 00 00 00 00 00 00 05'), hx('AA 55 08 39 28 A9 03 2B 00 03 96'), hx('AA 55 1A 51 4E BE 01 28 00 00 8A')];
    const p = new ResponseFrameParser({ length: 11 });
    const out: Buffer[] = [];
    for (const b of Buffer.concat(frames)) out.push(...p.push(Buffer.from([b])));
    expect(out).toEqual(frames);
    expect([p.framesOk, p.framesBad, p.bytesDiscarded]).toEqual([3, 0, 0]);
  });

  it('resynchronises after garbage and a corrupted frame', () => {
    const good = hx('AA 55 13 66 00 00 00 00 00 00 05');
    const corrupt = hx('AA 55 13 66 00 00 00 00 00 00 06');
    const p = new ResponseFrameParser({ length: 11 });
    const out = p.push(Buffer.concat([hx('01 02 03'), corrupt, good]));
    expect(out).toEqual([good]);
    expect(p.framesBad).toBe(1);
    expect(p.bytesDiscarded).toBe(3 + 11);
  });

  it('detects 9-byte reset-format replies while expecting 11', () => {
    const nine = hx('AA 55 13 70 00 00 00 00 06');
    const eleven = hx('AA 55 13 70 00 00 00 00 00 00 10');
    const p = new ResponseFrameParser({ length: 11 });
    expect(p.push(Buffer.concat([nine, nine, eleven]))).toEqual([nine, nine, eleven]);
    // A lone 9-byte frame is held until the line is quiet (it could start an 11-byte frame).
    expect(p.push(nine)).toEqual([]);
    expect(p.flush()).toEqual([nine]);
    expect(p.resetFormatFrames).toBe(3);
  });

  it('9-byte mode (BM1397) splits 9-byte frames', () => {
    const a = hx('AA 55 13 97 18 00 00 00 06');
    const b = hx('AA 55 00 03 EA 0F 02 20 9C');
    const p = new ResponseFrameParser({ length: 9 });
    expect(p.push(Buffer.concat([hx('55'), a, hx('AA'), b]))).toEqual([a, b]);
    expect(p.bytesDiscarded).toBe(2);
  });

  it('property: every valid 11-byte frame is recovered in order across garbage and any chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(garbage, frame11), { maxLength: 25 }), garbage, chunkSizes, (pairs, tail, sizes) => {
        const stream = Buffer.concat([...pairs.flatMap(([g, f]) => [g, f]), tail]);
        const p = new ResponseFrameParser({ length: 11 });
        const out = feed(p, stream, sizes);
        expect(out).toEqual(pairs.map(([, f]) => f));
        expect(p.framesOk).toBe(pairs.length);
        // every byte is accounted for: emitted, discarded, or still pending
        expect(p.framesOk * 11 + p.bytesDiscarded + p.pendingBytes).toBe(stream.length);
      }),
      { numRuns: 300 },
    );
  });

  it('property: mixed 9/11-byte frames back to back are recovered in order (reset detection)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(frame11, frame9), { maxLength: 25 }), chunkSizes, (frames, sizes) => {
        const stream = Buffer.concat(frames);
        const p = new ResponseFrameParser({ length: 11 });
        const out = [...feed(p, stream, sizes), ...p.flush()];
        expect(out).toEqual(frames);
        expect(p.framesBad).toBe(0);
        expect(p.bytesDiscarded).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('property: 9-byte mode recovers frames across garbage', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(garbage, frame9), { maxLength: 25 }), chunkSizes, (pairs, sizes) => {
        const stream = Buffer.concat(pairs.flatMap(([g, f]) => [g, f]));
        const p = new ResponseFrameParser({ length: 9 });
        expect(feed(p, stream, sizes)).toEqual(pairs.map(([, f]) => f));
      }),
      { numRuns: 200 },
    );
  });

  it('property: on arbitrary or mutated input it never throws, never yields a bad-CRC frame, and counts every byte', () => {
    const mutated = fc.tuple(fc.array(frame11, { minLength: 1, maxLength: 10 }), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 20 })).map(([frames, edits]) => {
      const s = Buffer.concat(frames);
      for (const [pos, value] of edits) s[pos % s.length] = value;
      return s;
    });
    const anyBytes = fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a));
    fc.assert(
      fc.property(fc.oneof(mutated, anyBytes), chunkSizes, fc.constantFrom<9 | 11>(9, 11), (stream, sizes, length) => {
        const p = new ResponseFrameParser({ length });
        const out = [...feed(p, stream, sizes), ...p.flush()];
        let emitted = 0;
        for (const f of out) {
          expect(f.length === 9 || f.length === 11).toBe(true);
          expect(f[0]).toBe(0xaa);
          expect(f[1]).toBe(0x55);
          expect(responseCrcOk(f)).toBe(true);
          emitted += f.length;
        }
        expect(out.length).toBe(p.framesOk);
        expect(emitted + p.bytesDiscarded + p.pendingBytes).toBe(stream.length);
      }),
      { numRuns: 400 },
    );
  });

  it('ignores empty and non-byte input without throwing', () => {
    const p = new ResponseFrameParser({ length: 11 });
    expect(p.push(Buffer.alloc(0))).toEqual([]);
    expect(p.push(undefined as unknown as Uint8Array)).toEqual([]);
    expect(p.flush()).toEqual([]);
  });
});
