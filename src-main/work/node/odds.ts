/**
 * Solo-mining odds. Each hash meets a difficulty-D target with probability 1/(D·2^32)
 * (difficulty 1 = 0xFFFF·2^208, so this is exact to about 2^-16 relative), and block finds
 * are a Poisson process: P(at least one in t seconds) = 1 - exp(-h·t / (D·2^32)).
 */
const TWO_32 = 4294967296;

/** Mean seconds between blocks at this hashrate; Infinity when not hashing. */
export function expectedSecondsToBlock(hashrateHs: number, networkDifficulty: number): number {
  if (!(networkDifficulty > 0) || !Number.isFinite(networkDifficulty)) throw new Error(`network difficulty must be a positive number, got ${networkDifficulty}`);
  if (!(hashrateHs > 0)) return Infinity;
  return (networkDifficulty * TWO_32) / hashrateHs;
}

/** Probability of finding at least one block in `periodS` seconds. */
export function blockChance(hashrateHs: number, networkDifficulty: number, periodS: number): number {
  if (!(networkDifficulty > 0) || !Number.isFinite(networkDifficulty)) throw new Error(`network difficulty must be a positive number, got ${networkDifficulty}`);
  if (!(hashrateHs > 0) || !(periodS > 0)) return 0;
  // -expm1 keeps precision for the tiny chances a USB miner has on mainnet.
  return -Math.expm1(-(hashrateHs * periodS) / (networkDifficulty * TWO_32));
}
