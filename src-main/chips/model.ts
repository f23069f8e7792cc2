/** The BM13xx chip models HashDeck drives. Facts: docs/bm13xx-protocol.md §3.8 and §5. */
export const CHIP_MODELS = ['bm1366', 'bm1368', 'bm1370', 'bm1397'] as const;
export type ChipModel = (typeof CHIP_MODELS)[number];

export function isChipModel(value: string): value is ChipModel {
  return (CHIP_MODELS as readonly string[]).includes(value);
}
