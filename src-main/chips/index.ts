/** Chip drivers by model and by the chip id a CHIP_ID read returns (docs/bm13xx-protocol.md §3.3). */
import { bm1366 } from './bm1366.js';
import { bm1368 } from './bm1368.js';
import { bm1370 } from './bm1370.js';
import { bm1397 } from './bm1397.js';
import type { ChipDriver } from './driver.js';
import { CHIP_MODELS, type ChipModel } from '@shared/chip-model.js';

const DRIVERS: Record<ChipModel, ChipDriver> = { bm1366, bm1368, bm1370, bm1397 };

export function chipDriver(model: ChipModel): ChipDriver {
  const driver = DRIVERS[model];
  if (!driver) throw new Error(`unknown chip model "${String(model)}" (known: ${CHIP_MODELS.join(', ')})`);
  return driver;
}

/** Model for a chip id (0x1366 …), or the 32-bit CHIP_ID register value (0x13660000 …); null if unknown. */
export function modelFromChipId(id: number): ChipModel | null {
  const chipId = id > 0xffff ? (id >>> 16) & 0xffff : id;
  for (const model of CHIP_MODELS) if (DRIVERS[model].chipId === chipId) return model;
  return null;
}

export type { ChipDriver, ChipJobFields, ChipResponse, DecodedChipJob, InitOptions, InitStep } from './driver.js';
