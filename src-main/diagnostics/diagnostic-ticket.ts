/**
 * Ticket difficulty for a diagnostics run. A low ticket gives many nonces, which the per-core map
 * needs (about 6.9 per core, core-coverage.ts): at the recommended ticket 8 a BM1366 at 485 MHz
 * returns ~12.6 nonces/s, enough for its 112 cores in about a minute, and far below what the UART
 * carries. An emulated board returns nonces at ticket × 2^-K, so there the ticket is doubled until
 * the emulator's nominal rate gives at most EMULATED_MAX_NONCES_PER_S, which the host re-hashes
 * with ease. Chips apply powers of two only (docs/bm13xx-protocol.md §4), so the answer is one.
 */
import type { ChipDriver } from '../chips/driver.js';

/** The diagnostics author's recommendation (per-core map within ~60 s on hardware). */
export const DIAGNOSTIC_TICKET_FLOOR = 8;
export const EMULATED_MAX_NONCES_PER_S = 2000;
/** The emulator's default hash rate cap (src-main/emulator/options.ts); the host cannot measure it before hashing. */
export const EMULATOR_NOMINAL_HASHRATE_HS = 1_500_000;
const MAX_TICKET = 2 ** 32;

export interface TicketChoiceInput {
  driver: Pick<ChipDriver, 'expectedHashrateHs'>;
  chips: number;
  frequencyMhz: number;
  /** Emulator scale K: nonces come at ticket × 2^-K. */
  scaleBits: number;
  emulated: boolean;
  /** The emulator's real rate when known (H/s). */
  emulatorHashrateHs?: number;
}

export interface TicketChoice {
  ticketDifficulty: number;
  /** Expected valid nonces per second at that ticket. */
  nonceRateHz: number;
}

export function chooseDiagnosticTicket(o: TicketChoiceInput): TicketChoice {
  const hashrateHs = o.emulated ? (o.emulatorHashrateHs ?? EMULATOR_NOMINAL_HASHRATE_HS) : o.driver.expectedHashrateHs(o.frequencyMhz, Math.max(1, o.chips));
  const rateAt = (ticket: number): number => hashrateHs / (ticket * 2 ** (32 - o.scaleBits));
  let ticket = DIAGNOSTIC_TICKET_FLOOR;
  while (o.emulated && ticket < MAX_TICKET && rateAt(ticket) > EMULATED_MAX_NONCES_PER_S) ticket *= 2;
  return { ticketDifficulty: ticket, nonceRateHz: rateAt(ticket) };
}
