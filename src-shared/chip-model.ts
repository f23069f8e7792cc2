/** The BM13xx chip models HashDeck drives. Facts: docs/bm13xx-protocol.md §3.8 and §5. */
import { z } from 'zod';

export const CHIP_MODELS = ['bm1366', 'bm1368', 'bm1370', 'bm1397'] as const;
export const chipModelSchema = z.enum(CHIP_MODELS);
export type ChipModel = z.infer<typeof chipModelSchema>;

export function isChipModel(value: string): value is ChipModel {
  return (CHIP_MODELS as readonly string[]).includes(value);
}
