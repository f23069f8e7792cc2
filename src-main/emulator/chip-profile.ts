/**
 * Chip-side facts the emulator needs per model, beyond the host driver (docs/bm13xx-protocol.md
 * §2.4, §2.5, §3.3, §3.7, §5). The job-byte encoding itself comes from the driver
 * (ChipDriver.responseJobByte) so that host and emulator share one definition.
 */
import type { ChipModel } from '@shared/chip-model.js';
import { REG } from '../chips/bm13xx/registers.js';

export interface ChipProfile {
  model: ChipModel;
  chipId: number;
  /** CHIP_ID byte 2 ("core num"; 0x18 on the BM1397, 0 on newer chips, §3.3). */
  coreNumByte: number;
  /** Big cores; their ids sit in nonce bits 31..25 of the BE view (§2.5). */
  cores: number;
  /** Small cores per big core: the low bits of the response job byte (§2.4). */
  smallCoresPerCore: number;
  /** True when jobs carry prev hash/merkle/version and the chip rolls versions itself (not BM1397). */
  fullJobs: boolean;
  /** Register values after reset (§3.3). Registers not listed read 0. */
  resetRegisters: ReadonlyMap<number, number>;
  /** UART baud the chip derives from its registers. */
  baudFromRegisters(read: (register: number) => number): number;
}

const CRYSTAL_HZ = 25_000_000;

/** Baud = 25 MHz / (8 · (divider + 1)) (§3.3 0x28, §3.7). */
function baudFromDivider(divider: number): number {
  return Math.round(CRYSTAL_HZ / (8 * (divider + 1)));
}

function bm136xProfile(model: ChipModel, chipId: number, cores: number, smallCoresPerCore: number): ChipProfile {
  return {
    model,
    chipId,
    coreNumByte: 0,
    cores,
    smallCoresPerCore,
    fullJobs: true,
    resetRegisters: new Map([
      [REG.MISC_CONTROL, 0x0000c100],
      [REG.FAST_UART, 0x01301a00],
      [REG.VERSION_ROLLING, 0x0000ffff],
    ]),
    // 0x28 bits 15..8 hold the UART divider (reset 26 → 115,740 baud; 2 → ~1.04 Mbaud).
    baudFromRegisters: (read) => baudFromDivider((read(REG.FAST_UART) >>> 8) & 0xff),
  };
}

export const CHIP_PROFILES: Record<ChipModel, ChipProfile> = {
  bm1366: bm136xProfile('bm1366', 0x1366, 112, 8),
  bm1368: bm136xProfile('bm1368', 0x1368, 80, 16),
  bm1370: bm136xProfile('bm1370', 0x1370, 128, 16),
  bm1397: {
    model: 'bm1397',
    chipId: 0x1397,
    coreNumByte: 0x18,
    // 168 cores, but only 7 core-id bits exist in the nonce (§2.5): the emulator sweeps 128.
    cores: 128,
    smallCoresPerCore: 4,
    fullJobs: false,
    resetRegisters: new Map([[REG.MISC_CONTROL, 0x00007a31]]),
    // BM1397: the divider is in 0x18 bits 12..8 (§3.7).
    baudFromRegisters: (read) => baudFromDivider((read(REG.MISC_CONTROL) >>> 8) & 0x1f),
  },
};
