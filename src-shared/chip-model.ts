/**
 * The BM13xx chip models HashDeck drives. Facts: docs/bm13xx-protocol.md §3.8 and §5.
 * No zod here: the CLI's argument parser uses this, and `hashdeck --help` must not load a schema
 * library (the schema is in contract/chip-model-schema.ts).
 */
export const CHIP_MODELS = ['bm1366', 'bm1368', 'bm1370', 'bm1397'] as const;
export type ChipModel = (typeof CHIP_MODELS)[number];

export function isChipModel(value: string): value is ChipModel {
  return (CHIP_MODELS as readonly string[]).includes(value);
}
