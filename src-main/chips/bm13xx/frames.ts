/**
 * BM13xx frame building and host-frame parsing (docs/bm13xx-protocol.md §1.1–§1.5).
 * Host → chip: `55 AA` · header · length · payload · CRC (CRC5 for commands, CRC16 BE for jobs).
 * Chip → host: `AA 55` · fields · type/CRC5 byte (11 bytes, or 9 in the reset/BM1397 format).
 */
import { crc5, crc16, responseCrcOk } from './crc.js';

export const HOST_PREAMBLE = [0x55, 0xaa] as const;
export const RESPONSE_PREAMBLE = [0xaa, 0x55] as const;

/** Header byte fields (§1.2): bits 6..5 type, bit 4 broadcast, bits 3..0 command. */
export const FRAME_TYPE_JOB = 0x20;
export const FRAME_TYPE_COMMAND = 0x40;
export const FRAME_BROADCAST = 0x10;

export const CMD_SET_ADDRESS = 0x0;
export const CMD_WRITE_REGISTER = 0x1;
export const CMD_READ_REGISTER = 0x2;
export const CMD_CHAIN_INACTIVE = 0x3;
export const CMD_JOB = 0x1;

/** Header of a job frame (§1.2). */
export const JOB_HEADER = FRAME_TYPE_JOB | CMD_JOB;

/** Response type in bits 7..5 of the last byte (§1.5). */
export const RESPONSE_TYPE_REGISTER = 0;
export const RESPONSE_TYPE_NONCE = 4;

export class ChipFrameError extends Error {
  override name = 'ChipFrameError';
}

function checkByte(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new ChipFrameError(`${name} must be a byte (0..255), got ${value}`);
}

function checkU32(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new ChipFrameError(`${name} must be a 32-bit unsigned integer, got ${value}`);
}

/** A command frame: 55 AA · header · length (payload + 3) · payload · CRC5 over header..payload (§1.1, §1.3). */
export function commandFrame(header: number, payload: readonly number[] | Uint8Array): Buffer {
  checkByte('header', header);
  const frame = Buffer.alloc(payload.length + 5);
  frame[0] = 0x55;
  frame[1] = 0xaa;
  frame[2] = header;
  frame[3] = payload.length + 3;
  frame.set(payload, 4);
  frame[frame.length - 1] = crc5(frame, (payload.length + 2) * 8, 2);
  return frame;
}

function registerPayload(chipAddress: number, register: number, value: number): Buffer {
  checkByte('chip address', chipAddress);
  checkByte('register', register);
  checkU32('register value', value);
  const p = Buffer.alloc(6);
  p[0] = chipAddress;
  p[1] = register;
  p.writeUInt32BE(value >>> 0, 2); // register values are BE on the wire (§1.2)
  return p;
}

/** Write a register on every chip (0x51). */
export function writeRegisterAll(register: number, value: number): Buffer {
  return commandFrame(FRAME_TYPE_COMMAND | FRAME_BROADCAST | CMD_WRITE_REGISTER, registerPayload(0, register, value));
}

/** Write a register on one chip (0x41). */
export function writeRegister(chipAddress: number, register: number, value: number): Buffer {
  return commandFrame(FRAME_TYPE_COMMAND | CMD_WRITE_REGISTER, registerPayload(chipAddress, register, value));
}

/** Read a register from every chip (0x52); used for enumeration and counters. */
export function readRegisterAll(register: number): Buffer {
  checkByte('register', register);
  return commandFrame(FRAME_TYPE_COMMAND | FRAME_BROADCAST | CMD_READ_REGISTER, [0, register]);
}

/** Read a register from one chip (0x42). */
export function readRegister(chipAddress: number, register: number): Buffer {
  checkByte('chip address', chipAddress);
  checkByte('register', register);
  return commandFrame(FRAME_TYPE_COMMAND | CMD_READ_REGISTER, [chipAddress, register]);
}

/** Give the first unaddressed chip an address (0x40, payload [addr, 00]). */
export function setAddressFrame(chipAddress: number): Buffer {
  checkByte('chip address', chipAddress);
  return commandFrame(FRAME_TYPE_COMMAND | CMD_SET_ADDRESS, [chipAddress, 0]);
}

/** Chain inactive (0x53, payload 00 00). */
export function chainInactiveFrame(): Buffer {
  return commandFrame(FRAME_TYPE_COMMAND | FRAME_BROADCAST | CMD_CHAIN_INACTIVE, [0, 0]);
}

/** Wrap a job payload: 55 AA 21 · length (payload + 4) · payload · CRC16 BE over header..payload (§1.1, §1.4). */
export function wrapJob(payload: Uint8Array): Buffer {
  if (payload.length + 4 > 0xff) throw new ChipFrameError(`job payload too long (${payload.length} bytes)`);
  const frame = Buffer.alloc(payload.length + 6);
  frame[0] = 0x55;
  frame[1] = 0xaa;
  frame[2] = JOB_HEADER;
  frame[3] = payload.length + 4;
  frame.set(payload, 4);
  frame.writeUInt16BE(crc16(frame, 2, frame.length - 2), frame.length - 2);
  return frame;
}

export type HostFrame =
  | {
      type: 'command';
      broadcast: boolean;
      /** CMD field (0 set address, 1 write, 2 read, 3 chain inactive). */
      cmd: number;
      payload: Buffer;
      /** payload[0]: target chip (00 for broadcast), or the new address for set-address. */
      chipAddress: number;
      /** payload[1] for register commands. */
      register: number;
      /** Register value (BE) for writes, else undefined. */
      value?: number;
    }
  | { type: 'job'; payload: Buffer; lengthByte: number }
  | { type: 'error'; reason: string };

/**
 * Parse one complete host frame (exactly one frame in `buf`). Never throws: malformed input gives
 * `{type:'error', reason}`. Job frames are taken at the buffer's length because the chips do not
 * check the length byte (§1.1, 0x36/0x56/0xFF all occur); the byte is returned as `lengthByte`.
 */
export function parseHostFrame(buf: Uint8Array): HostFrame {
  if (buf.length < 7) return { type: 'error', reason: `frame too short (${buf.length} bytes)` };
  if (buf[0] !== 0x55 || buf[1] !== 0xaa) return { type: 'error', reason: 'missing 55 AA preamble' };
  const header = buf[2]!;
  const kind = header & 0x60;
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  if (kind === FRAME_TYPE_JOB) {
    const expected = b.readUInt16BE(b.length - 2);
    const actual = crc16(b, 2, b.length - 2);
    if (expected !== actual) return { type: 'error', reason: `bad job CRC16 (frame ${hex(expected, 4)}, computed ${hex(actual, 4)})` };
    return { type: 'job', payload: Buffer.from(b.subarray(4, b.length - 2)), lengthByte: b[3]! };
  }
  if (kind !== FRAME_TYPE_COMMAND) return { type: 'error', reason: `unknown frame type in header ${hex(header, 2)}` };
  if (b[3] !== b.length - 2) return { type: 'error', reason: `length byte ${b[3]} does not match a ${b.length}-byte frame` };
  const crc = crc5(b, (b.length - 3) * 8, 2);
  if ((b[b.length - 1]! & 0x1f) !== crc || b[b.length - 1]! > 0x1f) {
    return { type: 'error', reason: `bad command CRC5 (frame ${hex(b[b.length - 1]!, 2)}, computed ${hex(crc, 2)})` };
  }
  const cmd = header & 0x0f;
  const payload = Buffer.from(b.subarray(4, b.length - 1));
  const frame: HostFrame = {
    type: 'command',
    broadcast: (header & FRAME_BROADCAST) !== 0,
    cmd,
    payload,
    chipAddress: payload[0] ?? 0,
    register: payload[1] ?? 0,
  };
  if (cmd === CMD_WRITE_REGISTER) {
    if (payload.length !== 6) return { type: 'error', reason: `write-register payload must be 6 bytes, got ${payload.length}` };
    frame.value = payload.readUInt32BE(2);
  }
  return frame;
}

/**
 * Streaming splitter for the host → chip byte stream (the emulator's receive side). Frames are
 * delimited by the length byte; on a bad CRC or garbage it drops one byte and rescans for 55 AA.
 */
export class HostFrameParser {
  private buf: Buffer = Buffer.alloc(0);
  framesOk = 0;
  framesBad = 0;
  bytesDiscarded = 0;

  push(chunk: Uint8Array): HostFrame[] {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    const out: HostFrame[] = [];
    let pos = 0;
    for (;;) {
      const p = findPreamble(this.buf, pos, 0x55, 0xaa);
      if (p < 0) {
        // Keep a trailing 0x55: it may start the next preamble.
        const keep = this.buf.length > pos && this.buf[this.buf.length - 1] === 0x55 ? 1 : 0;
        this.bytesDiscarded += this.buf.length - pos - keep;
        pos = this.buf.length - keep;
        break;
      }
      this.bytesDiscarded += p - pos;
      pos = p;
      if (this.buf.length - pos < 4) break;
      const total = this.buf[pos + 3]! + 2;
      if (total < 7) {
        this.framesBad++;
        this.bytesDiscarded++;
        pos++;
        continue;
      }
      if (this.buf.length - pos < total) break;
      const frame = parseHostFrame(this.buf.subarray(pos, pos + total));
      if (frame.type === 'error') {
        this.framesBad++;
        this.bytesDiscarded++;
        pos++;
        continue;
      }
      this.framesOk++;
      out.push(frame);
      pos += total;
    }
    this.buf = Buffer.from(this.buf.subarray(pos));
    return out;
  }
}

export function findPreamble(buf: Uint8Array, from: number, first: number, second: number): number {
  for (let i = from; i + 1 < buf.length; i++) if (buf[i] === first && buf[i + 1] === second) return i;
  return -1;
}

/** Register reply (§1.5): AA 55 · value BE · chip address · register · [00 00] · type 0 | CRC5. */
export function buildRegisterResponse(opts: { value: number; chipAddress: number; register: number; length?: 9 | 11 }): Buffer {
  const length = opts.length ?? 11;
  checkU32('register value', opts.value);
  checkByte('chip address', opts.chipAddress);
  checkByte('register', opts.register);
  const frame = Buffer.alloc(length);
  frame[0] = 0xaa;
  frame[1] = 0x55;
  frame.writeUInt32BE(opts.value >>> 0, 2);
  frame[6] = opts.chipAddress;
  frame[7] = opts.register;
  return sealResponse(frame, RESPONSE_TYPE_REGISTER);
}

/**
 * Nonce reply (§1.5): AA 55 · 4 nonce bytes (header order) · byte6 · job byte · [version field BE16] · type 4 | CRC5.
 * Give either `nonceBytes` (wire/header order) or `nonce` (the LE integer of header bytes 76..79).
 */
export function buildNonceResponse(opts: { nonceBytes?: Uint8Array; nonce?: number; byte6?: number; jobByte: number; versionField?: number; length?: 9 | 11 }): Buffer {
  const length = opts.length ?? 11;
  const frame = Buffer.alloc(length);
  frame[0] = 0xaa;
  frame[1] = 0x55;
  if (opts.nonceBytes) {
    if (opts.nonceBytes.length !== 4) throw new ChipFrameError('nonceBytes must be 4 bytes');
    frame.set(opts.nonceBytes, 2);
  } else if (opts.nonce !== undefined) {
    checkU32('nonce', opts.nonce);
    frame.writeUInt32LE(opts.nonce >>> 0, 2);
  } else throw new ChipFrameError('buildNonceResponse needs nonce or nonceBytes');
  checkByte('byte6', opts.byte6 ?? 0);
  checkByte('job byte', opts.jobByte);
  frame[6] = opts.byte6 ?? 0;
  frame[7] = opts.jobByte;
  if (length === 11) {
    const v = opts.versionField ?? 0;
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new ChipFrameError(`version field must be 16 bits, got ${v}`);
    frame.writeUInt16BE(v, 8);
  }
  return sealResponse(frame, RESPONSE_TYPE_NONCE);
}

/** Put the type bits in the last byte and the CRC5 over everything after the preamble up to the CRC field (§1.5). */
function sealResponse(frame: Buffer, type: number): Buffer {
  const last = frame.length - 1;
  frame[last] = type << 5;
  frame[last] = (type << 5) | crc5(frame, (frame.length - 2) * 8 - 5, 2);
  return frame;
}

/** True when `frame` is a response with AA 55 preamble and a good CRC5. */
export function isValidResponse(frame: Uint8Array): boolean {
  return (frame.length === 9 || frame.length === 11) && frame[0] === 0xaa && frame[1] === 0x55 && responseCrcOk(frame);
}

/** Response type from bits 7..5 of the last byte (0 register reply, 4 nonce). */
export function responseType(frame: Uint8Array): number {
  return (frame[frame.length - 1]! >>> 5) & 0x07;
}

function hex(n: number, digits: number): string {
  return '0x' + n.toString(16).toUpperCase().padStart(digits, '0');
}
