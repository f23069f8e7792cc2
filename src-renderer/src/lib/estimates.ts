/**
 * Which hashrate window a tile shows. The 10-minute window is the headline (steadier than 1 m,
 * available long before 1 h); while it has no data the 1-minute window stands in. The window is
 * always named next to the figure, and efficiency uses the same one.
 */
import type { Estimate, HashrateWindows } from '@shared/contract';

export type WindowName = keyof HashrateWindows;

export const WINDOW_LABEL: Record<WindowName, string> = { '1m': '1 min', '10m': '10 min', '1h': '1 h', '24h': '24 h' };

export function headlineEstimate(w: HashrateWindows): { window: WindowName; estimate: Estimate } | null {
  for (const name of ['10m', '1m', '1h', '24h'] as const) {
    const e = w[name];
    if (e) return { window: name, estimate: e };
  }
  return null;
}

/** Hashrate as a fraction of expected; null when expected is unknown. */
export function ratioOfExpected(hashrateHs: number, expectedHs: number): number | null {
  return expectedHs > 0 ? hashrateHs / expectedHs : null;
}
