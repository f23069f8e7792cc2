/**
 * bitaxe-raw control protocol (the first CDC port of a Bitaxe running bitaxe-raw): packet codec
 * and a request/response channel over any duplex byte stream.
 * Facts: docs/bm13xx-protocol.md §6.2 (layout, pages, V0/V1 replies, error codes) and §8.11 (examples).
 *
 * The codec half is pure; `ControlChannel` is the only part that does I/O.
 */

/** Pages of the control protocol (§6.2). */
export const ControlPage = {
  i2c: 0x05,
  gpio: 0x06,
  adc: 0x07,
  /** LED on emberone, FAN on one Bitaxe README variant: meaning depends on the firmware (§6.2 [UNSURE]). */
  ledOrFan: 0x08,
  system: 0x09,
} as const;

export const I2cCommand = { setFrequency: 0x10, write: 0x20, read: 0x30, writeRead: 0x40 } as const;
export const AdcChannel = { vdd: 0x50, vin: 0x51 } as const;

/** V1 status codes (§6.2). */
export const ControlStatus = { ok: 0x00, timeout: 0x10, invalidCommand: 0x11, bufferOverflow: 0x12, custom: 0xff } as const;

/**
 * V0: the original Bitaxe firmware (len counts data bytes only, no status).
 * V1: emberone firmware minor ≥ 1 (len counts the whole packet, then id and a status byte).
 */
export type ControlResponseFormat = 'v0' | 'v1';

export interface ControlRequest {
  id: number;
  page: number;
  command: number;
  data?: Uint8Array;
  /** Always 0 on the Bitaxe (§6.2). */
  bus?: number;
}

export type ControlResponse = { id: number; ok: true; data: Buffer } | { id: number; ok: false; status: number; message: string };

/** Largest packet we will build or accept; the firmware's buffers are far smaller. */
export const MAX_CONTROL_PACKET_BYTES = 1024;

const REQUEST_HEADER_BYTES = 6;

function checkByte(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new RangeError(`${what} must be a byte (0..255), got ${value}`);
}

/** `[len lo][len hi][id][bus][page][cmd][data…]`, len = whole packet length (§6.2). */
export function encodeControlRequest(req: ControlRequest): Buffer {
  const data = req.data ?? new Uint8Array(0);
  checkByte(req.id, 'request id');
  checkByte(req.page, 'page');
  checkByte(req.command, 'command');
  checkByte(req.bus ?? 0, 'bus');
  const length = REQUEST_HEADER_BYTES + data.length;
  if (length > MAX_CONTROL_PACKET_BYTES) throw new RangeError(`control packet of ${length} bytes is too long`);
  const out = Buffer.alloc(length);
  out.writeUInt16LE(length, 0);
  out[2] = req.id;
  out[3] = req.bus ?? 0;
  out[4] = req.page;
  out[5] = req.command;
  out.set(data, REQUEST_HEADER_BYTES);
  return out;
}

/** Parse one complete request packet (the emulator's side). Returns null if `packet` is not one. */
export function decodeControlRequest(packet: Uint8Array): Required<ControlRequest> | null {
  if (packet.length < REQUEST_HEADER_BYTES) return null;
  const b = Buffer.from(packet.buffer, packet.byteOffset, packet.length);
  if (b.readUInt16LE(0) !== packet.length) return null;
  return { id: b[2]!, bus: b[3]!, page: b[4]!, command: b[5]!, data: Buffer.from(b.subarray(REQUEST_HEADER_BYTES)) };
}

/** Total bytes of the request packet at the head of `buf`, or null until the length field is in. */
export function requestPacketLength(buf: Uint8Array): number | null {
  return buf.length < 2 ? null : buf[0]! | (buf[1]! << 8);
}

export function controlStatusName(status: number): string {
  switch (status) {
    case ControlStatus.timeout:
      return 'timeout';
    case ControlStatus.invalidCommand:
      return 'invalid command';
    case ControlStatus.bufferOverflow:
      return 'buffer overflow';
    case ControlStatus.custom:
      return 'custom error';
    default:
      return `status 0x${status.toString(16).padStart(2, '0')}`;
  }
}

/** Build a response packet (the emulator's side). V0 cannot carry an error; see `encodeV0Garbled`. */
export function encodeControlResponse(format: ControlResponseFormat, res: ControlResponse): Buffer {
  checkByte(res.id, 'response id');
  if (format === 'v0') {
    if (!res.ok) throw new Error('a V0 response cannot carry an error status');
    const out = Buffer.alloc(3 + res.data.length);
    out.writeUInt16LE(res.data.length, 0);
    out[2] = res.id;
    out.set(res.data, 3);
    return out;
  }
  const body = res.ok ? Buffer.concat([Buffer.from([res.id, ControlStatus.ok]), res.data]) : v1ErrorBody(res);
  const out = Buffer.alloc(2 + body.length);
  out.writeUInt16LE(out.length, 0);
  out.set(body, 2);
  return out;
}

function v1ErrorBody(res: { id: number; status: number; message: string }): Buffer {
  if (res.status === ControlStatus.custom) return Buffer.concat([Buffer.from([res.id, ControlStatus.custom]), Buffer.from(res.message, 'utf8')]);
  return Buffer.from([res.id, res.status]);
}

/**
 * Decode the bytes after the length field (§8.11 examples are written this way).
 * V0 `42 FF 00 00` is data [FF 00 00], not an error: V0 has no status byte.
 */
export function decodeControlResponseBody(format: ControlResponseFormat, body: Uint8Array): ControlResponse {
  if (body.length < 1) throw new Error('control response has no id byte');
  const id = body[0]!;
  if (format === 'v0') return { id, ok: true, data: Buffer.from(body.subarray(1)) };
  if (body.length < 2) throw new Error('V1 control response has no status byte');
  const status = body[1]!;
  if (status === ControlStatus.ok) return { id, ok: true, data: Buffer.from(body.subarray(2)) };
  const message = status === ControlStatus.custom ? Buffer.from(body.subarray(2)).toString('utf8') : controlStatusName(status);
  return { id, ok: false, status, message };
}

/**
 * Split a received byte stream into response packets. USB CDC delivers ≤64-byte chunks, so a
 * packet may arrive in pieces or several at once.
 */
export class ControlResponseFramer {
  private buf: Buffer = Buffer.alloc(0);
  /** Bytes dropped because a length field was impossible. */
  droppedBytes = 0;

  constructor(private readonly format: ControlResponseFormat) {}

  push(chunk: Uint8Array): ControlResponse[] {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    const out: ControlResponse[] = [];
    for (;;) {
      if (this.buf.length < 2) break;
      const len = this.buf.readUInt16LE(0);
      // V0: len = data bytes, packet = 2 + 1 (id) + len. V1: len = whole packet (≥ 4: len, id, status).
      const total = this.format === 'v0' ? 3 + len : len;
      if ((this.format === 'v1' && len < 4) || total > MAX_CONTROL_PACKET_BYTES) {
        // Nothing sensible can follow an impossible length: resynchronise by dropping everything.
        this.droppedBytes += this.buf.length;
        this.buf = Buffer.alloc(0);
        break;
      }
      if (this.buf.length < total) break;
      out.push(decodeControlResponseBody(this.format, this.buf.subarray(2, total)));
      this.buf = this.buf.subarray(total);
    }
    return out;
  }

  reset(): void {
    this.buf = Buffer.alloc(0);
  }
}

/** The part of a Node duplex stream (SerialPort, a socket, the emulator's link) the channel uses. */
export interface ByteDuplex {
  write(chunk: Buffer): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer) => void): unknown;
}

export class ControlError extends Error {
  constructor(
    message: string,
    readonly kind: 'timeout' | 'device' | 'closed' | 'reply',
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

export interface ControlChannelOptions {
  format?: ControlResponseFormat;
  /** How long to wait for the matching id (mujina waits 1 s, §6.2). */
  timeoutMs?: number;
}

/**
 * Sends one request at a time and waits for the reply with the same id (§6.2: the firmware handles
 * requests one at a time). Replies with another id (late answers to timed-out requests) are dropped.
 */
export class ControlChannel {
  readonly format: ControlResponseFormat;
  private readonly timeoutMs: number;
  private readonly framer: ControlResponseFramer;
  private nextId = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private pending: { id: number; resolve: (r: ControlResponse) => void; reject: (e: Error) => void } | null = null;
  private closed = false;
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);
  /** Replies that matched no pending request. */
  strayReplies = 0;

  constructor(
    private readonly stream: ByteDuplex,
    options: ControlChannelOptions = {},
  ) {
    this.format = options.format ?? 'v0';
    this.timeoutMs = options.timeoutMs ?? 1000;
    this.framer = new ControlResponseFramer(this.format);
    stream.on('data', this.onData);
  }

  /** Send a request; resolves with the reply data, rejects with a ControlError. */
  request(page: number, command: number, data: Uint8Array = new Uint8Array(0)): Promise<Buffer> {
    const run = (): Promise<Buffer> => this.exchange(page, command, data);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stream.off('data', this.onData);
    this.pending?.reject(new ControlError('control channel closed', 'closed'));
    this.pending = null;
  }

  private exchange(page: number, command: number, data: Uint8Array): Promise<Buffer> {
    if (this.closed) return Promise.reject(new ControlError('control channel closed', 'closed'));
    const id = this.nextId;
    this.nextId = (this.nextId + 1) & 0xff;
    const packet = encodeControlRequest({ id, page, command, data });
    const what = `control request page 0x${hex2(page)} cmd 0x${hex2(command)}`;
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = null;
        reject(new ControlError(`${what}: no reply within ${this.timeoutMs} ms`, 'timeout'));
      }, this.timeoutMs);
      this.pending = {
        id,
        resolve: (r) => {
          clearTimeout(timer);
          this.pending = null;
          if (r.ok) resolve(r.data);
          else reject(new ControlError(`${what}: device reported ${r.message}`, 'device', r.status));
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      try {
        this.stream.write(packet);
      } catch (err) {
        clearTimeout(timer);
        this.pending = null;
        reject(new ControlError(`${what}: write failed: ${(err as Error).message}`, 'closed'));
      }
    });
  }

  private receive(chunk: Buffer): void {
    let replies: ControlResponse[];
    try {
      replies = this.framer.push(chunk);
    } catch {
      this.framer.reset();
      return;
    }
    for (const r of replies) {
      if (this.pending && r.id === this.pending.id) this.pending.resolve(r);
      else this.strayReplies += 1;
    }
  }
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
