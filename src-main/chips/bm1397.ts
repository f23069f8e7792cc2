/**
 * BM1397 (Bitaxe Max): no on-chip version rolling, so the host sends up to 4 SHA-256 midstates per
 * job (docs/bm13xx-protocol.md §5.3); 9-byte responses; job ids step by 4 with the midstate index in
 * the low 2 bits of the job byte (§2.4); PLL post-dividers without the minus one (§3.5).
 */
import { encodeHeader } from '../bitcoin/header.js';
import { reverseWords } from '../bitcoin/prevhash.js';
import type { ChipJobFields, DecodedChipJob, InitOptions, InitStep } from './driver.js';
import { DEFAULT_RAMP_STEP_DELAY_MS, Bm13xxDriver } from './bm13xx/driver-base.js';
import { ChipFrameError, readRegisterAll, wrapJob } from './bm13xx/frames.js';
import { checkJobFields, jobPayload } from './bm13xx/full-job.js';
import { sweepTimeoutMs } from './bm13xx/hcn.js';
import { jobByteMidstate } from './bm13xx/job-byte.js';
import { headerMidstate, versionForMidstate } from './bm13xx/midstate.js';
import { chainInactiveStep, chipAddresses, enumerateStep, setAddressStep, writeAllStep } from './bm13xx/plan.js';
import { REG, VALUE } from './bm13xx/registers.js';
import type { JobByteFields } from './bm13xx/response.js';
import { ticketMaskValue } from './bm13xx/ticket.js';
import { ENUMERATE_QUIET_MS } from './bm1366.js';

export const BM1397_MAX_MIDSTATES = 4;
/** ESP-Miner always sends the full 146-byte payload, zero-filling unused midstates (§5.3). */
export const MIDSTATE_JOB_PAYLOAD_BYTES = 18 + 32 * BM1397_MAX_MIDSTATES;
/** Gap between the 0x70 / 0x08 writes of one frequency change (§3.5). */
const PLL_WRITE_GAP_MS = 10;
/** Job interval when the chain length is not known yet (§3.8). */
const FALLBACK_JOB_INTERVAL_MS = 20;

export interface MidstateJobFields {
  chipJobId: number;
  numMidstates: number;
  startingNonce?: number;
  nbits: number;
  ntime: number;
  /** Header bytes 64..67. */
  merkle4: Uint8Array;
  /** States H0..H7, 32 bytes each with words BE (as headerMidstate returns). Missing slots are sent as zeros. */
  midstates: Uint8Array[];
}

/** Frame a midstate-format job: job_id · n · starting_nonce · nbits · ntime · merkle4 · 4 × 32 midstate bytes (H7..H0, words BE). */
export function encodeMidstateJob(job: MidstateJobFields): Buffer {
  if (!Number.isInteger(job.chipJobId) || job.chipJobId < 0 || job.chipJobId > 0xff) throw new ChipFrameError(`chip job id must be a byte, got ${job.chipJobId}`);
  if (job.merkle4.length !== 4) throw new ChipFrameError('merkle4 must be 4 bytes');
  if (job.midstates.length > BM1397_MAX_MIDSTATES) throw new ChipFrameError(`at most ${BM1397_MAX_MIDSTATES} midstates`);
  const p = Buffer.alloc(MIDSTATE_JOB_PAYLOAD_BYTES);
  p[0] = job.chipJobId;
  p[1] = job.numMidstates;
  p.writeUInt32LE((job.startingNonce ?? 0) >>> 0, 2);
  p.writeUInt32LE(job.nbits >>> 0, 6);
  p.writeUInt32LE(job.ntime >>> 0, 10);
  p.set(job.merkle4, 14);
  job.midstates.forEach((m, i) => {
    if (m.length !== 32) throw new ChipFrameError('a midstate is 32 bytes');
    p.set(reverseWords(m), 18 + 32 * i);
  });
  return wrapJob(p);
}

/**
 * ESP-Miner offers 400–600 MHz and 1100–1500 mV for the BM1397 (device_config.h; 1400 mV default);
 * the lower bound is the 200 MHz GekkoScience sticks start from (docs/bm13xx-protocol.md §7).
 */
export class Bm1397Driver extends Bm13xxDriver {
  constructor() {
    super({
      model: 'bm1397',
      chipId: 0x1397,
      smallCoresPerChip: 672,
      defaultFrequencyMhz: 425,
      responseLength: 9,
      resetBaud: 115200,
      fastBaud: 3_125_000,
      jobIdStep: 4,
      range: { minFrequencyMhz: 200, maxFrequencyMhz: 600, minCoreVoltageMv: 1100, maxCoreVoltageMv: 1500, defaultCoreVoltageMv: 1400 },
    });
  }

  /** No version mask register: read CHIP_ID, then 20 ms. */
  preEnumerationPlan(_versionMask: number): InitStep[] {
    return [enumerateStep(REG.CHIP_ID, ENUMERATE_QUIET_MS), { kind: 'delay', ms: 20, label: 'settle after chip id' }];
  }

  /** §5.3 steps 2–7. */
  initPlan(opts: InitOptions): InitStep[] {
    return [
      chainInactiveStep(),
      ...chipAddresses(opts.chipCount).map((a) => setAddressStep(a)),
      writeAllStep(REG.BM1397_REG_80, 0),
      writeAllStep(REG.BM1397_REG_84, 0),
      writeAllStep(REG.BM1397_REG_20, 0x00000001),
      writeAllStep(REG.CORE_REGISTER_CONTROL, VALUE.BM1397_CORE_REG),
      writeAllStep(REG.TICKET_MASK, ticketMaskValue(opts.ticketDifficulty), 'ticket mask'),
      writeAllStep(REG.PLL3_OR_RING_OSC, VALUE.BM1397_PLL3, 'PLL3'),
      writeAllStep(REG.FAST_UART, VALUE.BM1397_FAST_UART),
      writeAllStep(REG.MISC_CONTROL, VALUE.BM1397_MISC_DEFAULT, 'UART divider 26'),
      ...this.rampFromOptions(opts),
      writeAllStep(REG.MISC_CONTROL, VALUE.BM1397_MISC_MAX_BAUD, 'UART divider 0 → 3.125 Mbaud'),
      { kind: 'hostBaud', baud: this.fastBaud, label: `host UART ${this.fastBaud} baud` },
    ];
  }

  /** 0x70 = 0x0F0F0F00 twice, then 0x08 twice, 10 ms apart (§3.5). */
  protected override frequencyStepFrames(frequencyMhz: number, delayAfterMs: number): InitStep[] {
    const pll = this.pllRegisterValue(frequencyMhz);
    const label = `PLL ${this.frequencyForPll(frequencyMhz)} MHz`;
    return [
      writeAllStep(REG.PLL0_COMPANION_BM1397, VALUE.BM1397_PLL0_COMPANION, '', PLL_WRITE_GAP_MS),
      writeAllStep(REG.PLL0_COMPANION_BM1397, VALUE.BM1397_PLL0_COMPANION, '', PLL_WRITE_GAP_MS),
      writeAllStep(REG.PLL0_DIVIDER, pll, label, PLL_WRITE_GAP_MS),
      writeAllStep(REG.PLL0_DIVIDER, pll, label, Math.max(delayAfterMs, PLL_WRITE_GAP_MS)),
    ];
  }

  /** ESP-Miner writes no HCN to the BM1397. */
  protected override hcnSteps(): InitStep[] {
    return [];
  }

  override frequencyChangePlan(fromMhz: number, toMhz: number, chipCount: number, stepDelayMs = DEFAULT_RAMP_STEP_DELAY_MS): InitStep[] {
    return super.frequencyChangePlan(fromMhz, toMhz, chipCount, stepDelayMs);
  }

  /** No on-chip version rolling: nothing to send. */
  override versionMaskFrame(_versionMask: number): Buffer {
    return Buffer.alloc(0);
  }

  /** The hashrate register 0x04 (bit 31 flag, bits 30..0 × 2^20 H/s). */
  override counterReadFrames(): Buffer[] {
    return [readRegisterAll(REG.HASHRATE_BM1397)];
  }

  /**
   * Four midstates when a version mask is in force (versions base, +1, +2, +3 steps within the
   * mask), else one; merkle4 = header bytes 64..67 (§5.3).
   */
  encodeJob(job: ChipJobFields): Buffer {
    checkJobFields(job);
    const count = job.versionMask >>> 0 ? BM1397_MAX_MIDSTATES : 1;
    const midstates: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      const header = encodeHeader({ version: versionForMidstate(job.version, job.versionMask, i), prevHash: job.prevHash, merkleRoot: job.merkleRoot, ntime: job.ntime, nbits: job.nbits, nonce: 0 });
      midstates.push(headerMidstate(header));
    }
    return encodeMidstateJob({
      chipJobId: job.chipJobId,
      numMidstates: count,
      startingNonce: job.startingNonce ?? 0,
      nbits: job.nbits,
      ntime: job.ntime,
      merkle4: job.merkleRoot.subarray(28, 32),
      midstates,
    });
  }

  /** Accepts ESP-Miner's fixed 146-byte payload and cgminer's 18 + 32·n. */
  decodeJobFrame(frame: Uint8Array): DecodedChipJob {
    const { payload: p, lengthByte } = jobPayload(frame);
    if (p.length < 18 + 32 || (p.length - 18) % 32 !== 0) throw new ChipFrameError(`midstate job payload must be 18 + 32·n bytes, got ${p.length}`);
    const numMidstates = p[1]!;
    const available = (p.length - 18) / 32;
    if (numMidstates < 1 || numMidstates > available) throw new ChipFrameError(`job claims ${numMidstates} midstates, frame holds ${available}`);
    const midstates: Buffer[] = [];
    for (let i = 0; i < numMidstates; i++) midstates.push(reverseWords(p.subarray(18 + 32 * i, 50 + 32 * i)));
    return {
      format: 'midstate',
      chipJobId: p[0]!,
      numMidstates,
      startingNonce: p.readUInt32LE(2),
      nbits: p.readUInt32LE(6),
      ntime: p.readUInt32LE(10),
      merkle4: Buffer.from(p.subarray(14, 18)),
      midstates,
      lengthByte,
    };
  }

  decodeJobByte(jobByte: number): JobByteFields {
    return jobByteMidstate.decode(jobByte);
  }

  responseJobByte(chipJobId: number, midstateIndex: number): number {
    return jobByteMidstate.encode(chipJobId, midstateIndex);
  }

  /** The midstate index says how many mask increments the hashed version had (§5.3). */
  rolledVersion(baseVersion: number, versionMask: number, response: { midstateIndex: number }): number {
    return versionForMidstate(baseVersion, versionMask, response.midstateIndex);
  }

  /** Time to sweep the whole job space once: 4 midstates × 2^32 nonces over 168 cores (§3.8). */
  jobIntervalMs(chipCount: number, frequencyMhz: number): number {
    if (!(chipCount >= 1) || !(frequencyMhz > 0)) return FALLBACK_JOB_INTERVAL_MS;
    return sweepTimeoutMs({ frequencyMhz, chipCount, smallCores: this.smallCoresPerChip, cores: this.coresPerChip, versionSize: BM1397_MAX_MIDSTATES, fraction: 1 });
  }
}

export const bm1397: Bm1397Driver = new Bm1397Driver();
