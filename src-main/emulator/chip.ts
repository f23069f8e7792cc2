/**
 * One virtual BM13xx chip: address, registers, response format and job slots. Pure state; the chain
 * routes frames to it and turns its answers into bytes. Facts: docs/bm13xx-protocol.md §1.5, §3.
 */
import type { DecodedChipJob } from '../chips/driver.js';
import { REG } from '../chips/bm13xx/registers.js';
import { frequencyFromPllRegister, RESET_FREQUENCY_MHZ } from '../chips/bm13xx/pll.js';
import { ticketDifficultyFromMask } from '../chips/bm13xx/ticket.js';
import type { ChipProfile } from './chip-profile.js';
import { COUNTER_DOMAINS } from './sweep.js';

/** A job the chip holds in one of its slots. */
export interface ChipJobSlot {
  job: DecodedChipJob;
  /** The sweep serial that hashes this job on this chip. */
  serial: number;
}

export class VirtualChip {
  address = 0;
  /** False after reset and after chain inactive: the next set-address frame is this chip's (§3.2 step 6). */
  addressed = false;
  /** 11-byte responses once 0xA4 has been written (§1.5); 9 bytes before. */
  longResponses = false;
  frequencyMhz = RESET_FREQUENCY_MHZ;
  /** Real hashes done since reset, total and per counter domain. */
  hashes = 0;
  domainHashes: number[] = new Array(COUNTER_DOMAINS).fill(0);
  readonly jobs = new Map<number, ChipJobSlot>();
  private readonly registers = new Map<number, number>();

  constructor(
    readonly index: number,
    readonly profile: ChipProfile,
  ) {
    this.reset();
  }

  /** Power-on state: address 0, reset registers and baud, 9-byte replies, no jobs, counters zero. */
  reset(): void {
    this.address = 0;
    this.addressed = false;
    this.longResponses = false;
    this.frequencyMhz = RESET_FREQUENCY_MHZ;
    this.hashes = 0;
    this.domainHashes = new Array(COUNTER_DOMAINS).fill(0);
    this.jobs.clear();
    this.registers.clear();
    for (const [reg, value] of this.profile.resetRegisters) this.registers.set(reg, value);
  }

  get responseLength(): 9 | 11 {
    return this.longResponses && this.profile.fullJobs ? 11 : 9;
  }

  get baud(): number {
    return this.profile.baudFromRegisters((r) => this.registers.get(r) ?? 0);
  }

  /** Ticket difficulty from register 0x14; a value that is not a 2^p−1 mask counts its set bits. */
  get ticketDifficulty(): number {
    const value = this.registers.get(REG.TICKET_MASK) ?? 0;
    try {
      return ticketDifficultyFromMask(value);
    } catch {
      let bits = 0;
      for (let v = value; v; v &= v - 1) bits++;
      return 2 ** bits;
    }
  }

  /** 16-bit version-rolling mask in force (0 until 0xA4 is written). */
  get versionFieldMask(): number {
    return this.longResponses ? (this.registers.get(REG.VERSION_ROLLING) ?? 0) & 0xffff : 0;
  }

  /**
   * Register value as a read returns it. Counters count hashes in units of `counterUnitHashes`
   * (2^32 on hardware; scaled like the ticket on the emulator).
   */
  readRegister(register: number, counterUnitHashes: number): number {
    switch (register) {
      case REG.CHIP_ID:
        return ((this.profile.chipId << 16) | (this.profile.coreNumByte << 8) | this.address) >>> 0;
      case REG.TOTAL_COUNTER:
        return Math.floor(this.hashes / counterUnitHashes) % 2 ** 32;
      case REG.DOMAIN0_COUNTER:
      case REG.DOMAIN1_COUNTER:
      case REG.DOMAIN2_COUNTER:
      case REG.DOMAIN3_COUNTER:
        return Math.floor((this.domainHashes[register - REG.DOMAIN0_COUNTER] ?? 0) / counterUnitHashes) % 2 ** 32;
      case REG.ERROR_COUNTER:
        return 0;
      default:
        return this.registers.get(register) ?? 0;
    }
  }

  /** Store a register write. Returns which derived state changed. */
  writeRegister(register: number, value: number): { ticket: boolean; versionMask: boolean; baud: boolean } {
    const effect = { ticket: false, versionMask: false, baud: false };
    if (register === REG.CHIP_ID) return effect; // read-only
    const before = this.baud;
    this.registers.set(register, value >>> 0);
    switch (register) {
      case REG.TICKET_MASK:
        effect.ticket = true;
        break;
      case REG.VERSION_ROLLING:
        this.longResponses = true;
        effect.versionMask = true;
        break;
      case REG.PLL0_DIVIDER:
        try {
          this.frequencyMhz = frequencyFromPllRegister(this.profile.model, value);
        } catch {
          // A zero divider: the PLL would not lock; keep the old frequency.
        }
        break;
    }
    effect.baud = this.baud !== before;
    return effect;
  }
}
