/**
 * In-process attachment: a `@serialport/bindings-interface` binding whose ports are virtual chains,
 * so `new SerialPortStream({ binding: EmulatorBinding, path: 'emulator:4', baudRate: 115200 })`
 * talks to four emulated chips through the real serialport stream stack. Paths:
 * `emulator[:chips[:model]]`. The chain hashes in a worker thread, so the host loop stays free.
 *
 * Closing the port switches the virtual board off (the next open finds a fresh board); `unplug()`
 * on the chain makes pending reads fail as a disconnect, so the stream closes with
 * `err.disconnected === true`, like a USB board pulled out. A chain that cannot hash fails the same
 * way, with the reason as the message: `open()` waits until the chips can hash (and rejects, saying
 * why, when they never will), and a chain that stops hashing later fails its reads.
 */
import { isChipModel, type ChipModel } from '@shared/chip-model.js';
import { VirtualChain } from './chain.js';
import { EmulatorOptionsError, type EmulatorOptions } from './options.js';
import type { SerialBinding, SerialBindingPort, SerialOpenOptions, SerialPortInfo, SerialPortStatus, SerialSetOptions } from './serial-binding-types.js';

export interface EmulatorBindingOptions extends EmulatorOptions {
  /** Called with each chain a port opens (tests and the engine reach faults and status through it). */
  onOpen?: (chain: VirtualChain, path: string) => void;
  /**
   * Emulate a baud mismatch: while the port's baud differs from the chips' by more than 5 %, bytes in
   * both directions are lost (as garbage would be). Off by default.
   */
  baudCheck?: boolean;
}

export interface EmulatorBindingInterface extends SerialBinding<EmulatorPort> {
  /** Chains behind the ports open now, by path. */
  readonly openChains: ReadonlyMap<string, VirtualChain>;
}

/** `emulator`, `emulator:4`, `emulator:4:bm1366`. */
export function parseEmulatorPath(path: string): { chips: number | undefined; model: ChipModel | undefined } {
  const m = /^emulator(?::(\d+))?(?::([a-z0-9]+))?$/.exec(path);
  if (!m) throw new EmulatorOptionsError(`"${path}" is not an emulator path (expected emulator[:chips[:model]])`);
  const chips = m[1] === undefined ? undefined : Number(m[1]);
  const model = m[2];
  if (model !== undefined && !isChipModel(model)) throw new EmulatorOptionsError(`unknown chip model "${model}" in ${path}`);
  return { chips, model: model as ChipModel | undefined };
}

const BAUD_TOLERANCE = 0.05;

export class EmulatorPort implements SerialBindingPort {
  readonly openOptions: Required<SerialOpenOptions>;
  isOpen = true;
  private baudRate: number;
  private readonly queue: Buffer[] = [];
  private pendingRead: { resolve: () => void; reject: (err: Error) => void } | undefined;
  private readonly onData = (b: Buffer): void => {
    if (!this.baudMatches()) return;
    this.queue.push(b);
    this.wake();
  };
  private readonly onUnplug = (): void => this.wake();
  private readonly onChainError = (): void => this.wake();

  constructor(
    readonly chain: VirtualChain,
    options: SerialOpenOptions,
    private readonly baudCheck: boolean,
    private readonly onClosed: () => void,
  ) {
    this.openOptions = {
      dataBits: 8,
      lock: true,
      stopBits: 1,
      parity: 'none',
      rtscts: false,
      xon: false,
      xoff: false,
      xany: false,
      hupcl: true,
      ...options,
    } as Required<SerialOpenOptions>;
    this.baudRate = options.baudRate;
    chain.on('data', this.onData);
    chain.on('unplug', this.onUnplug);
    chain.on('error', this.onChainError);
  }

  private baudMatches(): boolean {
    if (!this.baudCheck) return true;
    const chipBaud = this.chain.chipBaud;
    return Math.abs(this.baudRate - chipBaud) <= chipBaud * BAUD_TOLERANCE;
  }

  private wake(): void {
    const p = this.pendingRead;
    this.pendingRead = undefined;
    p?.resolve();
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    for (;;) {
      if (!this.isOpen) throw canceledError('port is closed');
      if (this.chain.unplugged) throw new Error('emulated board was unplugged');
      if (this.chain.fault) throw new Error(`emulated board stopped hashing: ${this.chain.fault.message}`);
      const head = this.queue[0];
      if (head) {
        const n = Math.min(length, head.length);
        head.copy(buffer, offset, 0, n);
        if (n === head.length) this.queue.shift();
        else this.queue[0] = head.subarray(n);
        return { buffer, bytesRead: n };
      }
      if (this.pendingRead) throw new Error('a read is already pending');
      await new Promise<void>((resolve, reject) => (this.pendingRead = { resolve, reject }));
    }
  }

  async write(buffer: Buffer): Promise<void> {
    if (!this.isOpen) throw canceledError('port is closed');
    if (this.chain.unplugged) throw new Error('emulated board was unplugged');
    const copy = Buffer.from(buffer);
    // Deliver after the write resolves, as a UART would, so replies never precede the write's completion.
    setImmediate(() => {
      if (this.isOpen && this.baudMatches()) this.chain.write(copy);
    });
  }

  async update(options: { baudRate: number }): Promise<void> {
    if (!this.isOpen) throw new Error('port is not open');
    if (!Number.isInteger(options.baudRate) || options.baudRate <= 0) throw new TypeError(`baudRate must be a positive integer, got ${options.baudRate}`);
    this.baudRate = options.baudRate;
  }

  async set(_options: SerialSetOptions): Promise<void> {
    if (!this.isOpen) throw new Error('port is not open');
  }

  async get(): Promise<SerialPortStatus> {
    if (!this.isOpen) throw new Error('port is not open');
    return { cts: true, dsr: true, dcd: true };
  }

  async getBaudRate(): Promise<{ baudRate: number }> {
    if (!this.isOpen) throw new Error('port is not open');
    return { baudRate: this.baudRate };
  }

  async flush(): Promise<void> {
    if (!this.isOpen) throw new Error('port is not open');
    this.queue.length = 0;
  }

  async drain(): Promise<void> {
    if (!this.isOpen) throw new Error('port is not open');
    await new Promise((resolve) => setImmediate(resolve));
  }

  async close(): Promise<void> {
    if (!this.isOpen) throw new Error('port is not open');
    this.isOpen = false;
    const p = this.pendingRead;
    this.pendingRead = undefined;
    p?.reject(canceledError('port closed'));
    this.chain.off('data', this.onData);
    this.chain.off('unplug', this.onUnplug);
    this.chain.off('error', this.onChainError);
    this.onClosed();
    await this.chain.close();
  }
}

function canceledError(message: string): Error {
  return Object.assign(new Error(message), { canceled: true });
}

export function createEmulatorBinding(defaults: EmulatorBindingOptions = {}): EmulatorBindingInterface {
  const openChains = new Map<string, VirtualChain>();
  const { onOpen, baudCheck, ...chainDefaults } = defaults;
  return {
    openChains,
    async list(): Promise<SerialPortInfo[]> {
      const paths = new Set([`emulator:${chainDefaults.chips ?? 1}`, ...openChains.keys()]);
      return [...paths].map((path) => ({
        path,
        manufacturer: 'HashDeck emulator',
        serialNumber: undefined,
        pnpId: undefined,
        locationId: undefined,
        productId: undefined,
        vendorId: undefined,
      }));
    },
    async open(options: SerialOpenOptions): Promise<EmulatorPort> {
      if (!options || typeof options.path !== 'string') throw new TypeError('"path" is not a valid port');
      if (!Number.isInteger(options.baudRate) || options.baudRate <= 0) throw new TypeError(`baudRate must be a positive integer, got ${options.baudRate}`);
      const { chips, model } = parseEmulatorPath(options.path);
      if (openChains.has(options.path)) throw new Error(`${options.path} is already open (locked)`);
      const chain = new VirtualChain({ ...chainDefaults, chips: chips ?? chainDefaults.chips, model: model ?? chainDefaults.model });
      try {
        await chain.hashingReady;
      } catch (err) {
        await chain.close();
        throw new Error(`emulated board cannot hash: ${(err as Error).message}`);
      }
      if (openChains.has(options.path)) {
        await chain.close();
        throw new Error(`${options.path} is already open (locked)`);
      }
      openChains.set(options.path, chain);
      const port = new EmulatorPort(chain, options, baudCheck ?? false, () => openChains.delete(options.path));
      chain.once('unplug', () => openChains.delete(options.path));
      onOpen?.(chain, options.path);
      return port;
    },
  };
}

/** A binding with default emulator options (one BM1366 unless the path says otherwise). */
export const EmulatorBinding: EmulatorBindingInterface = createEmulatorBinding();
