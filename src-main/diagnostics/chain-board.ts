/**
 * The board under test over the real stack: serial transport → Chain (the model's init plan,
 * response parser, decoder) → this adapter, which keeps the job handles diagnostics asked for,
 * maps chip job ids and chip addresses back to them, and rebuilds every nonce's rolled version.
 *
 * Directed jobs. On the BM1366/68 and BM1397 the answering chip's address is part of the nonce
 * (BE bits 24..17, docs/bm13xx-protocol.md §2.5), so a job aimed at a particular nonce (the
 * known-answer test) can only be answered by a chip holding that address. For such a job the chain
 * is re-addressed with the init's own frames (chain inactive, then set address in chain order,
 * §3.2 step 6) so that chip 0 carries the nonce's address, and put back before ordinary work.
 */
import { chipAddresses } from '../chips/bm13xx/plan.js';
import { chainInactiveFrame, setAddressFrame } from '../chips/bm13xx/frames.js';
import { REG } from '../chips/bm13xx/registers.js';
import type { ChipDriver } from '../chips/driver.js';
import { chipDriver } from '../chips/index.js';
import type { ChipModel } from '@shared/chip-model.js';
import type { BoardControl } from '../boards/control/board-control.js';
import { Chain, ChipInitError, type NonceResponse } from '../boards/chain.js';
import { SerialTransport, type BindingInterface } from '../boards/transport.js';
import type { BoardUnderTest, DiagnosticJobFields, DiagnosticNonce } from './board-under-test.js';
import { chooseDiagnosticTicket } from './diagnostic-ticket.js';

/** BIP320 general-purpose bits, as the engine uses. */
export const DIAGNOSTIC_VERSION_MASK = 0x1fffe000;
/** The core id field of a nonce is 7 bits (§2.5): no more cores can be told apart. */
const CORE_ID_SPACE = 128;
/** Models whose nonce carries the chip address (§2.5; the BM1370 separates chips by register 0x0C instead). */
const ADDRESS_IN_NONCE: ReadonlySet<ChipModel> = new Set<ChipModel>(['bm1366', 'bm1368', 'bm1397']);
/** Ticket that silences the chips between jobs (Board.stop does the same). */
const QUIET_TICKET = 2 ** 32;

export interface ChainBoardOptions {
  name: string;
  path: string;
  model: ChipModel;
  /** In-process serialport binding (the built-in emulator); default the OS serial port. */
  binding?: BindingInterface;
  emulated: boolean;
  scaleBits: number;
  chipsExpected: number;
  frequencyMhz?: number;
  /** Requested ticket; default chooseDiagnosticTicket(). */
  ticketDifficulty?: number;
  versionMask?: number;
  control?: BoardControl | null;
  /** Re-address for directed jobs (default: models whose nonce carries the chip address). */
  aimDirectedJobs?: boolean;
  log?: (level: 'debug' | 'info' | 'warn', text: string) => void;
}

interface JobSlot {
  handle: number;
  fields: DiagnosticJobFields;
}

export class ChainBoard implements BoardUnderTest {
  readonly name: string;
  readonly model: ChipModel;
  readonly emulated: boolean;
  readonly scaleBits: number;
  readonly expectedChipId: number;
  readonly coresPerChip: number;
  /** The ticket the chips apply (power of two at or below the request). */
  ticketDifficulty: number;
  readonly control: BoardControl | null;
  readonly driver: ChipDriver;
  /** Settable until enumeration: the runner may learn it from a first enumeration. */
  chipsExpected: number;
  /** Nonces whose chip job id no live job holds (late replies after stopHashing). */
  staleNonces = 0;
  resetsDetected = 0;
  private readonly options: ChainBoardOptions;
  private readonly versionMask: number;
  private transport: SerialTransport | null = null;
  private chain: Chain | null = null;
  private closedReason: string | null = null;
  private found = 0;
  private initialised = false;
  private addresses: number[] = [];
  private aimedAt: number | null = null;
  private quiet = false;
  private readonly slots = new Map<number, JobSlot>();
  private lastChipJobId: number | null = null;
  private handleCounter = 0;
  private readonly listeners = new Set<(n: DiagnosticNonce) => void>();

  constructor(options: ChainBoardOptions) {
    this.options = options;
    this.name = options.name;
    this.model = options.model;
    this.driver = chipDriver(options.model);
    this.emulated = options.emulated;
    this.scaleBits = options.scaleBits;
    this.chipsExpected = options.chipsExpected;
    this.expectedChipId = this.driver.chipId;
    this.coresPerChip = Math.min(this.driver.coresPerChip, CORE_ID_SPACE);
    this.versionMask = options.versionMask ?? DIAGNOSTIC_VERSION_MASK;
    this.control = options.control ?? null;
    const requested =
      options.ticketDifficulty ??
      chooseDiagnosticTicket({
        driver: this.driver,
        chips: options.chipsExpected,
        coresPerChip: this.coresPerChip,
        frequencyMhz: options.frequencyMhz ?? this.driver.defaultFrequencyMhz,
        scaleBits: options.scaleBits,
        emulated: options.emulated,
      }).ticketDifficulty;
    this.ticketDifficulty = this.driver.effectiveTicketDifficulty(requested);
  }

  get frequencyMhz(): number {
    return this.chain?.frequencyMhz ?? this.driver.frequencyForPll(this.options.frequencyMhz ?? this.driver.defaultFrequencyMhz);
  }

  get jobIntervalMs(): number {
    return this.driver.jobIntervalMs(Math.max(1, this.found || this.chipsExpected), this.frequencyMhz);
  }

  get chipsFound(): number {
    return this.found;
  }

  /** Chip addresses in chain order as they are now (aimed or standard). */
  get chipAddresses(): readonly number[] {
    return this.addresses;
  }

  get isOpen(): boolean {
    return this.transport?.isOpen === true && this.closedReason === null;
  }

  expectedHashrateHs(frequencyMhz: number): number {
    return this.driver.expectedHashrateHs(frequencyMhz, Math.max(1, this.chipsExpected));
  }

  /** Open the data port. Throws a plain sentence when it cannot be opened. */
  async open(): Promise<void> {
    if (this.transport) return;
    const transport = new SerialTransport({ path: this.options.path, baudRate: this.driver.resetBaud, binding: this.options.binding });
    transport.on('closed', (reason) => {
      this.closedReason = reason;
    });
    await transport.open();
    this.transport = transport;
    const chain = new Chain(this.driver, transport, {
      frequencyMhz: this.options.frequencyMhz ?? this.driver.defaultFrequencyMhz,
      ticketDifficulty: this.ticketDifficulty,
      versionMask: this.versionMask,
      expectedChips: this.chipsExpected,
      // An emulated PLL settles at once (as Board does).
      delayScale: this.emulated ? 0.02 : 1,
    });
    chain.on('nonce', (r) => this.onChipNonce(r));
    chain.on('log', (level, text) => this.log(level === 'error' ? 'warn' : level, text));
    chain.on('resetDetected', () => {
      this.resetsDetected++;
      this.initialised = false;
      this.log('warn', 'the chips answered in the reset format: they lost power or were reset');
    });
    this.chain = chain;
  }

  /**
   * The first call runs the chain's init from reset (enumerate, address, registers, frequency ramp,
   * baud switch). Later calls count the live chain with a broadcast CHIP_ID read at the current baud:
   * re-running the init would start at the reset baud, which initialised chips no longer use.
   */
  async enumerate(): Promise<{ found: number }> {
    await this.open();
    const chain = this.requireChain();
    if (this.initialised) {
      const replies = await chain.readRegisterAll(REG.CHIP_ID, 500);
      const live = new Set(replies.filter((r) => r.value >>> 16 === this.driver.chipId).map((r) => r.chipAddress));
      return { found: live.size };
    }
    let found: number;
    try {
      found = await chain.initialise();
    } catch (err) {
      if (err instanceof ChipInitError) return { found: 0 };
      throw err;
    }
    this.found = found;
    this.initialised = true;
    this.addresses = chipAddresses(found);
    this.aimedAt = null;
    this.quiet = false;
    this.slots.clear();
    this.lastChipJobId = null;
    return { found };
  }

  /** Write a new ticket (e.g. once the chip count is known); takes effect for the next job. */
  async setTicketDifficulty(requested: number): Promise<void> {
    const effective = this.driver.effectiveTicketDifficulty(requested);
    if (this.initialised && this.isOpen) {
      await this.requireChain().write(this.driver.ticketMaskFrame(effective));
      this.quiet = false;
    }
    this.ticketDifficulty = effective;
  }

  async readRegister(chipIndex: number, register: number): Promise<number | null> {
    const address = this.addresses[chipIndex];
    if (address === undefined || !this.isOpen) return null;
    const replies = await this.requireChain().readRegisterAll(register);
    const reply = replies.find((r) => r.chipAddress === address && r.register === register);
    return reply ? reply.value >>> 0 : null;
  }

  async sendJob(fields: DiagnosticJobFields, startingNonce: number): Promise<number> {
    const chain = this.requireLiveChain();
    if (!this.initialised) throw new Error('the chain is not initialised (no chip answered, or the chips were reset)');
    const aim = startingNonce !== 0 && this.aimsDirectedJobs ? nonceChipAddress(startingNonce) : null;
    if (aim !== this.aimedAt) await this.setAddressBase(aim);
    if (this.quiet) {
      await chain.write(this.driver.ticketMaskFrame(this.ticketDifficulty));
      this.quiet = false;
    }
    const chipJobId = this.driver.nextChipJobId(this.lastChipJobId);
    this.lastChipJobId = chipJobId;
    const handle = ++this.handleCounter;
    // A reused chip job id now means this job: a late nonce of the old one would be misjudged.
    this.slots.set(chipJobId, { handle, fields });
    await chain.sendJob({
      chipJobId,
      version: fields.version,
      versionMask: this.versionMask,
      prevHash: fields.prevHash,
      merkleRoot: fields.merkleRoot,
      ntime: fields.ntime,
      nbits: fields.nbits,
      startingNonce: startingNonce >>> 0,
    });
    return handle;
  }

  onNonce(listener: (nonce: DiagnosticNonce) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async setFrequency(frequencyMhz: number): Promise<void> {
    this.requireLiveChain();
    await this.requireChain().changeFrequency(frequencyMhz);
  }

  /**
   * Forget every job and silence the chips with the highest ticket: a chip has no stop command and
   * keeps hashing its last job. Aimed addresses are put back. Never throws (it runs in finally blocks).
   */
  async stopHashing(): Promise<void> {
    this.slots.clear();
    const chain = this.chain;
    if (!chain || !this.isOpen || !this.initialised) return;
    try {
      if (!this.quiet) {
        await chain.write(this.driver.ticketMaskFrame(QUIET_TICKET));
        this.quiet = true;
      }
      if (this.aimedAt !== null) await this.setAddressBase(null);
    } catch (err) {
      this.log('warn', `could not quiet the chips: ${(err as Error).message}`);
    }
  }

  /** Stop hashing and release the port. Power (reset, core voltage) is the control side's job. */
  async close(): Promise<void> {
    await this.stopHashing();
    this.chain?.dispose();
    this.chain = null;
    await this.transport?.close().catch(() => undefined);
  }

  private get aimsDirectedJobs(): boolean {
    return this.options.aimDirectedJobs ?? ADDRESS_IN_NONCE.has(this.model);
  }

  /** Re-address the chain: chip i gets (base + i · interval) mod 256; null = the init's addresses. */
  private async setAddressBase(base: number | null): Promise<void> {
    const chain = this.requireChain();
    const standard = chipAddresses(Math.max(1, this.found));
    const next = standard.map((a) => (a + (base ?? 0)) & 0xff);
    await chain.write(chainInactiveFrame());
    for (const a of next) await chain.write(setAddressFrame(a));
    this.addresses = next;
    this.aimedAt = base;
    this.log('debug', base === null ? 'chip addresses restored' : `chain re-addressed from 0x${base.toString(16)} for a directed job`);
  }

  private onChipNonce(r: NonceResponse): void {
    const slot = this.slots.get(r.chipJobId);
    if (!slot) {
      this.staleNonces++;
      return;
    }
    const at = this.addresses.indexOf(r.chipAddress);
    const chipIndex = at >= 0 ? at : this.driver.chipIndexFromAddress(r.chipAddress, Math.max(1, this.found));
    const nonce: DiagnosticNonce = {
      jobHandle: slot.handle,
      chipIndex,
      coreId: r.coreId,
      nonce: r.nonce,
      // Full rolled version (§2.6; BM1397 midstate increments §5.3).
      version: this.driver.rolledVersion(slot.fields.version, this.versionMask, r),
    };
    for (const l of this.listeners) l(nonce);
  }

  private requireChain(): Chain {
    if (!this.chain) throw new Error('the board is not open');
    return this.chain;
  }

  private requireLiveChain(): Chain {
    const chain = this.requireChain();
    if (!this.isOpen) throw new Error(`the serial port is gone (${this.closedReason ?? 'not open'})`);
    return chain;
  }

  private log(level: 'debug' | 'info' | 'warn', text: string): void {
    this.options.log?.(level, text);
  }
}

/** Chip address bits of a nonce (header bytes 76..79 read LE): BE view bits 24..17 (§2.5). */
export function nonceChipAddress(nonce: number): number {
  const be = (((nonce & 0xff) << 24) | ((nonce & 0xff00) << 8) | ((nonce >>> 8) & 0xff00) | (nonce >>> 24)) >>> 0;
  return (be >>> 17) & 0xff;
}
