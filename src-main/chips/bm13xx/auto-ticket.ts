/**
 * `--ticket-difficulty auto`: the lowest ticket difficulty a chain can use without its nonce
 * responses crowding the line (docs/bm13xx-protocol.md §4.4). A lower ticket returns more nonces
 * for the same work, so the hashrate estimate tightens as 1/√nonces; the cost is line time and host
 * work per nonce.
 *
 * Budget: responses take at most AUTO_TICKET_LINE_SHARE of the chain's UART after init (its fast
 * baud, 10 bits a byte, the model's response length), at the hashrate the chips are expected to
 * reach at their frequency. Chips apply powers of two only, from 1 (mask 0) up.
 */
import type { ChipDriver } from '../driver.js';

/** How the user sets a board's ticket: a difficulty (the chip rounds it down to a power of two) or 'auto'. */
export type TicketSetting = number | 'auto';

/** Share of the line nonce responses may take: 2 % (about 180 responses a second at 1 Mbaud). */
export const AUTO_TICKET_LINE_SHARE = 0.02;
const MAX_TICKET = 2 ** 32;

/** Responses per second that fit the budget on a line of `baud` with `responseBytes`-byte replies. */
export function lineBudgetPerS(baud: number, responseBytes: number, share = AUTO_TICKET_LINE_SHARE): number {
  return (share * baud) / (responseBytes * 10);
}

/** Lowest power-of-two ticket whose expected response rate at `hashrateHs` fits the budget. */
export function autoTicketForRate(hashrateHs: number, baud: number, responseBytes: number): number {
  const budget = lineBudgetPerS(baud, responseBytes);
  let ticket = 1;
  while (ticket < MAX_TICKET && hashrateHs / (ticket * 2 ** 32) > budget) ticket *= 2;
  return ticket;
}

/** The auto ticket of a chain of `chipCount` chips of this model at `frequencyMhz`. */
export function autoTicketDifficulty(driver: Pick<ChipDriver, 'expectedHashrateHs' | 'fastBaud' | 'responseLength'>, chipCount: number, frequencyMhz: number): number {
  return autoTicketForRate(driver.expectedHashrateHs(frequencyMhz, Math.max(1, chipCount)), driver.fastBaud, driver.responseLength);
}

/** The ticket difficulty a setting gives on this chain (what the chips apply: a power of two). */
export function resolveTicket(
  setting: TicketSetting,
  driver: Pick<ChipDriver, 'expectedHashrateHs' | 'fastBaud' | 'responseLength' | 'effectiveTicketDifficulty'>,
  chipCount: number,
  frequencyMhz: number,
): number {
  return setting === 'auto' ? autoTicketDifficulty(driver, chipCount, frequencyMhz) : driver.effectiveTicketDifficulty(setting);
}
