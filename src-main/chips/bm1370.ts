/**
 * BM1370 (Bitaxe Gamma): ESP-Miner's BM1370 init order (docs/bm13xx-protocol.md §5.2), the BM1366
 * job frame (§2.1), job ids stepping by 24 with a 4+4 job byte (§2.4), HCN minus 268 (§3.6).
 */
import type { ChipJobFields, DecodedChipJob, InitOptions, InitStep } from './driver.js';
import { ENUMERATE_QUIET_MS } from './bm1366.js';
import { Bm13xxDriver } from './bm13xx/driver-base.js';
import { decodeFullJob, encodeFullJob } from './bm13xx/full-job.js';
import { jobByte44 } from './bm13xx/job-byte.js';
import { chainInactiveStep, chipAddresses, enumerateStep, setAddressStep, writeAllStep, writeChipStep } from './bm13xx/plan.js';
import { REG, VALUE, versionRollingValue } from './bm13xx/registers.js';
import type { JobByteFields } from './bm13xx/response.js';
import { ticketMaskValue } from './bm13xx/ticket.js';

const JOB_INTERVAL_BASE_MS = 500;

export class Bm1370Driver extends Bm13xxDriver {
  constructor() {
    super({ model: 'bm1370', chipId: 0x1370, smallCoresPerChip: 2040, defaultFrequencyMhz: 525, responseLength: 11, resetBaud: 115200, fastBaud: 1_000_000, jobIdStep: 24 });
  }

  /** Version mask ×3, then read-all CHIP_ID (a fresh BM1370 may still answer in 9 bytes). */
  preEnumerationPlan(versionMask: number): InitStep[] {
    const a4 = versionRollingValue(versionMask);
    return [1, 2, 3].map((i) => writeAllStep(REG.VERSION_ROLLING, a4, `version mask ${i}/3`)).concat(enumerateStep(REG.CHIP_ID, ENUMERATE_QUIET_MS));
  }

  initPlan(opts: InitOptions): InitStep[] {
    const addresses = chipAddresses(opts.chipCount);
    const steps: InitStep[] = [
      writeAllStep(REG.VERSION_ROLLING, versionRollingValue(opts.versionMask), 'version mask'),
      writeAllStep(REG.SOFT_RESET, VALUE.SOFT_RESET_ALL),
      writeAllStep(REG.MISC_CONTROL, VALUE.MISC_CONTROL_CHIP),
      chainInactiveStep(),
      ...addresses.map((a) => setAddressStep(a)),
      writeAllStep(REG.CORE_REGISTER_CONTROL, 0x80008b00),
      writeAllStep(REG.CORE_REGISTER_CONTROL, 0x8000800c),
      writeAllStep(REG.TICKET_MASK, ticketMaskValue(opts.ticketDifficulty), 'ticket mask'),
      writeAllStep(REG.IO_DRIVER_STRENGTH, 0x00011111),
    ];
    for (const a of addresses) {
      steps.push(
        writeChipStep(a, REG.SOFT_RESET, VALUE.SOFT_RESET_CHIP),
        writeChipStep(a, REG.MISC_CONTROL, VALUE.MISC_CONTROL_CHIP),
        writeChipStep(a, REG.CORE_REGISTER_CONTROL, 0x80008b00),
        writeChipStep(a, REG.CORE_REGISTER_CONTROL, 0x8000800c),
        writeChipStep(a, REG.CORE_REGISTER_CONTROL, VALUE.CORE_ENABLE, 'core enable'),
      );
    }
    steps.push(
      writeAllStep(REG.ANALOG_B9, 0x00004480, 'temperature diode setup'),
      writeAllStep(REG.ANALOG_MUX, 0x00000002, 'analog mux → temperature diode'),
      writeAllStep(REG.ANALOG_B9, 0x00004480),
      writeAllStep(REG.CORE_REGISTER_CONTROL, 0x80008dee),
      ...this.rampFromOptions(opts),
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

  decodeJobByte(jobByte: number): JobByteFields {
    return jobByte44.decode(jobByte);
  }

  responseJobByte(chipJobId: number, smallCore: number): number {
    return jobByte44.encode(chipJobId, smallCore);
  }

  rolledVersion(baseVersion: number, _versionMask: number, response: { versionBits: number }): number {
    return (baseVersion | response.versionBits) >>> 0;
  }

  jobIntervalMs(chipCount: number, _frequencyMhz?: number): number {
    return this.intervalByChainLength(JOB_INTERVAL_BASE_MS, chipCount);
  }
}

export const bm1370: Bm1370Driver = new Bm1370Driver();
