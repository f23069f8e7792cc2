/**
 * Ticket difficulty and per-core miss probability for a diagnostics run.
 *
 * The per-core map calls a core dead when it never answered; with N valid nonces over C cores a
 * live core stays silent with probability e^(−N/C) (core-coverage.ts). Taken per core, a 1e-3
 * chance still fails about one healthy 112-core chip in nine when the run stops at the threshold,
 * so the chance is set per board here: BOARD_FALSE_ALARM split over all its cores.
 *
 * The ticket then follows from the nonces that needs: ticket 8 (the diagnostics author's
 * recommendation) unless the required nonces would take longer than TARGET_RUN_S at the expected
 * hashrate, in which case it is halved (a BM1366 at 485 MHz returns ~12.6 nonces/s at ticket 8,
 * ~50 at ticket 2: far below what its UART carries). An emulated board returns nonces at
 * ticket × 2^-K; there the ticket is doubled while the emulator's nominal rate would give more than
 * EMULATED_MAX_NONCES_PER_S, which the host re-hashes with ease. Chips apply powers of two only
 * (docs/bm13xx-protocol.md §4), so the answer is one. A real board never uses more than the ticket
 * `--ticket-difficulty auto` would give it (chips/bm13xx/auto-ticket.ts): the lower of the two, so
 * the per-core map fills as fast as the line budget allows.
 */
import type { ChipDriver } from '../chips/driver.js';
import { autoTicketDifficulty } from '../chips/bm13xx/auto-ticket.js';
import { requiredValidNonces } from './core-coverage.js';

export const DIAGNOSTIC_TICKET = 8;
/** Chance that a board with every core alive is failed for a silent core. */
export const BOARD_FALSE_ALARM = 1e-3;
export const TARGET_RUN_S = 30;
export const EMULATED_MAX_NONCES_PER_S = 2000;
/** The emulator's default hash rate cap (src-main/emulator/options.ts); the host cannot measure it before hashing. */
export const EMULATOR_NOMINAL_HASHRATE_HS = 1_500_000;
const MAX_TICKET = 2 ** 32;

export interface TicketChoiceInput {
  driver: Pick<ChipDriver, 'expectedHashrateHs' | 'fastBaud' | 'responseLength'>;
  chips: number;
  coresPerChip: number;
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
  /** Valid nonces the per-core map needs at the board-level false-alarm rate. */
  requiredNonces: number;
  /** Expected seconds to collect them. */
  expectedRunS: number;
}

/** Per-core miss probability that keeps the whole board's false-alarm chance at BOARD_FALSE_ALARM. */
export function perCoreMissProbability(chips: number, coresPerChip: number, boardFalseAlarm = BOARD_FALSE_ALARM): number {
  return boardFalseAlarm / (Math.max(1, chips) * Math.max(1, coresPerChip));
}

export function chooseDiagnosticTicket(o: TicketChoiceInput): TicketChoice {
  const chips = Math.max(1, o.chips);
  const hashrateHs = o.emulated ? (o.emulatorHashrateHs ?? EMULATOR_NOMINAL_HASHRATE_HS) : o.driver.expectedHashrateHs(o.frequencyMhz, chips);
  const requiredNonces = requiredValidNonces(chips, o.coresPerChip, perCoreMissProbability(chips, o.coresPerChip));
  const rateAt = (ticket: number): number => hashrateHs / (ticket * 2 ** (32 - o.scaleBits));
  let ticket = DIAGNOSTIC_TICKET;
  while (ticket > 1 && requiredNonces / rateAt(ticket) > TARGET_RUN_S) ticket /= 2;
  if (!o.emulated) ticket = Math.min(ticket, autoTicketDifficulty(o.driver, chips, o.frequencyMhz));
  while (o.emulated && ticket < MAX_TICKET && rateAt(ticket) > EMULATED_MAX_NONCES_PER_S) ticket *= 2;
  const nonceRateHz = rateAt(ticket);
  return { ticketDifficulty: ticket, nonceRateHz, requiredNonces, expectedRunS: requiredNonces / nonceRateHz };
}
