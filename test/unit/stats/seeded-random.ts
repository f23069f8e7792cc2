/** Deterministic random numbers for statistical tests (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Exponential inter-arrival time (same unit as 1/ratePerUnit). */
export function exponential(random: () => number, ratePerUnit: number): number {
  return -Math.log(1 - random()) / ratePerUnit;
}
