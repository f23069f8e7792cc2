/** Known-answer frames from docs/bm13xx-protocol.md §8 (wire order). */
import { hx } from './hex.js';

/** §8.5: ESP-Miner capture (BM1366-family full job, id 0x18), CRC 0x6B18. */
export const JOB_ESP_MINER = hx(`55 AA 21 56 18 01 00 00 00 00 38 FA 01 17 DC 17 D6 68 15 16 AB 3D 16 42 BB 1F E2 E2 37 7F 8A C5 83 E5
  DA 99 6C 6B C7 05 3E AE 56 4B 02 03 CC 4E D2 37 00 00 00 00 00 00 00 00 A2 5C 00 00 A1 E7 AB 5E 5F 24 46 A3 5F 9C BB EA 3F 53 16
  E5 4E 39 93 DE 00 00 00 20 6B 18`);

/** §8.5: full-format job with length byte 0x36, CRC 0x7FD3. */
export const JOB_LEN36 = hx(`55 AA 21 36 38 01 00 00 00 00 20 27 07 17 8A C0 DC 63 F3 CF F8 BF FF 89 BD 99 97 74 10 44 FF 84 D0 74
  30 85 44 35 E3 DE 76 0B CC 28 54 A2 FA 12 42 98 00 00 00 00 00 00 00 00 92 C7 00 00 FB 7A BB 8C 33 75 29 7C D8 F6 7E 14 1B D3 0F
  2F D1 A0 82 66 00 00 00 20 7F D3`);

/** §8.5: BM1397 4-midstate job (SEM), CRC 0x8C24. */
export const JOB_BM1397_4MS = hx(`55 AA 21 96 04 04 00 00 00 00 A3 89 06 17 2F A8 0A 64 6F 1C C5 E8
  99 CE 15 A2 DE DF 61 49 77 90 69 84 1C 8A 0C E0 A0 30 E4 0A CB A6 A5 FB 33 19 30 5D E2 46 EF 18
  1D 63 63 EB E7 BA D9 8D 4B CA FE 9C 4F 45 F6 45 FA 71 A0 1E 8C B8 2D 68 DC 6C B8 4E 25 39 8C 50
  FA 7E 2E C6 C8 08 61 B9 A5 89 90 71 C4 75 56 E4 78 85 35 22 65 51 EA 68 EB F8 96 B0 CA 40 77 D4
  0C AF 1B D4 47 37 85 BB 39 6A 22 C3 9C 23 56 E7 CE B6 57 4C 1F A3 A9 9A D3 C1 A0 17 79 1F BC 38 8C 24`);

/** §8.5 / §8.9: BM1397 job from the ESP-Miner verifier, midstate 0 only, CRC 0x6B1D. */
export const JOB_BM1397_VERIFIER = Buffer.concat([
  hx('55 AA 21 96 04 04 00 00 00 00 01 DD 05 17 D8 8B 65 64 C6 04 A8 46'),
  hx('4D 31 85 F2 5F 7D 5D E0 E3 59 17 41 CB 21 CA E1 15 74 DD D6 5D 49 0D 3D 68 73 9F 8A 52 EA DF 91'),
  Buffer.alloc(96),
  hx('6B 1D'),
]);

/** §8.6a: real BM1366 capture, job id 0x28, CRC 0x3C3F. */
export const JOB_BM1366_CAPTURE = hx(`55 AA 21 56 28 01 00 00 00 00 F8 95 24 19 E0 16 AF 64 F3 C0 09 10 CB DA F2 3F 0F FF
  DF 3F 7B 42 AC C9 8D 70 ED 9B BF BA 1B 1D 44 74 ED E0 32 28 85 C7 00 00 00 00 0C 00
  00 00 65 90 49 10 58 57 DD A2 47 8A 5E 7C CC FE 03 6F E8 BE 8E F8 C2 57 21 D4 00 00
  00 20 3C 3F`);

/** §8.6a: two nonces of that job. */
export const NONCES_BM1366_CAPTURE = [
  { frame: hx('AA 55 08 39 28 A9 03 2B 00 03 96'), nonce: 0xa9283908, version: 0x20006000, diff: 9.28, jobId: 0x28, smallCore: 3 },
  { frame: hx('AA 55 1A 51 4E BE 01 28 00 00 8A'), nonce: 0xbe4e511a, version: 0x20000000, diff: 3.63, jobId: 0x28, smallCore: 0 },
] as const;
