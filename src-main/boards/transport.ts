/**
 * Serial transport: one open port, a write queue, baud changes and a clean 'closed' signal when
 * the device vanishes. Built on the `serialport` stack (real bindings for paths, or any
 * BindingInterface such as the in-process emulator). Byte parsing lives elsewhere (chips/).
 *
 * Writes on the OS binding of Linux and macOS go straight to the port's file descriptor when no
 * other write is in flight: the descriptor is non-blocking, so a job frame is in the kernel before
 * write() returns, with no hop through libuv's thread pool and no stream machinery in between
 * (bench/notify-pty.bench.ts). Whatever the kernel does not take at once (a full buffer) is offered
 * again every millisecond from the queue, which keeps later writes in order behind it; serialport's
 * own wait for a writable port can miss its wake-up while a read is pending (its poller re-arms
 * only the last event asked for), so the queue does not rely on it.
 */
import { realpathSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { writeSync } from 'node:fs';
import { autoDetect } from '@serialport/bindings-cpp';
import { SerialPortStream } from '@serialport/stream';

/** A serialport binding (the OS one, or the in-process emulator). */
export type BindingInterface = ConstructorParameters<typeof SerialPortStream>[0]['binding'];

export interface TransportOptions {
  path: string;
  baudRate: number;
  /** Alternate binding (in-process emulator). Default: the OS serial binding with an exclusive lock. */
  binding?: BindingInterface;
}

export interface TransportEvents {
  data: [Buffer];
  closed: [reason: string];
}

export class SerialTransport extends EventEmitter<TransportEvents> {
  private port: SerialPortStream | null = null;
  private queue: Promise<void> = Promise.resolve();
  /** Writes queued through the stream and not finished yet (a direct write must not overtake them). */
  private queuedWrites = 0;
  private closedReason: string | null = null;
  /** Set by flushInput(): input is dropped until the next write. */
  private discardingInput = false;
  /** The port is a pseudo-terminal (see setBaudRate). */
  private pseudoTerminal = false;
  bytesIn = 0;
  bytesOut = 0;

  constructor(private readonly options: TransportOptions) {
    super();
  }

  get path(): string {
    return this.options.path;
  }

  get isOpen(): boolean {
    return this.port?.isOpen === true && this.closedReason === null;
  }

  async open(): Promise<void> {
    const { path, baudRate, binding } = this.options;
    const port: SerialPortStream = binding
      ? new SerialPortStream({ binding, path, baudRate, autoOpen: false })
      : // `lock: true` gives an exclusive open (one engine per port).
        new SerialPortStream({ binding: autoDetect(), path, baudRate, autoOpen: false, lock: true });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(new Error(openErrorText(path, err))) : resolve())));
    this.port = port;
    this.pseudoTerminal = !binding && isPseudoTerminal(path);
    port.on('data', (chunk: Buffer) => {
      this.bytesIn += chunk.length;
      if (this.discardingInput) return;
      this.emit('data', chunk);
    });
    // A disconnect keeps the binding's reason (an emulated board says why it stopped hashing).
    port.on('close', (err?: Error & { disconnected?: boolean }) => this.markClosed(err?.disconnected ? `device disconnected${err.message ? `: ${err.message}` : ''}` : 'port closed'));
    port.on('error', (err: Error) => this.markClosed(`port error: ${err.message}`));
  }

  /** Write `data`; resolves when the bytes have been handed to the OS. Writes keep their order. */
  write(data: Buffer): Promise<void> {
    const port = this.port;
    const fd = port ? portFd(port) : null;
    if (this.queuedWrites === 0 && port && fd !== null && this.closedReason === null) {
      // Input after this write answers it: stop discarding (see flushInput).
      this.discardingInput = false;
      const written = tryWrite(fd, data) ?? 0;
      this.bytesOut += written;
      if (written === data.length) return Promise.resolve();
      return this.enqueue(data.subarray(written));
    }
    return this.enqueue(data);
  }

  private enqueue(data: Buffer): Promise<void> {
    this.queuedWrites++;
    const run = async (): Promise<void> => {
      const port = this.port;
      if (!port || this.closedReason) throw new Error(`cannot write: ${this.closedReason ?? 'port not open'}`);
      // Input after this write answers it: stop discarding (see flushInput).
      this.discardingInput = false;
      const fd = portFd(port);
      let rest = data;
      if (fd !== null) {
        // The kernel's buffer was full: offer the rest again as it drains (1 ms ≈ 100 bytes at 1 Mbaud).
        for (;;) {
          const written = tryWrite(fd, rest);
          if (written === null) break; // a real error: the stream write below reports it
          this.bytesOut += written;
          rest = rest.subarray(written);
          if (rest.length === 0) return;
          await new Promise((r) => setTimeout(r, 1));
        }
      }
      await new Promise<void>((resolve, reject) => {
        port.write(rest, (err) => (err ? reject(err) : resolve()));
      });
      this.bytesOut += rest.length;
    };
    const next = this.queue.then(run, run).finally(() => this.queuedWrites--);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Wait for queued writes to reach the device, then change the baud rate. A pseudo-terminal (an
   * emulator behind a PTY) has no line speed, and serialport's baud change flushes both queues
   * (tcflush TCIOFLUSH), which on a PTY throws away what the other side has not read yet: the
   * change is skipped there.
   */
  async setBaudRate(baudRate: number): Promise<void> {
    await this.drain();
    const port = this.port;
    if (!port) throw new Error('port not open');
    if (this.pseudoTerminal) return;
    await new Promise<void>((resolve, reject) => port.update({ baudRate }, (err) => (err ? reject(err) : resolve())));
  }

  async drain(): Promise<void> {
    await this.queue;
    const port = this.port;
    if (!port || !port.isOpen) return;
    await new Promise<void>((resolve) => port.drain(() => resolve()));
  }

  /**
   * Discard unread input (after a baud change): bytes received from now until the next write are
   * dropped. Not serialport's flush(): that is tcflush(TCIOFLUSH), which also discards output, and
   * on a pseudo-terminal that means bytes written earlier that the other side has not read yet
   * (the tail of an init plan was lost that way when the emulator was slow to read).
   */
  async flushInput(): Promise<void> {
    this.discardingInput = true;
  }

  async close(): Promise<void> {
    const port = this.port;
    if (!port) return;
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    this.markClosed('closed by host');
  }

  private markClosed(reason: string): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    this.emit('closed', reason);
  }
}

/** Linux /dev/pts/N and macOS /dev/ttysNNN, also behind a symlink (socat's `link=`). */
export function isPseudoTerminal(path: string): boolean {
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    /* not a file path (COM5): not a PTY */
  }
  return /^\/dev\/pts\/\d+$/.test(real) || /^\/dev\/ttys\d+$/.test(real);
}

/** The port's own file descriptor: the OS binding on Linux and macOS has one; the emulator and Windows do not. */
function portFd(port: SerialPortStream): number | null {
  const fd = (port.port as { fd?: unknown } | undefined)?.fd;
  return typeof fd === 'number' && port.isOpen ? fd : null;
}

/**
 * One non-blocking write(2): the bytes the kernel took (0 when its buffer is full), or null on any
 * other error, which is left to serialport's own write so that a vanished device is reported the
 * one way serialport reports it.
 */
function tryWrite(fd: number, data: Buffer): number | null {
  try {
    return writeSync(fd, data);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR' ? 0 : null;
  }
}

function openErrorText(path: string, err: Error): string {
  const msg = err.message;
  if (/lock|busy|Resource temporarily unavailable/i.test(msg)) return `${path} is in use by another program (another HashDeck engine?)`;
  if (/EACCES|permission/i.test(msg)) return `no permission to open ${path} (on Linux install resources/udev/99-hashdeck.rules or join the dialout group)`;
  if (/ENOENT|No such file/i.test(msg)) return `${path} does not exist (board unplugged?)`;
  return `cannot open ${path}: ${msg}`;
}
