/**
 * What every BM13xx model shares: identity, PLL, ticket, job ids, response decoding, hashrate.
 * Model files (bm1366.ts …) add their init order and their job-byte / job-frame formats.
 */
import type { ChipDriver, ChipJobFields, ChipResponse, DecodedChipJob, InitOptions, InitStep } from '../driver.js';
import type { ChipModel } from '@shared/chip-model.js';
import type { ChipLimits } from '@shared/contract/operation.js';
import { readRegisterAll } from './frames.js';
import { CORES_PER_CHIP, hashCountingNumber, nextPowerOfTwo } from './hcn.js';
import { addressInterval } from './plan.js';
import { writeAllStep } from './plan.js';
import { encodePllRegister, frequencyRamp, pllSettingsForModel, RESET_FREQUENCY_MHZ } from './pll.js';
import { REG, versionRollingValue } from './registers.js';
import { decodeResponseFrame, type JobByteFields } from './response.js';
import { effectiveTicketDifficulty, ticketMaskValue } from './ticket.js';
import { writeRegisterAll } from './frames.js';

export const DEFAULT_RAMP_STEP_DELAY_MS = 100;

export interface ModelSpec {
  model: ChipModel;
  chipId: number;
  smallCoresPerChip: number;
  defaultFrequencyMhz: number;
  responseLength: 9 | 11;
  resetBaud: number;
  fastBaud: number;
  /** ESP-Miner job-id step (mod 128), §2.4. */
  jobIdStep: number;
  /** Frequency and core-voltage range (the default frequency is `defaultFrequencyMhz`). */
  range: Omit<ChipLimits, 'defaultFrequencyMhz'>;
}

export abstract class Bm13xxDriver implements ChipDriver {
  readonly model: ChipModel;
  readonly chipId: number;
  readonly coresPerChip: number;
  readonly smallCoresPerChip: number;
  readonly defaultFrequencyMhz: number;
  readonly limits: ChipLimits;
  readonly responseLength: 9 | 11;
  readonly resetBaud: number;
  readonly fastBaud: number;
  protected readonly jobIdStep: number;

  constructor(spec: ModelSpec) {
    this.model = spec.model;
    this.chipId = spec.chipId;
    this.coresPerChip = CORES_PER_CHIP[spec.model];
    this.smallCoresPerChip = spec.smallCoresPerChip;
    this.defaultFrequencyMhz = spec.defaultFrequencyMhz;
    this.limits = { ...spec.range, defaultFrequencyMhz: spec.defaultFrequencyMhz };
    this.responseLength = spec.responseLength;
    this.resetBaud = spec.resetBaud;
    this.fastBaud = spec.fastBaud;
    this.jobIdStep = spec.jobIdStep;
  }

  abstract preEnumerationPlan(versionMask: number): InitStep[];
  abstract initPlan(opts: InitOptions): InitStep[];
  abstract encodeJob(job: ChipJobFields): Buffer;
  abstract decodeJobFrame(frame: Uint8Array): DecodedChipJob;
  abstract decodeJobByte(jobByte: number): JobByteFields;
  abstract responseJobByte(chipJobId: number, smallCoreOrMidstate: number): number;
  abstract rolledVersion(baseVersion: number, versionMask: number, response: { versionBits: number; midstateIndex: number }): number;
  abstract jobIntervalMs(chipCount: number, frequencyMhz: number): number;

  frequencyForPll(targetMhz: number): number {
    return pllSettingsForModel(this.model, targetMhz).frequencyMhz;
  }

  /** Register 0x08 value for a target frequency. */
  pllRegisterValue(targetMhz: number): number {
    return encodePllRegister(this.model, pllSettingsForModel(this.model, targetMhz));
  }

  /** One ramp step: register 0x08 once (BM1397 overrides). */
  protected frequencyStepFrames(frequencyMhz: number, delayAfterMs: number): InitStep[] {
    return [writeAllStep(REG.PLL0_DIVIDER, this.pllRegisterValue(frequencyMhz), `PLL ${this.frequencyForPll(frequencyMhz)} MHz`, delayAfterMs)];
  }

  /** HCN write after a frequency change (§3.6); none for the BM1397. */
  protected hcnSteps(frequencyMhz: number, chipCount: number): InitStep[] {
    const hcn = hashCountingNumber(this.model, this.frequencyForPll(frequencyMhz), chipCount);
    return [writeAllStep(REG.HASH_COUNTING_NUMBER, hcn, 'hash counting number')];
  }

  frequencyChangePlan(fromMhz: number, toMhz: number, chipCount: number, stepDelayMs = DEFAULT_RAMP_STEP_DELAY_MS): InitStep[] {
    const steps: InitStep[] = [];
    for (const f of frequencyRamp(fromMhz, toMhz)) steps.push(...this.frequencyStepFrames(f, stepDelayMs));
    steps.push(...this.hcnSteps(toMhz, chipCount));
    return steps;
  }

  protected rampFromOptions(opts: InitOptions): InitStep[] {
    return this.frequencyChangePlan(opts.rampFromMhz ?? RESET_FREQUENCY_MHZ, opts.frequencyMhz, opts.chipCount, opts.rampStepDelayMs ?? DEFAULT_RAMP_STEP_DELAY_MS);
  }

  ticketMaskFrame(ticketDifficulty: number): Buffer {
    return writeRegisterAll(REG.TICKET_MASK, ticketMaskValue(ticketDifficulty));
  }

  versionMaskFrame(versionMask: number): Buffer {
    return writeRegisterAll(REG.VERSION_ROLLING, versionRollingValue(versionMask));
  }

  /** Read-all of the total, per-domain and error counters (§3.2 step 18). */
  counterReadFrames(): Buffer[] {
    return [REG.TOTAL_COUNTER, REG.DOMAIN0_COUNTER, REG.DOMAIN1_COUNTER, REG.DOMAIN2_COUNTER, REG.DOMAIN3_COUNTER, REG.ERROR_COUNTER].map((r) => readRegisterAll(r));
  }

  /** ESP-Miner numbering: id = (previous + step) mod 128; the first id is one step from 0. */
  nextChipJobId(previous: number | null): number {
    return ((previous ?? 0) + this.jobIdStep) % 128;
  }

  decodeResponse(frame: Buffer): ChipResponse | null {
    return decodeResponseFrame(frame, (b) => this.decodeJobByte(b));
  }

  /** chip address / floor(256 / chips) (§3.3). May be ≥ chipCount for an address no chip was given. */
  chipIndexFromAddress(chipAddress: number, chipCount: number): number {
    return Math.floor(chipAddress / addressInterval(chipCount));
  }

  effectiveTicketDifficulty(requested: number): number {
    return effectiveTicketDifficulty(requested);
  }

  expectedHashrateHs(frequencyMhz: number, chipCount: number): number {
    return frequencyMhz * 1e6 * this.smallCoresPerChip * chipCount;
  }

  protected intervalByChainLength(baseMs: number, chipCount: number): number {
    return baseMs / nextPowerOfTwo(Math.max(1, chipCount));
  }
}
