/** Hashrate estimates with their intervals: shared by boards, totals and network miners. */
import { z } from 'zod';

/** A figure from shares/nonces with its 95 % interval; null while warming up (no data yet). */
export const estimateSchema = z.object({
  valueHs: z.number(),
  lowHs: z.number(),
  highHs: z.number(),
  /** Window length in seconds and how much of it has data (warm-up when coveredS < windowS). */
  windowS: z.number(),
  coveredS: z.number(),
  samples: z.number(),
});
export type Estimate = z.infer<typeof estimateSchema>;

export const hashrateWindowsSchema = z.object({
  '1m': estimateSchema.nullable(),
  '10m': estimateSchema.nullable(),
  '1h': estimateSchema.nullable(),
  '24h': estimateSchema.nullable(),
});
export type HashrateWindows = z.infer<typeof hashrateWindowsSchema>;
