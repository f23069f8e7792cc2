/**
 * Choosing a profile from a tuning run's measured steps (only steps that kept every limit):
 *   Eco       the lowest J/TH;
 *   Max       the highest hashrate (the lower power of equals);
 *   Balanced  the lowest J/TH among steps that reach at least halfway from Eco's hashrate to Max's.
 * Without power figures there is no J/TH: Eco and Balanced are then not chosen (null). After a
 * step broke a temperature or power limit, steps that drew as much power or more are left out too:
 * they passed before conditions changed (a fan that failed), and would break it again.
 */
import type { TuneProfile, TuneRow } from '@shared/contract';

export interface ChosenProfiles {
  eco: TuneRow | null;
  balanced: TuneRow | null;
  max: TuneRow | null;
}

export function chooseProfiles(rows: readonly TuneRow[], powerCeilingW: number | null = null): ChosenProfiles {
  const ok = rows.filter((r) => r.withinLimits && r.hashrateHs > 0 && (powerCeilingW === null || r.powerW === null || r.powerW < powerCeilingW));
  const max = ok.reduce<TuneRow | null>(
    (best, r) => (best === null || r.hashrateHs > best.hashrateHs || (r.hashrateHs === best.hashrateHs && (r.powerW ?? Infinity) < (best.powerW ?? Infinity)) ? r : best),
    null,
  );
  const withEfficiency = ok.filter((r) => r.jPerTh !== null);
  const lowestJ = (list: TuneRow[]): TuneRow | null => list.reduce<TuneRow | null>((best, r) => (best === null || r.jPerTh! < best.jPerTh! ? r : best), null);
  const eco = lowestJ(withEfficiency);
  let balanced: TuneRow | null = null;
  if (eco && max) {
    const halfway = (eco.hashrateHs + max.hashrateHs) / 2;
    balanced = lowestJ(withEfficiency.filter((r) => r.hashrateHs >= halfway)) ?? max;
  }
  return { eco, balanced, max };
}

export function profileRow(profiles: ChosenProfiles, profile: TuneProfile): TuneRow | null {
  return profiles[profile];
}

export const PROFILE_LABEL: Readonly<Record<TuneProfile, string>> = { eco: 'Eco', balanced: 'Balanced', max: 'Max' };
