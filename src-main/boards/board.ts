/**
 * A board: one chain on one serial port, its job slots, its state and its watchdog. It is the
 * dispatcher's JobSink and hands every nonce (with the job it belongs to) to the engine.
 * Unplugging stops only this board; the engine may start it again when the port returns.
 */
import { EventEmitter } from 'node:events';
import type { ChipDriver } from '../chips/driver.js';
import type { ChipModel } from '../chips/model.js';
import { ticketTarget, ticketWeight } from '../chips/bm13xx/ticket.js';
import type { BoardState } from '../engine/contract.js';
import type { ChipNonce, Job } from '../work/job.js';
import type { JobSink } from '../work/dispatcher.js';
import type { TicketContext } from '../work/validator.js';
import { Chain, type NonceResponse } from './chain.js';
import { REG } from '../chips/bm13xx/registers.js';
import { SerialTransport, type BindingInterface } from './transport.js';

export interface BoardConfig {
  id: string;
  name: string;
  path: string;
  driver: ChipDriver;
  frequencyMhz: number;
  /** Ticket difficulty requested from the chips (ESP-Miner default 256). */
  ticketDifficulty: number;
  versionMask: number;
  /** Emulated board: the chips return nonces at ticket difficulty × 2^-scaleBits. */
  emulated: boolean;
  scaleBits: number;
  expectedChips?: number;
  binding?: BindingInterface;
  /** Watchdog: silence longer than this re-initialises the chain. */
  silenceMs?: number;
  /** How often chips are polled (hash counters) — doubles as the liveness probe. */
  pollIntervalMs?: number;
}

export interface BoardEvents {
  state: [state: BoardState, detail: string | null];
  /** `jobLive` is false for a job whose slot was invalidated (clean_jobs, new tip): a late nonce. */
  nonce: [nonce: ChipNonce, job: Job | undefined, jobLive: boolean];
  ready: [];
  /** A total hash counter (register 0x8C) read from one chip. */
  counter: [chipIndex: number, count: number, atMs: number];
  log: [level: 'debug' | 'info' | 'warn' | 'error', text: string];
}

export class Board extends EventEmitter<BoardEvents> implements JobSink {
  state: BoardState = 'starting';
  stateDetail: string | null = null;
  readonly startedAtMs = Date.now();
  nonces = 0;
  private transport: SerialTransport | null = null;
  private chain: Chain | null = null;
  /** Job slots by chip job id. Invalidated jobs stay until their slot is reused so late nonces can still be re-hashed and counted honestly. */
  private readonly slots = new Map<number, { job: Job; live: boolean }>();
  private lastChipJobId: number | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private recovering = false;
  private stopped = false;
  recoveries = 0;

  constructor(readonly config: BoardConfig) {
    super();
  }

  get id(): string {
    return this.config.id;
  }
  get model(): ChipModel {
    return this.config.driver.model;
  }
  get chipCount(): number {
    return this.chain?.chipCount ?? 0;
  }
  get frequencyMhz(): number {
    return this.chain?.frequencyMhz ?? this.config.frequencyMhz;
  }
  get acceptsJobs(): boolean {
    return this.state === 'hashing';
  }
  get jobIntervalMs(): number {
    return this.config.driver.jobIntervalMs(Math.max(1, this.chipCount), this.frequencyMhz);
  }
  get effectiveTicketDifficulty(): number {
    return this.config.driver.effectiveTicketDifficulty(this.config.ticketDifficulty);
  }
  get ticket(): TicketContext {
    const d = this.effectiveTicketDifficulty;
    return { ticketTarget: ticketTarget(d, this.config.scaleBits), weight: ticketWeight(d, this.config.scaleBits) };
  }
  get expectedHashrateHs(): number {
    return this.config.driver.expectedHashrateHs(this.frequencyMhz, this.chipCount);
  }
  get framesBad(): number {
    return this.chain?.framesBad ?? 0;
  }
  get framesOk(): number {
    return this.chain?.framesOk ?? 0;
  }
  get chainForDiagnostics(): Chain | null {
    return this.chain;
  }

  /** Open the port and initialise the chain; resolves when hashing can start. */
  async start(): Promise<void> {
    this.stopped = false;
    this.setState('initialising', null);
    const transport = new SerialTransport({ path: this.config.path, baudRate: this.config.driver.resetBaud, binding: this.config.binding });
    this.transport = transport;
    transport.on('closed', (reason) => this.onClosed(reason));
    await transport.open();
    const chain = new Chain(this.config.driver, transport, {
      frequencyMhz: this.config.frequencyMhz,
      ticketDifficulty: this.config.ticketDifficulty,
      versionMask: this.config.versionMask,
      expectedChips: this.config.expectedChips,
      delayScale: this.config.emulated ? 0.02 : 1,
    });
    this.chain = chain;
    chain.on('log', (level, text) => this.emit('log', level, text));
    chain.on('nonce', (r, chipIndex) => this.onNonce(r, chipIndex));
    chain.on('register', (r) => {
      if (r.register === REG.TOTAL_COUNTER && chain.ready) this.emit('counter', this.config.driver.chipIndexFromAddress(r.chipAddress, chain.chipCount), r.value, Date.now());
    });
    chain.on('resetDetected', () => void this.recover('replies fell back to the reset format (power cycle?)'));
    const found = await chain.initialise();
    this.emit('log', 'info', `${found} ${this.model.toUpperCase()} chip(s) at ${chain.frequencyMhz} MHz on ${this.config.path}`);
    this.setState('hashing', null);
    this.startWatchdog();
    this.emit('ready');
  }

  sendJob(job: Job): void {
    const chain = this.chain;
    if (!chain || this.state !== 'hashing') return;
    const chipJobId = this.config.driver.nextChipJobId(this.lastChipJobId);
    this.lastChipJobId = chipJobId;
    this.slots.set(chipJobId, { job, live: true });
    job.sentAtMs = Date.now();
    const t = job.template;
    chain
      .sendJob({ chipJobId, version: t.version, versionMask: t.versionMask, prevHash: t.prevHash, merkleRoot: job.merkleRoot, ntime: t.ntime, nbits: t.nbits })
      .catch((err: Error) => this.emit('log', 'warn', `job write failed: ${err.message}`));
  }

  invalidateJobs(): void {
    for (const slot of this.slots.values()) slot.live = false;
  }

  /** Leave the board safe and release the port. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopWatchdog();
    const chain = this.chain;
    if (chain?.ready && this.transport?.isOpen) {
      // Quiet the chips before letting go: the highest ticket mask means no more reports, and a
      // short drain lets nonces already on the wire be read and counted (nothing dropped).
      this.setState('stopped', 'quiescing');
      await chain.write(this.config.driver.ticketMaskFrame(2 ** 32)).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
    }
    this.slots.clear();
    this.chain?.dispose();
    await this.transport?.close().catch(() => undefined);
    if (this.state !== 'lost') this.setState('stopped', null);
  }

  private onNonce(r: NonceResponse, chipIndex: number): void {
    this.nonces++;
    const slot = this.slots.get(r.chipJobId);
    // Full rolled version (docs §2.6; BM1397 midstate increments §5.3).
    const version = slot ? this.config.driver.rolledVersion(slot.job.template.version, slot.job.template.versionMask, r) : 0;
    this.emit(
      'nonce',
      { boardId: this.id, chipIndex, coreId: r.coreId, smallCoreId: r.smallCoreId, chipJobId: r.chipJobId, nonce: r.nonce, version, receivedAtMs: Date.now() },
      slot?.job,
      slot?.live ?? false,
    );
  }

  private startWatchdog(): void {
    this.stopWatchdog();
    const silenceMs = this.config.silenceMs ?? 30_000;
    const pollMs = this.config.pollIntervalMs ?? 2_000;
    this.watchdog = setInterval(() => {
      const chain = this.chain;
      if (!chain || this.state !== 'hashing') return;
      if (Date.now() - chain.lastFrameAt > silenceMs) {
        void this.recover(`no reply for ${Math.round(silenceMs / 1000)} s`);
        return;
      }
      // A register read keeps a live chain talking, and a reset chain answers in the 9-byte form.
      const frames = this.config.driver.counterReadFrames();
      for (const f of frames.slice(0, 1)) chain.write(f).catch(() => undefined);
    }, pollMs);
    this.watchdog.unref?.();
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
  }

  /** Watchdog recovery: re-initialise the chain on the same port. */
  private async recover(reason: string): Promise<void> {
    if (this.recovering || this.stopped || !this.chain) return;
    this.recovering = true;
    this.recoveries++;
    this.emit('log', 'warn', `re-initialising: ${reason}`);
    this.setState('recovering', reason);
    this.slots.clear();
    try {
      await this.chain.initialise();
      if (this.stopped) return;
      this.setState('hashing', null);
      this.emit('ready');
    } catch (err) {
      this.setState('error', (err as Error).message);
    } finally {
      this.recovering = false;
    }
  }

  private onClosed(reason: string): void {
    if (this.stopped) return;
    this.stopWatchdog();
    this.slots.clear();
    this.setState('lost', reason);
  }

  private setState(state: BoardState, detail: string | null): void {
    this.state = state;
    this.stateDetail = detail;
    this.emit('state', state, detail);
  }
}
