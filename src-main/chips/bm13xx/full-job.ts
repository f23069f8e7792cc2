/**
 * The full-format job frame of the BM1366/BM1368/BM1370 (docs/bm13xx-protocol.md §2.1, §2.2).
 * Payload (82 bytes): job_id · num_midstates (01) · starting_nonce LE · nbits LE · ntime LE ·
 * merkle_root W(·) · prev_hash W(·) · version LE, where W reverses the order of the eight 4-byte
 * words and keeps the bytes inside each word. Framed as 55 AA 21 56 … CRC16 BE (88 bytes).
 */
import { reverseWords } from '../../bitcoin/prevhash.js';
import type { ChipJobFields, DecodedChipJob } from '../driver.js';
import { crc16 } from './crc.js';
import { ChipFrameError, JOB_HEADER, wrapJob } from './frames.js';

export const FULL_JOB_PAYLOAD_BYTES = 82;
export const FULL_JOB_FRAME_BYTES = FULL_JOB_PAYLOAD_BYTES + 6;

export function checkJobFields(job: ChipJobFields): void {
  if (!Number.isInteger(job.chipJobId) || job.chipJobId < 0 || job.chipJobId > 0xff) throw new ChipFrameError(`chip job id must be a byte, got ${job.chipJobId}`);
  if (job.prevHash.length !== 32) throw new ChipFrameError(`prevHash must be 32 bytes, got ${job.prevHash.length}`);
  if (job.merkleRoot.length !== 32) throw new ChipFrameError(`merkleRoot must be 32 bytes, got ${job.merkleRoot.length}`);
  for (const [name, v] of [
    ['version', job.version],
    ['ntime', job.ntime],
    ['nbits', job.nbits],
    ['startingNonce', job.startingNonce ?? 0],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new ChipFrameError(`${name} must be a 32-bit unsigned integer, got ${v}`);
  }
}

export function encodeFullJob(job: ChipJobFields): Buffer {
  checkJobFields(job);
  const p = Buffer.alloc(FULL_JOB_PAYLOAD_BYTES);
  p[0] = job.chipJobId;
  p[1] = 1; // num_midstates: always 1, the chip makes its own (§2.1)
  p.writeUInt32LE((job.startingNonce ?? 0) >>> 0, 2);
  p.writeUInt32LE(job.nbits >>> 0, 6);
  p.writeUInt32LE(job.ntime >>> 0, 10);
  p.set(reverseWords(job.merkleRoot), 14);
  p.set(reverseWords(job.prevHash), 46);
  p.writeUInt32LE(job.version >>> 0, 78);
  return wrapJob(p);
}

/** Validate preamble, header and CRC16 of a job frame; returns the payload. */
export function jobPayload(frame: Uint8Array): { payload: Buffer; lengthByte: number } {
  if (frame.length < 8) throw new ChipFrameError(`job frame too short (${frame.length} bytes)`);
  const b = Buffer.from(frame.buffer, frame.byteOffset, frame.length);
  if (b[0] !== 0x55 || b[1] !== 0xaa) throw new ChipFrameError('job frame lacks the 55 AA preamble');
  if (b[2] !== JOB_HEADER) throw new ChipFrameError(`not a job frame (header 0x${b[2]!.toString(16)})`);
  const expected = b.readUInt16BE(b.length - 2);
  const actual = crc16(b, 2, b.length - 2);
  if (expected !== actual) throw new ChipFrameError(`bad job CRC16: frame has ${expected.toString(16)}, computed ${actual.toString(16)}`);
  return { payload: Buffer.from(b.subarray(4, b.length - 2)), lengthByte: b[3]! };
}

export function decodeFullJob(frame: Uint8Array): DecodedChipJob {
  const { payload: p, lengthByte } = jobPayload(frame);
  if (p.length !== FULL_JOB_PAYLOAD_BYTES) throw new ChipFrameError(`full-format job payload must be ${FULL_JOB_PAYLOAD_BYTES} bytes, got ${p.length}`);
  return {
    format: 'full',
    chipJobId: p[0]!,
    numMidstates: p[1]!,
    startingNonce: p.readUInt32LE(2),
    nbits: p.readUInt32LE(6),
    ntime: p.readUInt32LE(10),
    merkleRoot: reverseWords(p.subarray(14, 46)),
    prevHash: reverseWords(p.subarray(46, 78)),
    version: p.readUInt32LE(78),
    lengthByte,
  };
}
