import { describe, expect, it } from 'vitest';
import { crc16, crc5, responseCrcOk } from '../../../../src-main/chips/bm13xx/crc.js';
import { hx } from '../hex.js';

// docs/bm13xx-protocol.md §8.1: every command frame; the last byte is the CRC5 over frame[2..end-1].
const COMMAND_FRAMES = `
55 AA 52 05 00 00 0A
55 AA 53 05 00 00 03
55 AA 40 05 00 00 1C
55 AA 40 05 02 00 01
55 AA 40 05 04 00 03
55 AA 40 05 06 00 1E
55 AA 40 05 08 00 07
55 AA 51 09 00 A4 90 00 FF FF 1C
55 AA 51 09 00 A8 00 07 00 00 03
55 AA 51 09 00 18 FF 0F C1 00 00
55 AA 51 09 00 18 F0 00 C1 00 04
55 AA 51 09 00 3C 80 00 85 40 0C
55 AA 51 09 00 3C 80 00 80 20 19
55 AA 51 09 00 3C 80 00 8B 00 12
55 AA 51 09 00 3C 80 00 80 0C 11
55 AA 51 09 00 3C 80 00 8D EE 1B
55 AA 51 09 00 14 00 00 00 FF 08
55 AA 51 09 00 14 00 00 00 00 1C
55 AA 51 09 00 54 00 00 00 03 1D
55 AA 51 09 00 54 00 00 00 02 18
55 AA 51 09 00 58 02 11 11 11 06
55 AA 51 09 00 58 00 01 11 11 0D
55 AA 51 09 00 B9 00 00 44 80 0D
55 AA 51 09 00 28 11 30 02 00 03
55 AA 51 09 00 10 00 00 1E B5 0F
55 AA 51 09 00 10 00 00 15 1C 02
55 AA 41 09 00 2C 00 7C 00 03 03
55 AA 41 09 00 A8 00 07 01 F0 15
55 AA 41 09 00 18 F0 00 C1 00 0C
55 AA 41 09 00 3C 80 00 85 40 04
55 AA 41 09 00 3C 80 00 80 20 11
55 AA 41 09 00 3C 80 00 8B 00 1A
55 AA 41 09 00 3C 80 00 80 0C 19
55 AA 41 09 00 3C 80 00 82 AA 05
55 AA 41 09 01 00 13 70 00 01 0A
55 AA 51 09 00 80 00 00 00 00 1C
55 AA 51 09 00 84 00 00 00 00 11
55 AA 51 09 00 20 00 00 00 01 02
55 AA 51 09 00 3C 80 00 80 74 10
55 AA 51 09 00 68 C0 70 01 11 00
55 AA 51 09 00 28 06 00 00 0F 18
55 AA 51 09 00 18 00 00 7A 31 15
55 AA 51 09 00 70 0F 0F 0F 00 19
55 AA 51 09 00 08 40 A0 02 25 16
55 AA 51 09 00 08 50 C2 02 40 1C
55 AA 51 09 00 08 40 BD 02 65 01
55 AA 51 09 00 08 40 A8 02 30 03
55 AA 51 09 00 08 50 C0 02 30 05
55 AA 51 09 00 08 40 44 02 21 07
55 AA 51 09 00 10 00 0D 32 24 10
55 AA 51 09 00 18 00 00 60 31 00
55 AA 52 05 00 8C 1D
55 AA 52 05 00 4C 14
55 AA 52 05 00 88 09
55 AA 52 05 00 04 1E
55 AA 40 05 2A 00 19
55 AA 40 05 54 00 16
55 AA 40 05 7E 00 13
55 AA 40 05 A8 00 08
55 AA 40 05 D2 00 18
`
  .trim()
  .split('\n')
  .map((line) => hx(line));

// §8.2 and the nonce frames of §8.3 / §8.6a: every response leaves CRC5 remainder 0.
const RESPONSE_FRAMES = `
AA 55 13 66 00 00 00 00 00 00 05
AA 55 13 68 00 00 00 00 00 00 0F
AA 55 13 70 00 00 00 00 00 00 10
AA 55 13 70 00 00 00 00 06
AA 55 13 97 18 00 00 00 06
AA 55 00 00 C1 00 00 18 02
AA 55 00 03 EA 0F 02 20 9C
AA 55 18 00 A6 40 02 99 22 F9 91
AA 55 07 35 CD CF 02 5E 00 2E 96
AA 55 46 03 32 E7 00 C3 2C 83 99
AA 55 7B 8D 81 60 02 55 00 85 81
AA 55 32 2A 84 5A 02 52 01 B2 8C
AA 55 50 03 41 D6 00 81 18 01 9B
AA 55 6D B8 8E E1 01 04 03 54 94
AA 55 08 39 28 A9 03 2B 00 03 96
AA 55 1A 51 4E BE 01 28 00 00 8A
`
  .trim()
  .split('\n')
  .map((line) => hx(line));

describe('crc5 (§1.3, §8.1)', () => {
  it.each(COMMAND_FRAMES.map((f) => [f.toString('hex'), f] as const))('command %s', (_hex, frame) => {
    expect(crc5(frame.subarray(2, frame.length - 1))).toBe(frame[frame.length - 1]);
    // same with the offset form used on whole frames
    expect(crc5(frame, (frame.length - 3) * 8, 2)).toBe(frame[frame.length - 1]);
  });

  it('detects a single flipped bit in every command frame', () => {
    for (const frame of COMMAND_FRAMES) {
      for (let bit = 16; bit < (frame.length - 1) * 8; bit++) {
        const bad = Buffer.from(frame);
        bad[bit >> 3]! ^= 0x80 >> (bit & 7);
        expect(crc5(bad.subarray(2, bad.length - 1))).not.toBe(frame[frame.length - 1]);
      }
    }
  });
});

describe('response CRC5 (§1.5, §8.2)', () => {
  it.each(RESPONSE_FRAMES.map((f) => [f.toString('hex'), f] as const))('%s leaves remainder 0, and method 2 agrees', (_hex, frame) => {
    expect(responseCrcOk(frame)).toBe(true);
    // cgminer's method: CRC over (len-2)*8-5 bits equals the low 5 bits of the last byte
    expect(crc5(frame, (frame.length - 2) * 8 - 5, 2)).toBe(frame[frame.length - 1]! & 0x1f);
  });

  it('rejects a response with a changed type bit', () => {
    const frame = hx('AA 55 13 66 00 00 00 00 00 00 05');
    frame[10]! ^= 0x80;
    expect(responseCrcOk(frame)).toBe(false);
  });
});

describe('crc16 CCITT-FALSE (§1.4, §8.5)', () => {
  it('check value of "123456789" is 0x29B1', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x29b1);
  });
});
