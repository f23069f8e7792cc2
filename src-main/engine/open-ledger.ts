/** The data directory's ledger, opened at engine start: a damaged one is moved aside and the user told why. */
import type { EventBus } from '@shared/bus.js';
import type { Ledger } from '../stats/ledger.js';
import { openLedger } from '../stats/ledger-recovery.js';
import type { Warnings } from './warnings.js';

export function openLedgerTelling(dataDir: string, bus: EventBus, warnings: Warnings): Ledger {
  const { ledger, recovery } = openLedger(dataDir);
  if (recovery) {
    bus.log('warn', 'ledger', recovery.message);
    warnings.raise('ledger-recovered', 'warn', recovery.message, null);
  }
  return ledger;
}
