/**
 * Stateful splitter for the chip → host byte stream (docs/bm13xx-protocol.md §1.5, §1.7).
 * No I/O: feed it what the serial port delivers (USB CDC splits data into ≤64-byte packets) and
 * it returns complete response frames whose CRC5 checks. After garbage or a bad CRC it drops one
 * byte and resynchronises on the next `AA 55` (the mujina approach). It never throws.
 *
 * While expecting 11-byte frames it also accepts the 9-byte reset format (a chip that lost its
 * 0xA4 setting after a power cycle): at a preamble it tries the configured length first, then 9.
 */
import { crc5 } from './crc.js';

export interface ResponseFrameParserOptions {
  /** Normal response length: 11 (BM1366/68/70 after 0xA4) or 9 (BM1397, or before init). */
  length: 9 | 11;
  /** While expecting 11 bytes, also accept 9-byte reset-format frames. Default true. */
  detectResetFormat?: boolean;
}

export class ResponseFrameParser {
  framesOk = 0;
  /** Preambles whose frame failed the CRC at every accepted length. */
  framesBad = 0;
  /** Bytes dropped while resynchronising (garbage and the first byte of each bad frame). */
  bytesDiscarded = 0;
  /** Frames accepted in the 9-byte format while expecting 11 (a sign the chips were reset). */
  resetFormatFrames = 0;

  private length: 9 | 11;
  private detectResetFormat: boolean;
  private buf: Buffer = Buffer.alloc(256);
  private start = 0;
  private end = 0;

  constructor(opts: ResponseFrameParserOptions = { length: 11 }) {
    this.length = opts.length === 9 ? 9 : 11;
    this.detectResetFormat = opts.detectResetFormat ?? true;
  }

  get expectedLength(): 9 | 11 {
    return this.length;
  }

  /** Switch the expected length (e.g. 9 → 11 once the version mask is written). */
  setLength(length: 9 | 11): void {
    this.length = length === 9 ? 9 : 11;
  }

  /** Bytes held waiting for the rest of a frame. */
  get pendingBytes(): number {
    return this.end - this.start;
  }

  /** Append bytes and return every complete, CRC-valid frame now available, in stream order. */
  push(chunk: Uint8Array): Buffer[] {
    const out: Buffer[] = [];
    if (!(chunk instanceof Uint8Array) || chunk.length === 0) return out;
    this.append(chunk);
    this.scan(out, false);
    return out;
  }

  /**
   * Call when the line has been quiet (no more bytes are coming soon): a held 9-byte frame that
   * could also have been the start of an 11-byte frame is released. Returns the frames released.
   */
  flush(): Buffer[] {
    const out: Buffer[] = [];
    this.scan(out, true);
    return out;
  }

  /** Drop everything buffered (after a port reopen or baud change); the dropped bytes count as discarded. */
  reset(): void {
    this.bytesDiscarded += this.end - this.start;
    this.start = this.end = 0;
  }

  private append(chunk: Uint8Array): void {
    const pending = this.end - this.start;
    if (this.end + chunk.length > this.buf.length) {
      if (pending + chunk.length > this.buf.length) {
        const bigger = Buffer.alloc(Math.max(this.buf.length * 2, pending + chunk.length));
        this.buf.copy(bigger, 0, this.start, this.end);
        this.buf = bigger;
      } else {
        this.buf.copy(this.buf, 0, this.start, this.end);
      }
      this.start = 0;
      this.end = pending;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  private crcOk(at: number, length: number): boolean {
    // A good response leaves CRC5 remainder 0 over every byte after the preamble (§1.5).
    return crc5(this.buf, (length - 2) * 8, at + 2) === 0;
  }

  private emit(out: Buffer[], length: number): void {
    out.push(Buffer.from(this.buf.subarray(this.start, this.start + length)));
    this.start += length;
    this.framesOk++;
  }

  private discard(n: number): void {
    this.start += n;
    this.bytesDiscarded += n;
  }

  private scan(out: Buffer[], quiet: boolean): void {
    const buf = this.buf;
    for (;;) {
      // Resynchronise: skip to the next AA 55.
      let i = this.start;
      while (i + 1 < this.end && !(buf[i] === 0xaa && buf[i + 1] === 0x55)) i++;
      if (i + 1 >= this.end) {
        // Keep a trailing 0xAA: it may be the first half of a preamble.
        const keepFrom = this.end > this.start && buf[this.end - 1] === 0xaa ? this.end - 1 : this.end;
        this.discard(keepFrom - this.start);
        break;
      }
      if (i > this.start) this.discard(i - this.start);

      const available = this.end - this.start;
      const primary = this.length;
      const alt = primary === 11 && this.detectResetFormat ? 9 : 0;
      if (available >= primary) {
        // A 9-byte frame directly followed by the next preamble: bytes 9..10 = AA 55 would put type 2
        // (which no chip sends) in an 11-byte frame's last byte, so the 9-byte reading wins.
        if (alt && buf[this.start + alt] === 0xaa && buf[this.start + alt + 1] === 0x55 && this.crcOk(this.start, alt)) {
          this.resetFormatFrames++;
          this.emit(out, alt);
          continue;
        }
        if (this.crcOk(this.start, primary)) {
          this.emit(out, primary);
          continue;
        }
        if (alt && this.crcOk(this.start, alt)) {
          this.resetFormatFrames++;
          this.emit(out, alt);
          continue;
        }
        this.framesBad++;
        this.discard(1);
        continue;
      }
      if (alt && available >= alt && this.crcOk(this.start, alt)) {
        // 9 or 10 bytes that check as a 9-byte frame: release it only if the next frame visibly
        // starts right after it, or the line has gone quiet; else wait for the 11-byte reading.
        const nextIsPreamble = available >= alt + 2 && buf[this.start + alt] === 0xaa && buf[this.start + alt + 1] === 0x55;
        if (nextIsPreamble || quiet) {
          this.resetFormatFrames++;
          this.emit(out, alt);
          continue;
        }
        break;
      }
      if (quiet && alt && available >= alt) {
        // Quiet line, too short for 11 and not a 9-byte frame: this preamble is bad.
        this.framesBad++;
        this.discard(1);
        continue;
      }
      break;
    }
  }
}
