/**
 * BM1366 (Bitaxe Ultra/Hex): init order of ESP-Miner's BM1366_init + asic_initialize
 * (docs/bm13xx-protocol.md §3.2), full-format jobs (§2.1), job byte split 5+3 (§2.4).
 */
import type { ChipJobFields, DecodedChipJob, InitOptions, InitStep } from './driver.js';
import { Bm13xxDriver } from './bm13xx/driver-base.js';
import { decodeFullJob, encodeFullJob } from './bm13xx/full-job.js';
import { chainInactiveStep, chipAddresses, enumerateStep, setAddressStep, writeAllStep, writeChipStep } from './bm13xx/plan.js';
import { REG, VALUE, versionRollingValue } from './bm13xx/registers.js';
import { jobByte53 } from './bm13xx/job-byte.js';
import type { JobByteFields } from './bm13xx/response.js';
import { ticketMaskValue } from './bm13xx/ticket.js';

/** Chips answer enumeration within this; the count is final after this long with no reply (§3.2 step 2). */
export const ENUMERATE_QUIET_MS = 1000;

/** Base job interval for one chip; halved per doubling of the chain (§3.8). */
const JOB_INTERVAL_BASE_MS = 2000;

export class Bm1366Driver extends Bm13xxDriver {
  constructor() {
    super({ model: 'bm1366', chipId: 0x1366, smallCoresPerChip: 894, defaultFrequencyMhz: 485, responseLength: 11, resetBaud: 115200, fastBaud: 1_000_000, jobIdStep: 8 });
  }

  /** Version mask ×3 (also switches replies to 11 bytes), then read-all CHIP_ID. */
  preEnumerationPlan(versionMask: number): InitStep[] {
    const a4 = versionRollingValue(versionMask);
    return [
      writeAllStep(REG.VERSION_ROLLING, a4, 'version mask 1/3'),
      writeAllStep(REG.VERSION_ROLLING, a4, 'version mask 2/3'),
      writeAllStep(REG.VERSION_ROLLING, a4, 'version mask 3/3'),
      enumerateStep(REG.CHIP_ID, ENUMERATE_QUIET_MS),
    ];
  }

  /** §3.2 steps 3–17, in order. */
  initPlan(opts: InitOptions): InitStep[] {
    const addresses = chipAddresses(opts.chipCount);
    const steps: InitStep[] = [
      writeAllStep(REG.SOFT_RESET, VALUE.SOFT_RESET_ALL),
      writeAllStep(REG.MISC_CONTROL, VALUE.MISC_CONTROL_ALL_BM1366),
      chainInactiveStep(),
      ...addresses.map((a) => setAddressStep(a)),
      writeAllStep(REG.CORE_REGISTER_CONTROL, 0x80008540, 'core reg 0x05 = 0x40'),
      writeAllStep(REG.CORE_REGISTER_CONTROL, 0x80008020, 'core reg 0x00 = 0x20'),
      writeAllStep(REG.TICKET_MASK, ticketMaskValue(opts.ticketDifficulty), 'ticket mask'),
      writeAllStep(REG.ANALOG_MUX, 0x00000003),
      writeAllStep(REG.IO_DRIVER_STRENGTH, 0x02111111),
      writeChipStep(0, REG.UART_RELAY, VALUE.UART_RELAY_CHIP0, 'UART relay'),
    ];
    for (const a of addresses) {
      steps.push(
        writeChipStep(a, REG.SOFT_RESET, VALUE.SOFT_RESET_CHIP),
        writeChipStep(a, REG.MISC_CONTROL, VALUE.MISC_CONTROL_CHIP),
        writeChipStep(a, REG.CORE_REGISTER_CONTROL, 0x80008540),
        writeChipStep(a, REG.CORE_REGISTER_CONTROL, 0x80008020),
        writeChipStep(a, REG.CORE_REGISTER_CONTROL, VALUE.CORE_ENABLE, 'core enable'),
      );
    }
    steps.push(
      ...this.rampFromOptions(opts),
      writeAllStep(REG.VERSION_ROLLING, versionRollingValue(opts.versionMask), 'version mask'),
      writeAllStep(REG.FAST_UART, VALUE.FAST_UART_1M, 'baud ≈ 1 M'),
      { kind: 'hostBaud', baud: this.fastBaud, label: `host UART ${this.fastBaud} baud` },
    );
    return steps;
  }

  encodeJob(job: ChipJobFields): Buffer {
    return encodeFullJob(job);
  }

  decodeJobFrame(frame: Uint8Array): DecodedChipJob {
    return decodeFullJob(frame);
  }

  /** 5+3 split: job id = byte7 & 0xF8 (the value sent), small core = byte7 & 0x07. */
  decodeJobByte(jobByte: number): JobByteFields {
    return jobByte53.decode(jobByte);
  }

  responseJobByte(chipJobId: number, smallCore: number): number {
    return jobByte53.encode(chipJobId, smallCore);
  }

  rolledVersion(baseVersion: number, _versionMask: number, response: { versionBits: number }): number {
    return (baseVersion | response.versionBits) >>> 0;
  }

  jobIntervalMs(chipCount: number, _frequencyMhz?: number): number {
    return this.intervalByChainLength(JOB_INTERVAL_BASE_MS, chipCount);
  }
}

export const bm1366: Bm1366Driver = new Bm1366Driver();
