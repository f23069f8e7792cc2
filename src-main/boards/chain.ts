/**
 * A chain of BM13xx chips behind one serial port: runs the model's init plan (enumerate, address,
 * registers, frequency ramp, baud switch), sends jobs, and turns the response stream into decoded
 * nonces and register replies. The byte-level work (frames, CRC, resync, decoding) is in chips/;
 * this file owns timing and I/O only. Power (regulator, reset line) belongs to board control.
 */
import type { LogLevel } from '@shared/log-level.js';
import { EventEmitter } from 'node:events';
import type { ChipDriver, ChipJobFields, ChipResponse, InitStep } from '../chips/driver.js';
import { readRegisterAll } from '../chips/bm13xx/frames.js';
import { modelFromChipId } from '../chips/index.js';
import type { ChipModel } from '@shared/chip-model.js';
import { ResponseFrameParser } from '../chips/bm13xx/response-parser.js';
import { resolveTicket, type TicketSetting } from '../chips/bm13xx/auto-ticket.js';
import type { SerialTransport } from './transport.js';

export type NonceResponse = Extract<ChipResponse, { kind: 'nonce' }>;
export type RegisterResponse = Extract<ChipResponse, { kind: 'register' }>;

export interface ChainEvents {
  nonce: [response: NonceResponse, chipIndex: number];
  register: [response: RegisterResponse];
  /** Replies came back in the 9-byte reset format: the chips lost power or were reset. */
  resetDetected: [];
  log: [level: LogLevel, text: string];
}

export interface ChainOptions {
  frequencyMhz: number;
  /** A difficulty, or 'auto': chosen for the chip count and frequency, again after a frequency change. */
  ticketDifficulty: TicketSetting;
  versionMask: number;
  /** Chips the user expects; enumeration with fewer is reported, not fatal. */
  expectedChips?: number;
  /** Multiply plan delays (an emulated board's PLL settles at once). */
  delayScale?: number;
  /** Enumeration attempts on a cold board before giving up. */
  enumerateAttempts?: number;
}

export class ChipInitError extends Error {}

/**
 * A new ticket mask counts from this long after its write left the host: replies already on the wire
 * (one 11-byte reply is 110 µs at 1 Mbaud, a USB bridge adds about a millisecond) were found under
 * the old one.
 */
export const TICKET_CHANGE_GRACE_MS = 5;

/** The chips answered enumeration with another model's chip id. */
export class ChipModelMismatchError extends ChipInitError {
  constructor(
    readonly expected: ChipModel,
    readonly detected: ChipModel,
    readonly count: number,
    path: string,
  ) {
    super(`the chips on ${path} answered as ${detected.toUpperCase()}, not ${expected.toUpperCase()}: use --chip ${detected}`);
  }
}

export class Chain extends EventEmitter<ChainEvents> {
  chipCount = 0;
  frequencyMhz: number;
  ready = false;
  private readonly parser: ResponseFrameParser;
  private enumerating: RegisterResponse[] | null = null;
  private pendingReads: { register: number; resolve: (r: RegisterResponse[]) => void; replies: RegisterResponse[] }[] = [];
  private lastFrameAtMs = 0;
  private quietTimer: NodeJS.Timeout | null = null;
  /** Ticket difficulties the chips applied, newest last, each from the host time it took effect. */
  private tickets: Array<{ sinceMs: number; difficulty: number }> = [];

  constructor(
    readonly driver: ChipDriver,
    readonly transport: SerialTransport,
    private readonly options: ChainOptions,
  ) {
    super();
    this.frequencyMhz = options.frequencyMhz;
    // Chips answer in the 9-byte reset format until the version mask is written.
    this.parser = new ResponseFrameParser({ length: driver.responseLength, detectResetFormat: driver.responseLength === 11 });
    transport.on('data', (chunk) => this.onData(chunk));
  }

  get framesOk(): number {
    return this.parser.framesOk;
  }
  get framesBad(): number {
    return this.parser.framesBad;
  }
  get bytesDiscarded(): number {
    return this.parser.bytesDiscarded;
  }
  get lastFrameAt(): number {
    return this.lastFrameAtMs;
  }

  /** The ticket difficulty the chips apply now (before init: what the setting gives for the expected chips). */
  get ticketDifficulty(): number {
    return this.tickets.at(-1)?.difficulty ?? resolveTicket(this.options.ticketDifficulty, this.driver, this.options.expectedChips ?? 1, this.driver.frequencyForPll(this.options.frequencyMhz));
  }

  /** The ticket difficulty in force when a reply read at `atMs` was found. */
  ticketAt(atMs: number): number {
    for (let i = this.tickets.length - 1; i > 0; i--) if (atMs >= this.tickets[i]!.sinceMs) return this.tickets[i]!.difficulty;
    return this.tickets[0]?.difficulty ?? this.ticketDifficulty;
  }

  /** Enumerate and initialise from the reset state. Returns the number of chips found. */
  async initialise(): Promise<number> {
    this.ready = false;
    const d = this.driver;
    const attempts = this.options.enumerateAttempts ?? 3;
    let found = 0;
    for (let attempt = 1; attempt <= attempts && found === 0; attempt++) {
      if (attempt > 1) {
        this.emit('log', 'warn', `no chip answered; retrying enumeration (${attempt}/${attempts})`);
        await this.sleep(500);
      }
      await this.transport.setBaudRate(d.resetBaud);
      await this.transport.flushInput();
      this.parser.reset();
      found = await this.runPlan(d.preEnumerationPlan(this.options.versionMask));
    }
    if (found === 0) throw new ChipInitError(`no ${d.model.toUpperCase()} chip answered on ${this.transport.path}`);
    this.chipCount = found;
    if (this.options.expectedChips !== undefined && found !== this.options.expectedChips) {
      this.emit('log', 'warn', `found ${found} chip(s), expected ${this.options.expectedChips}`);
    }
    const ticket = resolveTicket(this.options.ticketDifficulty, d, found, d.frequencyForPll(this.options.frequencyMhz));
    await this.runPlan(d.initPlan({ chipCount: found, frequencyMhz: this.options.frequencyMhz, ticketDifficulty: ticket, versionMask: this.options.versionMask }));
    this.frequencyMhz = d.frequencyForPll(this.options.frequencyMhz);
    // Nothing was counted while the chain initialised: this ticket covers every reply from now.
    this.tickets = [{ sinceMs: -Infinity, difficulty: ticket }];
    this.ready = true;
    return found;
  }

  async sendJob(fields: ChipJobFields): Promise<void> {
    await this.transport.write(this.driver.encodeJob(fields));
  }

  async write(frame: Buffer): Promise<void> {
    await this.transport.write(frame);
  }

  /** Read a register from every chip (broadcast); resolves with the replies that arrive within `timeoutMs`. */
  async readRegisterAll(register: number, timeoutMs = 300): Promise<RegisterResponse[]> {
    const entry = { register, replies: [] as RegisterResponse[], resolve: (_r: RegisterResponse[]) => {} };
    const done = new Promise<RegisterResponse[]>((resolve) => (entry.resolve = resolve));
    this.pendingReads.push(entry);
    await this.transport.write(readRegisterAll(register));
    const timer = setTimeout(() => {
      this.pendingReads = this.pendingReads.filter((e) => e !== entry);
      entry.resolve(entry.replies);
    }, timeoutMs);
    const replies = await done;
    clearTimeout(timer);
    return replies;
  }

  /** The frequency the next initialise() ramps to, so that a new operating point survives a re-initialisation. */
  retarget(frequencyMhz: number): void {
    this.options.frequencyMhz = frequencyMhz;
  }

  async changeFrequency(toMhz: number): Promise<void> {
    await this.runPlan(this.driver.frequencyChangePlan(this.frequencyMhz, toMhz, this.chipCount));
    this.frequencyMhz = this.driver.frequencyForPll(toMhz);
    // 'auto' follows the hashrate the new frequency gives.
    if (this.options.ticketDifficulty === 'auto') await this.applyTicket(resolveTicket('auto', this.driver, this.chipCount, this.frequencyMhz));
  }

  /** Write a new ticket mask; replies read from TICKET_CHANGE_GRACE_MS after the write count at it. */
  private async applyTicket(difficulty: number): Promise<void> {
    if (difficulty === this.ticketDifficulty && this.tickets.length > 0) return;
    await this.transport.write(this.driver.ticketMaskFrame(difficulty));
    this.tickets = [...this.tickets.slice(-1), { sinceMs: Date.now() + TICKET_CHANGE_GRACE_MS, difficulty }];
    this.emit('log', 'info', `ticket difficulty ${difficulty} (auto, ${this.frequencyMhz} MHz)`);
  }

  dispose(): void {
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.removeAllListeners();
  }

  private async runPlan(plan: InitStep[]): Promise<number> {
    let counted = 0;
    for (const step of plan) {
      switch (step.kind) {
        case 'write':
          await this.transport.write(step.frame);
          if (step.label.toLowerCase().includes('version mask')) this.parser.setLength(this.driver.responseLength);
          if (step.delayAfterMs) await this.sleep(step.delayAfterMs);
          break;
        case 'delay':
          await this.sleep(step.ms);
          break;
        case 'hostBaud':
          await this.transport.drain();
          await this.transport.setBaudRate(step.baud);
          await this.transport.flushInput();
          this.parser.reset();
          break;
        case 'enumerate':
          counted = await this.enumerate(step.frame, step.quietMs);
          break;
      }
    }
    return counted;
  }

  private async enumerate(frame: Buffer, quietMs: number): Promise<number> {
    const replies: RegisterResponse[] = [];
    this.enumerating = replies;
    await this.transport.write(frame);
    // Count chip-id replies until the line has been quiet for quietMs (docs §3.2 step 2).
    let seen = -1;
    const started = Date.now();
    while (seen !== replies.length && Date.now() - started < 10_000) {
      seen = replies.length;
      await this.sleep(quietMs, true);
    }
    this.enumerating = null;
    const ids = replies.filter((r) => r.register === 0).map((r) => r.value >>> 16);
    const matching = ids.filter((id) => id === this.driver.chipId).length;
    if (matching === 0) {
      const other = ids.map((id) => modelFromChipId(id)).find((m): m is ChipModel => m !== null);
      if (other) throw new ChipModelMismatchError(this.driver.model, other, ids.length, this.transport.path);
    }
    return matching;
  }

  private onData(chunk: Buffer): void {
    this.lastFrameAtMs = Date.now();
    for (const frame of this.parser.push(chunk)) this.onFrame(frame);
    // Release a held 9-byte frame if the line goes quiet (reset-format replies).
    if (this.parser.pendingBytes > 0) {
      if (this.quietTimer) clearTimeout(this.quietTimer);
      this.quietTimer = setTimeout(() => {
        for (const frame of this.parser.flush()) this.onFrame(frame);
      }, 20);
      this.quietTimer.unref?.();
    }
  }

  private onFrame(frame: Buffer): void {
    const response = this.driver.decodeResponse(frame);
    if (!response) return;
    if (this.ready && frame.length === 9 && this.driver.responseLength === 11) {
      this.emit('resetDetected');
      return;
    }
    if (response.kind === 'register') {
      this.enumerating?.push(response);
      for (const read of this.pendingReads) if (read.register === response.register) read.replies.push(response);
      this.emit('register', response);
      return;
    }
    if (!this.ready) return;
    const chipIndex = this.driver.chipIndexFromAddress(response.chipAddress, this.chipCount);
    this.emit('nonce', response, chipIndex);
  }

  private sleep(ms: number, unscaled = false): Promise<void> {
    const scaled = unscaled ? ms : ms * (this.options.delayScale ?? 1);
    return new Promise((resolve) => setTimeout(resolve, scaled));
  }
}
