/**
 * Serial transport: one open port, a write queue, baud changes and a clean 'closed' signal when
 * the device vanishes. Built on the `serialport` stack (real bindings for paths, or any
 * BindingInterface such as the in-process emulator). Byte parsing lives elsewhere (chips/).
 */
import { realpathSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
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
        new SerialPort({ path, baudRate, autoOpen: false, lock: true });
    await new Promise<void>((resolve, reject) =>
      port.open((err) => (err ? reject(new Error(openErrorText(path, err))) : resolve())),
    );
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

  /** Queue a write; resolves when the bytes have been handed to the OS (drained). */
  write(data: Buffer): Promise<void> {
    const run = async (): Promise<void> => {
      const port = this.port;
      if (!port || this.closedReason) throw new Error(`cannot write: ${this.closedReason ?? 'port not open'}`);
      // Input after this write answers it: stop discarding (see flushInput).
      this.discardingInput = false;
      await new Promise<void>((resolve, reject) => {
        port.write(data, (err) => (err ? reject(err) : resolve()));
      });
      this.bytesOut += data.length;
    };
    const next = this.queue.then(run, run);
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

function openErrorText(path: string, err: Error): string {
  const msg = err.message;
  if (/lock|busy|Resource temporarily unavailable/i.test(msg)) return `${path} is in use by another program (another HashDeck engine?)`;
  if (/EACCES|permission/i.test(msg)) return `no permission to open ${path} (on Linux install resources/udev/99-hashdeck.rules or join the dialout group)`;
  if (/ENOENT|No such file/i.test(msg)) return `${path} does not exist (board unplugged?)`;
  return `cannot open ${path}: ${msg}`;
}
