/**
 * Host drivers the emulator borrows the job-frame decoder and the response job-byte encoder from, so
 * that emulator and host share one definition of those bytes.
 */
import { bm1366 } from '../chips/bm1366.js';
import type { ChipDriver } from '../chips/driver.js';
import type { ChipModel } from '../chips/model.js';

const DRIVERS: Partial<Record<ChipModel, ChipDriver>> = { bm1366 };

export function emulatorDriver(model: ChipModel): ChipDriver {
  const driver = DRIVERS[model];
  if (!driver) throw new Error(`the emulator has no ${model} driver yet (available: ${Object.keys(DRIVERS).join(', ')})`);
  return driver;
}
