/**
 * BM13xx register map (docs/bm13xx-protocol.md §3.3, §5). Register values are 32-bit, BE on the wire.
 */
export const REG = {
  CHIP_ID: 0x00,
  /** BM1397: hashrate, bit 31 "long" flag, bits 30..0 × 2^20 H/s. */
  HASHRATE_BM1397: 0x04,
  PLL0_DIVIDER: 0x08,
  CHIP_NONCE_OFFSET: 0x0c,
  HASH_COUNTING_NUMBER: 0x10,
  TICKET_MASK: 0x14,
  /** MISC_CONTROL; on the BM1397 it also holds the UART divider (bits 12..8). */
  MISC_CONTROL: 0x18,
  /** BM1397 init writes 0x00000001 here (§5.3). */
  BM1397_REG_20: 0x20,
  FAST_UART: 0x28,
  UART_RELAY: 0x2c,
  CORE_REGISTER_CONTROL: 0x3c,
  ERROR_COUNTER: 0x4c,
  ANALOG_MUX: 0x54,
  IO_DRIVER_STRENGTH: 0x58,
  /** BM1397 PLL3; BM1368/70 ring-oscillator pad disable. */
  PLL3_OR_RING_OSC: 0x68,
  /** BM1397 PLL0 companion (0x0F0F0F00 before every PLL change). */
  PLL0_COMPANION_BM1397: 0x70,
  BM1397_REG_80: 0x80,
  BM1397_REG_84: 0x84,
  DOMAIN0_COUNTER: 0x88,
  DOMAIN1_COUNTER: 0x89,
  DOMAIN2_COUNTER: 0x8a,
  DOMAIN3_COUNTER: 0x8b,
  /** Total hash counter: each count = 2^32 hashes. */
  TOTAL_COUNTER: 0x8c,
  VERSION_ROLLING: 0xa4,
  SOFT_RESET: 0xa8,
  /** BM1370 analog / temperature-diode setup. */
  ANALOG_B9: 0xb9,
} as const;

export type RegisterName = keyof typeof REG;

/** Register address → name (first name wins), for logs. */
export function registerName(address: number): string {
  for (const [name, value] of Object.entries(REG)) if (value === address) return name;
  return `0x${address.toString(16).padStart(2, '0')}`;
}

/** Values written by the init sequences (§3.2, §5). */
export const VALUE = {
  /** 0xA4 top bits: automatic midstates (bit 31) and generation code 1 (bits 29..28). Low 16 bits = mask >> 13. */
  VERSION_ROLLING_BASE: 0x90000000,
  SOFT_RESET_ALL: 0x00070000,
  SOFT_RESET_CHIP: 0x000701f0,
  MISC_CONTROL_ALL_BM1366: 0xff0fc100,
  MISC_CONTROL_CHIP: 0xf000c100,
  UART_RELAY_CHIP0: 0x007c0003,
  /** 0x28: UART divider 2 → 25 MHz / 24 ≈ 1.04 Mbaud; the host uses 1,000,000 (§3.2 step 17). */
  FAST_UART_1M: 0x11300200,
  CORE_ENABLE: 0x800082aa,
  /** BM1397 0x18: UART divider 26 (default) and 0 (3.125 Mbaud) (§3.7). */
  BM1397_MISC_DEFAULT: 0x00007a31,
  BM1397_MISC_MAX_BAUD: 0x00006031,
  BM1397_PLL0_COMPANION: 0x0f0f0f00,
  BM1397_PLL3: 0xc0700111,
  BM1397_FAST_UART: 0x0600000f,
  BM1397_CORE_REG: 0x80008074,
} as const;

/** The 0xA4 value for a BIP310 version mask: 0x9000_0000 | (mask >> 13) & 0xFFFF (§3.4). */
export function versionRollingValue(versionMask: number): number {
  return (VALUE.VERSION_ROLLING_BASE | ((versionMask >>> 13) & 0xffff)) >>> 0;
}

/** Chip-id register reply: bytes [id hi][id lo][core-num byte][chip addr] (§3.3). */
export function parseChipIdValue(value: number): { chipId: number; coreNumByte: number; chipAddress: number } {
  return { chipId: (value >>> 16) & 0xffff, coreNumByte: (value >>> 8) & 0xff, chipAddress: value & 0xff };
}
