/**
 * How long a hashing run must be before a core that never answered can be called dead.
 *
 * Each valid nonce comes from one core; with every core equally fast, a core's count over a run is
 * Poisson with mean λ = N / (chips · cores) for N valid nonces in total. A live core stays silent
 * with probability e^−λ, so P(miss) < p needs λ > ln(1/p): for p = 1e-3, λ > 6.91, i.e. about
 * 6.91 · chips · cores valid nonces (774 for one BM1366 with 112 cores).
 */

export function noncesPerCoreNeeded(pMiss: number): number {
  if (!(pMiss > 0 && pMiss < 1)) throw new RangeError(`pMiss must be in (0, 1), got ${pMiss}`);
  return Math.log(1 / pMiss);
}

export function requiredValidNonces(chips: number, coresPerChip: number, pMiss: number): number {
  return Math.ceil(noncesPerCoreNeeded(pMiss) * chips * coresPerChip);
}

/** Valid nonces per second from the whole board at an (effective, possibly scaled) ticket difficulty. */
export function nonceRateHz(hashrateHs: number, effectiveTicketDifficulty: number): number {
  return hashrateHs / (effectiveTicketDifficulty * 2 ** 32);
}

/** Planned run length for P(miss) < pMiss per core at the expected hashrate. */
export function requiredRunMs(chips: number, coresPerChip: number, pMiss: number, hashrateHs: number, effectiveTicketDifficulty: number): number {
  const rate = nonceRateHz(hashrateHs, effectiveTicketDifficulty);
  if (!(rate > 0)) return Infinity;
  return (requiredValidNonces(chips, coresPerChip, pMiss) / rate) * 1000;
}

/** Probability that a live core is silent after `totalValid` nonces spread over `coreCount` cores. */
export function missProbability(totalValid: number, coreCount: number): number {
  return Math.exp(-totalValid / coreCount);
}

/** Compress [1,2,3,7,9,10] to "1–3, 7, 9–10" for sentences. */
export function formatIdList(ids: readonly number[]): string {
  const sorted = [...ids].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j > i ? `${sorted[i]}–${sorted[j]}` : `${sorted[i]}`);
    i = j + 1;
  }
  return parts.join(', ');
}
