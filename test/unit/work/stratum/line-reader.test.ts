import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineReader } from '../../../../src-main/work/stratum/line-reader.js';
import { parsePoolMessage } from '../../../../src-main/work/stratum/messages.js';
import { loadVector } from '../../../helpers/vectors.js';

function collect(maxLineBytes = 64) {
  const lines: string[] = [];
  const oversize: number[] = [];
  const reader = new LineReader({ maxLineBytes, onLine: (l) => lines.push(l), onOversize: (n) => oversize.push(n) });
  return { reader, lines, oversize };
}

describe('LineReader', () => {
  it('splits several lines in one chunk and joins a line split over chunks', () => {
    const { reader, lines } = collect();
    reader.push(Buffer.from('{"a":1}\n{"b"'));
    reader.push(Buffer.from(':2}\r\n\n{"c":3}'));
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
    reader.push(Buffer.from('\n'));
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('drops an oversized line and resyncs at the next newline', () => {
    const { reader, lines, oversize } = collect(16);
    reader.push(Buffer.from('short\n' + 'x'.repeat(40)));
    expect(reader.pendingBytes).toBe(0);
    reader.push(Buffer.from('y'.repeat(40)));
    reader.push(Buffer.from('zz\nafter\n'));
    expect(lines).toEqual(['short', 'after']);
    expect(oversize).toEqual([82]);
  });

  it('a line of exactly the limit passes; one byte more does not', () => {
    const { reader, lines, oversize } = collect(8);
    reader.push(Buffer.from('12345678\n123456789\n'));
    expect(lines).toEqual(['12345678']);
    expect(oversize.length).toBe(1);
  });

  it('keeps multi-byte UTF-8 split across chunks intact', () => {
    const { reader, lines } = collect();
    const bytes = Buffer.from('{"m":"€"}\n');
    reader.push(bytes.subarray(0, 7));
    reader.push(bytes.subarray(7));
    expect(lines).toEqual(['{"m":"€"}']);
  });

  it('fuzz: any chunking gives the same lines as splitting the whole stream', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ maxLength: 30 }).map((s) => s.replace(/[\n\r]/g, '')),
          { maxLength: 20 },
        ),
        fc.array(fc.nat(50), { maxLength: 20 }),
        (texts, cuts) => {
          const stream = Buffer.from(texts.map((t) => t + '\n').join(''));
          const { reader, lines } = collect(1024);
          let pos = 0;
          for (const c of cuts) {
            reader.push(stream.subarray(pos, Math.min(stream.length, pos + c)));
            pos = Math.min(stream.length, pos + c);
          }
          reader.push(stream.subarray(pos));
          expect(lines).toEqual(texts.filter((t) => t.trim().length > 0));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fuzz: random bytes never throw, memory stays bounded, and a good line after garbage still arrives', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 30 }), (chunks) => {
        const { reader, lines } = collect(256);
        for (const c of chunks) {
          reader.push(c);
          expect(reader.pendingBytes).toBeLessThanOrEqual(256);
        }
        reader.push(Buffer.from('\n{"id":1,"result":true,"error":null}\n'));
        expect(lines[lines.length - 1]).toBe('{"id":1,"result":true,"error":null}');
        for (const l of lines) parsePoolMessage(l); // must not throw
      }),
      { numRuns: 200 },
    );
  });
});

describe('message validation fuzz', () => {
  const cases = loadVector<{ cases: Array<{ line: string }> }>('stratum-messages.json').cases;

  it('mutated vector lines never throw and either parse or give a reason', () => {
    fc.assert(
      fc.property(fc.constantFrom(...cases.map((c) => c.line)), fc.nat(), fc.nat(255), fc.integer({ min: 0, max: 3 }), (line, at, byte, kind) => {
        const i = line.length === 0 ? 0 : at % line.length;
        const mutated =
          kind === 0
            ? line.slice(0, i) + String.fromCharCode(byte) + line.slice(i + 1)
            : kind === 1
              ? line.slice(0, i)
              : kind === 2
                ? line.slice(0, i) + line.slice(i + 1)
                : line.slice(0, i) + String.fromCharCode(byte) + line.slice(i);
        const r = parsePoolMessage(mutated);
        if (!r.ok) expect(typeof r.error).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });

  it('random JSON values never throw', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const line = JSON.stringify(v) ?? 'null';
        const r = parsePoolMessage(line);
        if (!r.ok) expect(typeof r.error).toBe('string');
      }),
      { numRuns: 1000 },
    );
  });

  it('random objects shaped like notifications never throw', () => {
    const method = fc.constantFrom(
      'mining.notify',
      'mining.set_difficulty',
      'mining.set_extranonce',
      'mining.set_version_mask',
      'client.reconnect',
      'client.show_message',
      'client.get_version',
      'mining.ping',
    );
    fc.assert(
      fc.property(method, fc.array(fc.jsonValue(), { maxLength: 11 }), fc.oneof(fc.constant(null), fc.integer()), (m, params, id) => {
        const r = parsePoolMessage(JSON.stringify({ id, method: m, params }));
        if (!r.ok) expect(typeof r.error).toBe('string');
      }),
      { numRuns: 1000 },
    );
  });
});
