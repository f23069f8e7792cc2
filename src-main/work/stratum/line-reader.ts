/**
 * Newline framing for Stratum (docs/stratum-and-gbt.md §1.1): one JSON object per line, and a TCP
 * read may carry several lines or part of one. Memory is bounded: a line longer than
 * `maxLineBytes` is dropped (reported once) and the reader resynchronises at the next newline.
 */

export interface LineReaderOptions {
  /** Longest accepted line in bytes, newline excluded. A notify with 32 branches is ~3 KiB. */
  maxLineBytes?: number;
  onLine(line: string): void;
  /** A line exceeded the limit and was discarded; `droppedBytes` counted so far for it. */
  onOversize?(droppedBytes: number): void;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

export class LineReader {
  private readonly maxLineBytes: number;
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  /** Inside an oversized line: discard until the next newline. */
  private discarding = false;
  private discardedBytes = 0;

  constructor(private readonly options: LineReaderOptions) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!(this.maxLineBytes > 0)) throw new Error('maxLineBytes must be positive');
  }

  /** Bytes held for the unfinished line (never more than maxLineBytes). */
  get pendingBytes(): number {
    return this.buffered;
  }

  push(data: Uint8Array): void {
    let start = 0;
    const chunk = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length);
    while (start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      const end = nl === -1 ? chunk.length : nl;
      if (this.discarding) {
        this.discardedBytes += end - start;
      } else if (this.buffered + (end - start) > this.maxLineBytes) {
        this.discarding = true;
        this.discardedBytes = this.buffered + (end - start);
        this.chunks.length = 0;
        this.buffered = 0;
      } else if (end > start) {
        this.chunks.push(chunk.subarray(start, end));
        this.buffered += end - start;
      }
      if (nl === -1) break;
      this.endLine();
      start = nl + 1;
    }
    // Copy what we keep so a large socket buffer is not pinned by a small tail.
    if (this.chunks.length > 0 && this.chunks.length !== 1) {
      const joined = Buffer.concat(this.chunks, this.buffered);
      this.chunks.length = 0;
      this.chunks.push(joined);
    } else if (this.chunks.length === 1 && this.chunks[0]!.buffer.byteLength > this.buffered * 2) {
      this.chunks[0] = Buffer.from(this.chunks[0]!);
    }
  }

  /** Forget a partial line (connection closed). */
  reset(): void {
    this.chunks.length = 0;
    this.buffered = 0;
    this.discarding = false;
    this.discardedBytes = 0;
  }

  private endLine(): void {
    if (this.discarding) {
      this.discarding = false;
      const dropped = this.discardedBytes;
      this.discardedBytes = 0;
      this.options.onOversize?.(dropped);
      return;
    }
    const line = (this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered)).toString('utf8');
    this.chunks.length = 0;
    this.buffered = 0;
    // Tolerate CRLF and blank keep-alive lines.
    const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (trimmed.trim().length > 0) this.options.onLine(trimmed);
  }
}
