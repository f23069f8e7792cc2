/**
 * BM1370 (Bitaxe Gamma): ESP-Miner's BM1370 init order (docs/bm13xx-protocol.md §5.2), the BM1366
 * job frame (§2.1), job ids stepping by 24 with a 4+4 job byte (§2.4), HCN minus 268 (§3.6).
 */
import type { InitOptions, InitStep } from './driver.js';
import { ENUMERATE_QUIET_MS } from './bm1366.js';
import { FullJobDriver } from './bm13xx/full-job-driver.js';
import { jobByte44 } from './bm13xx/job-byte.js';
import { chainInactiveStep, chipAddresses, enumerateStep, setAddressStep, writeAllStep } from './bm13xx/plan.js';
import { REG, VALUE, versionRollingValue } from './bm13xx/registers.js';
import { ticketMaskValue } from './bm13xx/ticket.js';

const JOB_INTERVAL_BASE_MS = 500;

/** ESP-Miner offers 400–625 MHz and 1000–1250 mV for the BM1370 on single-chip boards (device_config.h; 1150 mV default). */
export class Bm1370Driver extends FullJobDriver {
  constructor() {
    super(
      {
        model: 'bm1370',
        chipId: 0x1370,
        smallCoresPerChip: 2040,
        defaultFrequencyMhz: 525,
        responseLength: 11,
        resetBaud: 115200,
        fastBaud: 1_000_000,
        jobIdStep: 24,
        range: { minFrequencyMhz: 400, maxFrequencyMhz: 625, minCoreVoltageMv: 1000, maxCoreVoltageMv: 1250, defaultCoreVoltageMv: 1150 },
      },
      jobByte44,
      JOB_INTERVAL_BASE_MS,
    );
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
    steps.push(...this.perChipSteps(addresses, [0x80008b00, 0x8000800c]));
    steps.push(
      writeAllStep(REG.ANALOG_B9, 0x00004480, 'temperature diode setup'),
      writeAllStep(REG.ANALOG_MUX, 0x00000002, 'analog mux → temperature diode'),
      writeAllStep(REG.ANALOG_B9, 0x00004480),
      writeAllStep(REG.CORE_REGISTER_CONTROL, 0x80008dee),
      ...this.rampFromOptions(opts),
      ...this.fastBaudSteps(),
    );
    return steps;
  }
}

export const bm1370: Bm1370Driver = new Bm1370Driver();
