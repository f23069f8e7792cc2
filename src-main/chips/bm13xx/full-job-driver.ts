/**
 * What BM1366, BM1368 and BM1370 share beyond the family base: the full-format job frame (§2.1),
 * on-chip version rolling (rolled version = base OR returned bits, §2.6), a job-byte split per
 * model (§2.4), a job interval halved per doubling of the chain (§3.8), and the end of the init
 * plan: the fast baud write and the host's switch to it (§3.2 steps 16–17).
 */
import type { ChipJobFields, DecodedChipJob, InitStep } from '../driver.js';
import { Bm13xxDriver, type ModelSpec } from './driver-base.js';
import { decodeFullJob, encodeFullJob } from './full-job.js';
import { writeAllStep, writeChipStep } from './plan.js';
import { REG, VALUE } from './registers.js';
import type { JobByteFields } from './response.js';

export interface JobByteCodec {
  decode(jobByte: number): JobByteFields;
  encode(chipJobId: number, smallCore: number): number;
}

export abstract class FullJobDriver extends Bm13xxDriver {
  constructor(
    spec: ModelSpec,
    private readonly jobByte: JobByteCodec,
    private readonly jobIntervalBaseMs: number,
  ) {
    super(spec);
  }

  encodeJob(job: ChipJobFields): Buffer {
    return encodeFullJob(job);
  }

  decodeJobFrame(frame: Uint8Array): DecodedChipJob {
    return decodeFullJob(frame);
  }

  decodeJobByte(jobByte: number): JobByteFields {
    return this.jobByte.decode(jobByte);
  }

  responseJobByte(chipJobId: number, smallCore: number): number {
    return this.jobByte.encode(chipJobId, smallCore);
  }

  rolledVersion(baseVersion: number, _versionMask: number, response: { versionBits: number }): number {
    return (baseVersion | response.versionBits) >>> 0;
  }

  jobIntervalMs(chipCount: number, _frequencyMhz?: number): number {
    return this.intervalByChainLength(this.jobIntervalBaseMs, chipCount);
  }

  /** Per-chip setup, addressed singly: soft reset, misc control, two core registers, core enable. */
  protected perChipSteps(addresses: number[], coreRegisters: readonly [number, number]): InitStep[] {
    return addresses.flatMap((a) => [
      writeChipStep(a, REG.SOFT_RESET, VALUE.SOFT_RESET_CHIP),
      writeChipStep(a, REG.MISC_CONTROL, VALUE.MISC_CONTROL_CHIP),
      writeChipStep(a, REG.CORE_REGISTER_CONTROL, coreRegisters[0]),
      writeChipStep(a, REG.CORE_REGISTER_CONTROL, coreRegisters[1]),
      writeChipStep(a, REG.CORE_REGISTER_CONTROL, VALUE.CORE_ENABLE, 'core enable'),
    ]);
  }

  /** Chip UART to ≈1 Mbaud, then the host follows. */
  protected fastBaudSteps(): InitStep[] {
    return [writeAllStep(REG.FAST_UART, VALUE.FAST_UART_1M, 'baud ≈ 1 M'), { kind: 'hostBaud', baud: this.fastBaud, label: `host UART ${this.fastBaud} baud` }];
  }
}
