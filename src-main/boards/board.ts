/**
 * A board: one chain on one serial port, its job slots, its state and its watchdog. It is the
 * dispatcher's JobSink and hands every nonce (with the job it belongs to) to the engine.
 * Unplugging stops only this board; the engine may start it again when the port returns.
 */
import type { LogLevel } from '@shared/log-level.js';
import { EventEmitter } from 'node:events';
import type { ChipDriver } from '../chips/driver.js';
import type { ChipModel } from '@shared/chip-model.js';
import { ticketTarget, ticketWeight } from '../chips/bm13xx/ticket.js';
import { resolveTicket, type TicketSetting } from '../chips/bm13xx/auto-ticket.js';
import type { BoardState, ChipLimits, OperatingPoint, OperatingSource } from '@shared/contract';
import type { ChipNonce, Job } from '../work/job.js';
import type { JobSink } from '../work/dispatcher.js';
import type { TicketContext } from '../work/validator.js';
import { Chain, ChipModelMismatchError, type NonceResponse } from './chain.js';
import { chipDriver } from '../chips/index.js';
import { REG } from '../chips/bm13xx/registers.js';
import { SerialTransport, type BindingInterface } from './transport.js';
import type { ControlLink } from './control/control-link.js';
import { ControlSession, type ControlSessionOptions, type ThermalEventKind } from './control/control-session.js';
import type { SensorReadings } from './control/board-control.js';
import type { OperatingSettings } from './control/thermal-guard.js';

export interface BoardConfig {
  id: string;
  name: string;
  path: string;
  driver: ChipDriver;
  /** The device does not say its chip (bitaxe-raw, CP2105 sticks): take the model the chips answer with. */
  detectModel?: boolean;
  /** frequencyMhz is the model's default (no --frequency): follow the detected model's default. */
  frequencyIsModelDefault?: boolean;
  frequencyMhz: number;
  /** Ticket difficulty requested from the chips (ESP-Miner default 256), or 'auto' (chips/bm13xx/auto-ticket.ts). */
  ticketDifficulty: TicketSetting;
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
  /** The bitaxe-raw control side (sensors, fan, core voltage, reset line), when the board has one. */
  control?: ControlLink | null;
  /** Core voltage to power up at (docs/bm13xx-protocol.md §6.3); the model's default when absent. */
  coreVoltageV?: number;
  controlOptions?: ControlSessionOptions;
  /** Stable identity (USB serial number, a synthetic one for an emulator). */
  serial?: string | null;
  /** Where frequencyMhz / coreVoltageV came from (options, a remembered tuning profile, …). */
  operatingSource?: OperatingSource;
  /** Initialise the chain, then pause before the first job (the user or the schedule paused it). */
  startPaused?: boolean;
  /** Why it starts paused (shown with the state). */
  pauseReason?: string;
}

/** A setting outside the chip model's range, or one the board cannot apply. */
export class OperatingPointError extends Error {
  override name = 'OperatingPointError';
}

/**
 * Core voltage a board is powered up at when the user gives none: ESP-Miner's per-family defaults
 * (BM1366 1200 mV, docs/features.md §(d)1 step 11; BM1368 1166 mV, BM1370 1150 mV, BM1397 1400 mV).
 */
export const DEFAULT_CORE_VOLTAGE_V: Record<ChipModel, number> = { bm1366: 1.2, bm1368: 1.166, bm1370: 1.15, bm1397: 1.4 };

export interface BoardEvents {
  state: [state: BoardState, detail: string | null];
  /** `jobLive` is false for a job whose slot was invalidated (clean_jobs, new tip): a late nonce. */
  nonce: [nonce: ChipNonce, job: Job | undefined, jobLive: boolean];
  ready: [];
  /** A total hash counter (register 0x8C) read from one chip. */
  counter: [chipIndex: number, count: number, atMs: number];
  log: [level: LogLevel, text: string];
  /** Something the user must see (control port unavailable, overheat, resume); `key` dedupes. */
  warning: [key: string, level: 'info' | 'warn' | 'error', text: string];
  /** A thermal guard decision (also reported as a warning). */
  thermal: [kind: ThermalEventKind, text: string, settings: OperatingSettings | null];
}

export class Board extends EventEmitter<BoardEvents> implements JobSink {
  /** Only the board changes its state, through its transitions (each with its reason). */
  private currentState: BoardState = 'starting';
  private currentDetail: string | null = null;
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
  private controlSession: ControlSession | null = null;
  private lastReadings: SensorReadings | null = null;
  /** Frequency the thermal guard lowered the board to; re-applied after any re-initialisation. */
  private deratedFrequencyMhz: number | null = null;
  /** Why there are no sensor figures, when a control port was given but is not usable. */
  controlProblem: string | null = null;
  /** The user or the schedule wants the board paused; kept across re-initialisations. */
  private pauseWanted: boolean;
  private pauseReason: string | null = null;
  /** Paused (or cooling) with the reset held and the core voltage off: resume powers up first. */
  private poweredDown = false;
  /** Core voltage the thermal guard lowered the board to; used when a paused board powers up again. */
  private deratedCoreVoltageV: number | null = null;
  /** Frequency and core voltage set while running (by hand or a tuning profile); null = from the config. */
  private operatingFrequencyMhz: number | null = null;
  private operatingCoreVoltageV: number | null = null;
  private source: OperatingSource;
  /** Pause, resume and operating-point changes run one at a time, in order. */
  private transitions: Promise<void> = Promise.resolve();

  /** The chip driver; replaced once if the chips answer as another model and detectModel is set. */
  private driver: ChipDriver;

  constructor(readonly config: BoardConfig) {
    super();
    this.driver = config.driver;
    this.pauseWanted = config.startPaused ?? false;
    this.pauseReason = this.pauseWanted ? (config.pauseReason ?? 'paused') : null;
    this.source = config.operatingSource ?? (config.frequencyIsModelDefault && config.coreVoltageV === undefined ? 'default' : 'options');
  }

  get id(): string {
    return this.config.id;
  }
  get state(): BoardState {
    return this.currentState;
  }
  /** Why the board is in its state (null when there is nothing to say). */
  get stateDetail(): string | null {
    return this.currentDetail;
  }
  get model(): ChipModel {
    return this.driver.model;
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
    return this.driver.jobIntervalMs(Math.max(1, this.chipCount), this.frequencyMhz);
  }
  get effectiveTicketDifficulty(): number {
    return this.chain?.ticketDifficulty ?? resolveTicket(this.config.ticketDifficulty, this.driver, this.config.expectedChips ?? 1, this.config.frequencyMhz);
  }
  get ticket(): TicketContext {
    return this.ticketContext(this.effectiveTicketDifficulty);
  }
  /** The ticket a reply read at `atMs` was found under (the mask may have changed since: 'auto' after a frequency change). */
  ticketAt(atMs: number): TicketContext {
    return this.ticketContext(this.chain?.ticketAt(atMs) ?? this.effectiveTicketDifficulty);
  }
  private ticketContext(d: number): TicketContext {
    return { ticketTarget: ticketTarget(d, this.config.scaleBits), weight: ticketWeight(d, this.config.scaleBits) };
  }
  get expectedHashrateHs(): number {
    return this.driver.expectedHashrateHs(this.frequencyMhz, this.chipCount);
  }
  /** What real chips of this model would hash at a frequency, for this board's chip count. */
  ratedHashrateHs(frequencyMhz: number): number {
    return this.driver.expectedHashrateHs(frequencyMhz, this.chipCount);
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
  get pausedForHeat(): boolean {
    return this.state === 'cooling';
  }
  /** The latest sensor sweep (null without a working control port). */
  get sensors(): SensorReadings | null {
    return this.controlSession?.latest ?? this.lastReadings;
  }
  get control(): ControlSession | null {
    return this.controlSession;
  }
  /** Paused, or asked to pause (a start or re-initialisation in progress ends paused). */
  get pauseRequested(): boolean {
    return this.pauseWanted;
  }
  /** The model's frequency and core-voltage range. */
  get limits(): ChipLimits {
    return this.driver.limits;
  }
  /** The core voltage can be set from the host (a regulator on the control port). */
  get voltageSettable(): boolean {
    return this.controlSession?.control.canSetCoreVoltage ?? false;
  }
  /** Frequency the chain is (re)initialised at. */
  get targetFrequencyMhz(): number {
    return this.operatingFrequencyMhz ?? (this.config.frequencyIsModelDefault ? this.driver.defaultFrequencyMhz : this.config.frequencyMhz);
  }
  /** Core voltage the board is powered up at. */
  get targetCoreVoltageV(): number {
    return this.operatingCoreVoltageV ?? this.config.coreVoltageV ?? DEFAULT_CORE_VOLTAGE_V[this.model];
  }
  /** The operating point now: the chain's frequency, and the voltage the board runs at (null when not host-set). */
  get operatingPoint(): OperatingPoint {
    const setpoint = this.controlSession?.control.coreVoltageSetpointV ?? null;
    const volts = this.voltageSettable ? (setpoint ?? this.deratedCoreVoltageV ?? this.targetCoreVoltageV) : null;
    return { frequencyMhz: this.frequencyMhz, coreVoltageMv: volts === null ? null : Math.round(volts * 1000) };
  }
  get operatingSource(): OperatingSource {
    return this.source;
  }

  /**
   * Open the port and initialise the chain; resolves when hashing can start. A stop() during the
   * start cancels it quietly: what fails after the port was released is no news.
   */
  async start(): Promise<void> {
    this.stopped = false;
    try {
      await this.open();
    } catch (err) {
      if (this.stopped) return;
      throw err;
    }
  }

  private async open(): Promise<void> {
    this.setState('initialising', null);
    // Power first (§3.1): the chips must be out of reset at the right voltage before UART init.
    if (this.config.control && !this.controlSession) await this.openControl(this.config.control);
    const transport = new SerialTransport({ path: this.config.path, baudRate: this.driver.resetBaud, binding: this.config.binding });
    this.transport = transport;
    transport.on('closed', (reason) => this.onClosed(reason));
    await transport.open();
    let chain = this.createChain(transport);
    let found: number;
    try {
      found = await this.initialiseChain(chain);
    } catch (err) {
      if (!(err instanceof ChipModelMismatchError) || !this.config.detectModel) throw err;
      // The device did not say its chip: use the one the chips answer with.
      this.emit('log', 'info', `${this.config.name}: the chips answer as ${err.detected.toUpperCase()}`);
      chain.dispose();
      this.driver = chipDriver(err.detected);
      chain = this.createChain(transport);
      if (this.config.coreVoltageV === undefined) await this.controlSession?.setNominalCoreVoltage(DEFAULT_CORE_VOLTAGE_V[err.detected]).catch(() => undefined);
      found = await this.initialiseChain(chain);
    }
    if (this.stopped) return;
    this.emit('log', 'info', `${found} ${this.model.toUpperCase()} chip(s) at ${chain.frequencyMhz} MHz on ${this.config.path}`);
    // The guard may have stopped the board for heat while the chain was initialising.
    if (this.state === 'cooling' || this.state === 'error') return;
    if (this.pauseWanted) return this.enterPause();
    this.setState('hashing', null);
    this.startWatchdog();
    this.emit('ready');
  }

  /**
   * Take the board off work: no job is sent from now on, the nonces already on the wire are read
   * and judged (and their shares submitted), then the chips are held in reset with the core
   * voltage off where a control port allows it, or else slowed to the lowest frequency of the
   * model's range. Statistics stop their clocks while the board is 'paused'. A board that is
   * starting or re-initialising pauses when that ends; a lost or stopped one starts paused.
   */
  pause(reason: string): Promise<void> {
    this.pauseWanted = true;
    this.pauseReason = reason;
    return this.queue(async () => {
      if (!this.pauseWanted) return;
      if (this.state === 'paused') return this.setState('paused', this.pauseReason);
      // Cooling for heat: the chips are already in reset with the power off; the guard's resume is held back.
      if (this.state === 'cooling') {
        this.poweredDown = true;
        return this.setState('paused', this.pauseReason);
      }
      if (this.state === 'hashing') await this.enterPause();
    });
  }

  /** Back to work: a fresh init (power up first if the chips were held in reset), as after a watchdog recovery. */
  resume(): Promise<void> {
    this.pauseWanted = false;
    this.pauseReason = null;
    return this.queue(() => this.leavePause());
  }

  /**
   * Frequency and/or core voltage while running, inside the model's range (throws a sentence
   * otherwise). The voltage goes up before the frequency and comes down after it. A board that is
   * not hashing keeps the setting for its next initialisation.
   */
  setOperatingPoint(point: { frequencyMhz?: number; coreVoltageV?: number }, source: OperatingSource): Promise<void> {
    const problem = this.operatingPointProblem(point);
    if (problem) return Promise.reject(new OperatingPointError(problem));
    return this.queue(async () => {
      const chain = this.chain;
      const session = this.controlSession;
      const newMhz = point.frequencyMhz ?? null;
      const newV = point.coreVoltageV ?? null;
      if (newMhz !== null) this.operatingFrequencyMhz = newMhz;
      if (newV !== null) this.operatingCoreVoltageV = newV;
      this.source = source;
      // A setting chosen now replaces the thermal guard's earlier back-off.
      this.deratedFrequencyMhz = null;
      this.deratedCoreVoltageV = null;
      chain?.retarget(this.targetFrequencyMhz);
      if (this.state !== 'hashing' || !chain?.ready) return;
      const nowV = session?.control.coreVoltageSetpointV ?? null;
      const raiseVoltageFirst = newV !== null && (nowV === null || newV > nowV);
      if (raiseVoltageFirst) await session!.setNominalCoreVoltage(newV);
      if (newMhz !== null && this.driver.frequencyForPll(newMhz) !== chain.frequencyMhz) await chain.changeFrequency(newMhz);
      if (newV !== null && !raiseVoltageFirst && newV !== nowV) await session!.setNominalCoreVoltage(newV);
      this.emit('log', 'info', `running at ${chain.frequencyMhz} MHz${session?.control.coreVoltageSetpointV ? ` and ${Math.round(session.control.coreVoltageSetpointV * 1000)} mV` : ''} (${source})`);
    });
  }

  /** Why a setting cannot be applied, as one sentence; null when it can. */
  operatingPointProblem(point: { frequencyMhz?: number; coreVoltageV?: number }): string | null {
    const l = this.driver.limits;
    const model = this.model.toUpperCase();
    if (point.frequencyMhz !== undefined && !(point.frequencyMhz >= l.minFrequencyMhz && point.frequencyMhz <= l.maxFrequencyMhz)) {
      return `${point.frequencyMhz} MHz is outside the ${model}'s range of ${l.minFrequencyMhz}–${l.maxFrequencyMhz} MHz.`;
    }
    if (point.coreVoltageV !== undefined) {
      const mv = Math.round(point.coreVoltageV * 1000);
      if (!(mv >= l.minCoreVoltageMv && mv <= l.maxCoreVoltageMv)) return `${mv} mV is outside the ${model}'s core-voltage range of ${l.minCoreVoltageMv}–${l.maxCoreVoltageMv} mV.`;
      if (!this.voltageSettable) return `Board ${this.config.name} has no core regulator the host can set, so its core voltage cannot be changed.`;
    }
    return null;
  }

  private queue(step: () => Promise<void> | void): Promise<void> {
    const run = this.transitions.then(step);
    // A failed step is the caller's to hear about; the next one still runs.
    this.transitions = run.catch(() => undefined);
    return run;
  }

  private async enterPause(): Promise<void> {
    this.stopWatchdog();
    this.setState('paused', 'pausing: judging the nonces already on the wire');
    const chain = this.chain;
    if (chain?.ready && this.transport?.isOpen) {
      // The highest ticket mask means no more reports; jobs stay live, so late nonces still count as shares.
      await chain.write(this.driver.ticketMaskFrame(2 ** 32)).catch(() => undefined);
      await this.drainNonces(chain);
    }
    if (this.stopped || !this.pauseWanted || this.state !== 'paused') return;
    const session = this.controlSession;
    if (session) {
      const safe = await session.powerDown();
      this.poweredDown = safe.resetHeld;
    }
    if (!this.poweredDown && chain?.ready) {
      // No reset line: the chips keep rolling their last job; the range's lowest frequency draws the least.
      await chain.changeFrequency(this.driver.limits.minFrequencyMhz).catch((err: Error) => this.emit('log', 'warn', `could not slow the chips while paused: ${err.message}`));
    }
    if (this.state === 'paused' && this.pauseWanted) this.setState('paused', this.pauseReason);
  }

  private async leavePause(): Promise<void> {
    const chain = this.chain;
    if (this.pauseWanted || this.state !== 'paused' || this.stopped || !chain) return;
    const guard = this.controlSession?.guard;
    // Still too hot: the board waits as 'cooling' and the guard resumes it once cool.
    if (guard?.state === 'cooling') return this.setState('cooling', guard.stopReason);
    this.setState('initialising', 'resuming after a pause');
    try {
      if (this.poweredDown && this.controlSession) await this.controlSession.powerUp(this.deratedCoreVoltageV ?? this.targetCoreVoltageV);
      this.poweredDown = false;
      this.slots.clear();
      await this.initialiseChain(chain);
    } catch (err) {
      this.setState('error', `could not resume after the pause: ${(err as Error).message}`);
      return;
    }
    // Re-read: the guard may have stopped the board for heat meanwhile.
    if (this.stopped || (this.state as BoardState) !== 'initialising') return;
    if (this.pauseWanted) return this.enterPause();
    this.setState('hashing', null);
    this.startWatchdog();
    this.emit('ready');
  }

  sendJob(job: Job): void {
    const chain = this.chain;
    if (!chain || this.state !== 'hashing') return;
    const chipJobId = this.driver.nextChipJobId(this.lastChipJobId);
    this.lastChipJobId = chipJobId;
    this.slots.set(chipJobId, { job, live: true });
    job.sentAtMs = Date.now();
    const t = job.template;
    chain
      .sendJob({ chipJobId, version: t.version, versionMask: t.versionMask, prevHash: t.prevHash, merkleRoot: job.merkleRoot, ntime: job.ntime, nbits: t.nbits })
      .catch((err: Error) => this.emit('log', 'warn', `job write failed: ${err.message}`));
  }

  invalidateJobs(): void {
    for (const slot of this.slots.values()) slot.live = false;
  }

  /**
   * Leave the board safe and release the port. It ends 'stopped' (with `reason`, e.g. "board test
   * running"), unless its port was lost.
   */
  async stop(reason: string | null = null): Promise<void> {
    await this.release();
    if (this.currentState !== 'lost') this.setState('stopped', reason);
  }

  /**
   * A start that failed: release everything and stay failed with the reason: 'error', or 'lost'
   * when the port went away (or `asLost`: a re-attach attempt on a port that is not back).
   */
  async abandon(reason: string, asLost = false): Promise<void> {
    const failed: BoardState = asLost || this.currentState === 'lost' ? 'lost' : 'error';
    this.setState(failed, reason);
    await this.release();
    if (this.currentState !== failed || this.currentDetail !== reason) this.setState(failed, reason);
  }

  private async release(): Promise<void> {
    this.stopped = true;
    this.stopWatchdog();
    const chain = this.chain;
    if (chain?.ready && this.transport?.isOpen) {
      // Quiet the chips before letting go: the highest ticket mask means no more reports, and a
      // short drain lets nonces already on the wire be read and counted (nothing dropped).
      if (this.currentState !== 'error' && this.currentState !== 'lost') this.setState('stopped', 'quiescing');
      await chain.write(this.driver.ticketMaskFrame(2 ** 32)).catch(() => undefined);
      await this.drainNonces(chain);
    }
    this.slots.clear();
    this.chain?.dispose();
    await this.transport?.close().catch(() => undefined);
    // Then the power side: reset held, core voltage off, fan 100 % (docs/design.md §3).
    await this.shutdownControl();
  }

  /** Read until the line has been quiet for 250 ms (at least 300 ms, at most 2 s). */
  private async drainNonces(chain: Chain): Promise<void> {
    const startedAtMs = Date.now();
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      const now = Date.now();
      if (now - startedAtMs >= 2000 || (now - startedAtMs >= 300 && now - chain.lastFrameAt >= 250)) break;
    }
  }

  private onNonce(r: NonceResponse, chipIndex: number): void {
    this.nonces++;
    const slot = this.slots.get(r.chipJobId);
    // Full rolled version (docs §2.6; BM1397 midstate increments §5.3).
    const version = slot ? this.driver.rolledVersion(slot.job.template.version, slot.job.template.versionMask, r) : 0;
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
      const frames = this.driver.counterReadFrames();
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
    // A board stopped for heat or paused sits in reset on purpose: its silence is not a fault.
    if (this.recovering || this.stopped || !this.chain || this.state === 'cooling' || this.state === 'paused') return;
    this.recovering = true;
    this.recoveries++;
    this.emit('log', 'warn', `re-initialising: ${reason}`);
    this.setState('recovering', reason);
    this.slots.clear();
    try {
      await this.initialiseChain(this.chain);
      // Re-read: the guard may have stopped the board for heat during the re-initialisation.
      if (this.stopped || this.pausedForHeat) return;
      if (this.pauseWanted) {
        this.recovering = false;
        return await this.enterPause();
      }
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
    // A fault: leave what is still reachable safe (the control port may have gone with the data port).
    void this.shutdownControl();
  }

  /** Init plan, then the derated frequency if the thermal guard lowered it. */
  private createChain(transport: SerialTransport): Chain {
    const chain = new Chain(this.driver, transport, {
      frequencyMhz: this.targetFrequencyMhz,
      ticketDifficulty: this.config.ticketDifficulty,
      versionMask: this.config.versionMask,
      expectedChips: this.config.expectedChips,
      delayScale: this.config.emulated ? 0.02 : 1,
    });
    this.chain = chain;
    chain.on('log', (level, text) => this.emit('log', level, text));
    chain.on('nonce', (r, chipIndex) => this.onNonce(r, chipIndex));
    chain.on('register', (r) => {
      if (r.register === REG.TOTAL_COUNTER && chain.ready) this.emit('counter', this.driver.chipIndexFromAddress(r.chipAddress, chain.chipCount), r.value, Date.now());
    });
    chain.on('resetDetected', () => void this.recover('replies fell back to the reset format (power cycle?)'));
    return chain;
  }

  private async initialiseChain(chain: Chain): Promise<number> {
    chain.retarget(this.targetFrequencyMhz);
    const found = await chain.initialise();
    const derated = this.deratedFrequencyMhz;
    if (derated !== null && derated < chain.frequencyMhz) await chain.changeFrequency(derated);
    return found;
  }

  private async openControl(link: ControlLink): Promise<void> {
    let session: ControlSession;
    try {
      session = await ControlSession.open(link, this.config.controlOptions);
    } catch (err) {
      this.controlProblem = (err as Error).message;
      this.emit('warning', 'control', 'warn', `${this.controlProblem}. Board ${this.config.name} mines without power control; its sensors are not available.`);
      return;
    }
    this.controlProblem = null;
    session.on('log', (level, text) => this.emit('log', level, text));
    session.on('readings', (r) => (this.lastReadings = r));
    session.on('thermal', (kind, text, settings) => this.onThermal(kind, text, settings));
    this.controlSession = session;
    const parts = session.parts;
    this.emit('log', 'info', `control port ${link.label}${link.emulated ? ' (emulated)' : ''}: ${parts.length ? parts.join(', ') : 'no peripheral answered'}`);
    const volts = this.targetCoreVoltageV;
    try {
      await session.powerUp(volts);
    } catch (err) {
      await this.shutdownControl();
      throw new Error(`${(err as Error).message} (control port ${link.label}); the board is held in reset`);
    }
    session.startMonitoring({
      frequencyMhz: () => this.frequencyMhz,
      pauseHashing: (reason) => this.pauseForHeat(reason),
      resumeHashing: (settings) => this.resumeAfterCooling(settings),
    });
  }

  private async shutdownControl(): Promise<void> {
    const session = this.controlSession;
    if (!session) return;
    this.controlSession = null;
    this.lastReadings = session.latest;
    await session.shutdown();
  }

  /** No more work; late nonces still count (as stale). The session then holds the chips in reset. */
  private pauseForHeat(reason: string): void {
    this.invalidateJobs();
    this.poweredDown = true;
    // A paused board stays 'paused'; it is held in reset either way.
    if (this.state !== 'paused') this.setState('cooling', reason);
  }

  private async resumeAfterCooling(settings: OperatingSettings): Promise<void> {
    const chain = this.chain;
    if (!chain || this.stopped) return;
    this.deratedFrequencyMhz = settings.frequencyMhz;
    this.deratedCoreVoltageV = settings.coreVoltageV;
    // Paused while it cooled: keep the lowered settings for the resume and stay powered down.
    if (this.pauseWanted) {
      const safe = await this.controlSession?.powerDown();
      this.poweredDown = safe?.resetHeld ?? false;
      if (this.state !== 'paused') this.setState('paused', this.pauseReason);
      return;
    }
    this.poweredDown = false;
    this.setState('initialising', 'resuming after cooling');
    try {
      this.slots.clear();
      await this.initialiseChain(chain);
    } catch (err) {
      this.setState('error', `could not resume after cooling: ${(err as Error).message}`);
      throw err;
    }
    if (this.stopped || this.state !== 'initialising') return;
    if (this.pauseWanted) return this.enterPause();
    this.setState('hashing', null);
    // A board paused and resumed while it cooled had its watchdog stopped.
    this.startWatchdog();
    this.emit('ready');
  }

  private onThermal(kind: ThermalEventKind, text: string, settings: OperatingSettings | null): void {
    this.emit('log', kind === 'resume' ? 'warn' : 'error', text);
    this.emit('thermal', kind, text, settings);
    this.emit('warning', kind === 'resume' ? 'thermal-resume' : 'thermal', kind === 'resume' ? 'warn' : 'error', text);
    // A latched stop is not a cool-down: the user has to look at the board.
    if (kind === 'sensor-fault' || kind === 'halt') this.setState('error', text);
  }

  private setState(state: BoardState, detail: string | null): void {
    this.currentState = state;
    this.currentDetail = detail;
    this.emit('state', state, detail);
  }
}
