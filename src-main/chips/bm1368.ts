/**
 * BM1368 (Bitaxe Supra): ESP-Miner's BM1368 init order (docs/bm13xx-protocol.md §5.1), the
 * BM1366 job frame (§2.1), job ids stepping by 24 with a 4+4 job byte (§2.4).
 */
import type { InitOptions, InitStep } from './driver.js';
import { ENUMERATE_QUIET_MS } from './bm1366.js';
import { FullJobDriver } from './bm13xx/full-job-driver.js';
import { jobByte44 } from './bm13xx/job-byte.js';
import { chainInactiveStep, chipAddresses, enumerateStep, setAddressStep, writeAllStep } from './bm13xx/plan.js';
import { REG, VALUE, versionRollingValue } from './bm13xx/registers.js';
import { ticketMaskValue } from './bm13xx/ticket.js';

const JOB_INTERVAL_BASE_MS = 500;
/** ESP-Miner waits after the per-chip setup before touching the PLL (§5.1 step 5). */
const AFTER_CHIP_SETUP_MS = 500;

/** ESP-Miner offers 400–575 MHz and 1100–1300 mV for the BM1368 (device_config.h; 1166 mV default). */
export class Bm1368Driver extends FullJobDriver {
  constructor() {
    super(
      {
        model: 'bm1368',
        chipId: 0x1368,
        smallCoresPerChip: 1276,
        defaultFrequencyMhz: 490,
        responseLength: 11,
        resetBaud: 115200,
        fastBaud: 1_000_000,
        jobIdStep: 24,
        range: { minFrequencyMhz: 400, maxFrequencyMhz: 575, minCoreVoltageMv: 1100, maxCoreVoltageMv: 1300, defaultCoreVoltageMv: 1166 },
      },
      jobByte44,
      JOB_INTERVAL_BASE_MS,
    );
  }

  /** Version mask ×4, then read-all CHIP_ID. */
  preEnumerationPlan(versionMask: number): InitStep[] {
    const a4 = versionRollingValue(versionMask);
    return [1, 2, 3, 4].map((i) => writeAllStep(REG.VERSION_ROLLING, a4, `version mask ${i}/4`)).concat(enumerateStep(REG.CHIP_ID, ENUMERATE_QUIET_MS));
  }

  initPlan(opts: InitOptions): InitStep[] {
    const addresses = chipAddresses(opts.chipCount);
    const ticket = ticketMaskValue(opts.ticketDifficulty);
    const steps: InitStep[] = [
      chainInactiveStep(),
      writeAllStep(REG.SOFT_RESET, VALUE.SOFT_RESET_ALL),
      writeAllStep(REG.MISC_CONTROL, VALUE.MISC_CONTROL_ALL_BM1366),
      writeAllStep(REG.CORE_REGISTER_CONTROL, 0x80008b00),
      writeAllStep(REG.CORE_REGISTER_CONTROL, 0x80008018),
      writeAllStep(REG.TICKET_MASK, ticket, 'ticket mask'),
      writeAllStep(REG.ANALOG_MUX, 0x00000003),
      writeAllStep(REG.IO_DRIVER_STRENGTH, 0x02111111),
      ...addresses.map((a) => setAddressStep(a)),
    ];
    steps.push(...this.perChipSteps(addresses, [0x80008b00, 0x80008018]));
    steps.push(
      { kind: 'delay', ms: AFTER_CHIP_SETUP_MS, label: 'settle after chip setup' },
      writeAllStep(REG.TICKET_MASK, ticket, 'ticket mask'),
      ...this.rampFromOptions(opts),
      writeAllStep(REG.VERSION_ROLLING, versionRollingValue(opts.versionMask), 'version mask'),
      ...this.fastBaudSteps(),
    );
    return steps;
  }
}

export const bm1368: Bm1368Driver = new Bm1368Driver();
