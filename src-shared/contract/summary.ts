import { z } from 'zod';
import { chipModelSchema } from './chip-model-schema.js';
import { networkMinerSummarySchema } from './network-miners.js';

/** Summary printed at the end of `mine --json` (docs/cli.md §4). */
export const mineSummarySchema = z.object({
  type: z.literal('summary'),
  durationS: z.number(),
  nonces: z.number(),
  validNonces: z.number(),
  hwErrors: z.number(),
  sharesAccepted: z.number(),
  sharesRejected: z.number(),
  sharesStale: z.number(),
  blocksFound: z.number(),
  bestDifficulty: z.number(),
  bestDifficultyAllTime: z.number(),
  hashrateHs: z.number(),
  emulated: z.boolean(),
  boards: z.array(
    z.object({
      id: z.string(),
      model: chipModelSchema,
      chips: z.number(),
      emulated: z.boolean(),
      scaleBits: z.number(),
      nonces: z.number(),
      validNonces: z.number(),
      hwErrors: z.number(),
      hashrateHs: z.number(),
      framesBad: z.number(),
    }),
  ),
  /** One entry per worker that mined through `--serve-stratum` (empty without it). */
  networkMiners: z.array(networkMinerSummarySchema),
});
export type MineSummary = z.infer<typeof mineSummarySchema>;
