/**
 * BM1366 (Bitaxe Ultra/Hex): init order of ESP-Miner's BM1366_init + asic_initialize
 * (docs/bm13xx-protocol.md §3.2), full-format jobs (§2.1), job byte split 5+3 (§2.4).
 */
import type { InitOptions, InitStep } from './driver.js';
import { FullJobDriver } from './bm13xx/full-job-driver.js';
import { chainInactiveStep, chipAddresses, enumerateStep, setAddressStep, writeAllStep, writeChipStep } from './bm13xx/plan.js';
import { REG, VALUE, versionRollingValue } from './bm13xx/registers.js';
import { jobByte53 } from './bm13xx/job-byte.js';
import { ticketMaskValue } from './bm13xx/ticket.js';

/** Chips answer enumeration within this; the count is final after this long with no reply (§3.2 step 2). */
export const ENUMERATE_QUIET_MS = 1000;

/** Base job interval for one chip; halved per doubling of the chain (§3.8). */
const JOB_INTERVAL_BASE_MS = 2000;

/** ESP-Miner offers 300–575 MHz and 1000–1300 mV for the BM1366 (device_config.h; 1200 mV default). */
export class Bm1366Driver extends FullJobDriver {
  constructor() {
    super(
      {
        model: 'bm1366',
        chipId: 0x1366,
        smallCoresPerChip: 894,
        defaultFrequencyMhz: 485,
        responseLength: 11,
        resetBaud: 115200,
        fastBaud: 1_000_000,
        jobIdStep: 8,
        range: { minFrequencyMhz: 300, maxFrequencyMhz: 575, minCoreVoltageMv: 1000, maxCoreVoltageMv: 1300, defaultCoreVoltageMv: 1200 },
      },
      jobByte53,
      JOB_INTERVAL_BASE_MS,
    );
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
    steps.push(...this.perChipSteps(addresses, [0x80008540, 0x80008020]));
    steps.push(...this.rampFromOptions(opts), writeAllStep(REG.VERSION_ROLLING, versionRollingValue(opts.versionMask), 'version mask'), ...this.fastBaudSteps());
    return steps;
  }
}

export const bm1366: Bm1366Driver = new Bm1366Driver();
