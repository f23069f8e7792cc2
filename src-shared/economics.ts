/**
 * Mining economics from hashrate, power and network state. Pure functions, no I/O.
 *
 * Conventions: one unit of difficulty is 2^32 hashes on average (difficulty 1 = 0xFFFF·2^208,
 * so the exact figure is 2^256/(0xFFFF·2^208) ≈ 2^32·(1 + 1.5e-5); the usual 2^32 is used, as
 * pools and explorers do). Blocks come every 600 s on average, so the network hashrate implied
 * by a difficulty D is D·2^32/600. Block finding is Poisson: P(≥1 block in t) = 1 − e^(−λt).
 */

/** Hashes per unit of difficulty on average (difficulty 1 = 0xFFFF·2^208 ≈ 2^32 hashes). */
export const HASHES_PER_DIFFICULTY = 2 ** 32;
export const SATS_PER_BTC = 100_000_000;
export const HALVING_INTERVAL_BLOCKS = 210_000;
export const INITIAL_SUBSIDY_SATS = 50 * SATS_PER_BTC;
export const TARGET_BLOCK_INTERVAL_S = 600;
const DAY_S = 86_400;
const TH = 1e12;

/** Block subsidy at a height: 50 BTC halved every 210,000 blocks (integer satoshis, as consensus computes it). */
export function blockSubsidySats(height: number): number {
  if (!Number.isInteger(height) || height < 0) throw new RangeError(`block height must be a non-negative integer, got ${height}`);
  const halvings = Math.floor(height / HALVING_INTERVAL_BLOCKS);
  // Consensus shifts right; at 64 halvings or more the subsidy is zero (and well before: 33).
  if (halvings >= 64) return 0;
  return Number(BigInt(INITIAL_SUBSIDY_SATS) >> BigInt(halvings));
}

export function blockSubsidyBtc(height: number): number {
  return blockSubsidySats(height) / SATS_PER_BTC;
}

/** Network hashrate implied by a difficulty: D·2^32/600 H/s. */
export function networkHashrateHs(difficulty: number): number {
  checkPositive('network difficulty', difficulty);
  return (difficulty * HASHES_PER_DIFFICULTY) / TARGET_BLOCK_INTERVAL_S;
}

/** This hashrate's share of the network (0..1). */
export function networkShare(hashrateHs: number, difficulty: number): number {
  checkNonNegative('hashrate', hashrateHs);
  return hashrateHs / networkHashrateHs(difficulty);
}

/** Expected blocks per second λ = H / (D·2^32). */
export function blocksPerSecond(hashrateHs: number, difficulty: number): number {
  checkNonNegative('hashrate', hashrateHs);
  checkPositive('network difficulty', difficulty);
  return hashrateHs / (difficulty * HASHES_PER_DIFFICULTY);
}

export function expectedBlocksPerDay(hashrateHs: number, difficulty: number): number {
  return blocksPerSecond(hashrateHs, difficulty) * DAY_S;
}

/** Mean time to find a block solo: D·2^32 / H seconds (Infinity at zero hashrate). */
export function expectedTimeToBlockS(hashrateHs: number, difficulty: number): number {
  const rate = blocksPerSecond(hashrateHs, difficulty);
  return rate > 0 ? 1 / rate : Infinity;
}

/** Chance of at least one block in `periodS` seconds: 1 − e^(−λt) (expm1 keeps tiny odds exact). */
export function chanceOfBlock(hashrateHs: number, difficulty: number, periodS: number): number {
  checkNonNegative('period', periodS);
  return -Math.expm1(-blocksPerSecond(hashrateHs, difficulty) * periodS);
}

/** Electricity cost per day: W × 24 h / 1000 × price per kWh. */
export function costPerDay(powerW: number, pricePerKwh: number): number {
  checkNonNegative('power', powerW);
  checkNonNegative('power price', pricePerKwh);
  return ((powerW * 24) / 1000) * pricePerKwh;
}

export interface RevenueInputs {
  hashrateHs: number;
  networkDifficulty: number;
  /** Height of the block being mined (sets the subsidy). */
  height: number;
  /** Average transaction fees per block, BTC. */
  avgFeesBtc: number;
}

/** Expected BTC per day (pool-equivalent, FPPS-like, before pool fees): blocks/day × (subsidy + fees). */
export function revenuePerDayBtc(inputs: RevenueInputs): number {
  checkNonNegative('average fees', inputs.avgFeesBtc);
  return expectedBlocksPerDay(inputs.hashrateHs, inputs.networkDifficulty) * (blockSubsidyBtc(inputs.height) + inputs.avgFeesBtc);
}

export interface HashpriceInputs {
  networkDifficulty: number;
  height: number;
  avgFeesBtc: number;
  btcPriceUsd: number;
}

/** Hashprice: USD per TH/s per day. */
export function hashpriceUsdPerThDay(inputs: HashpriceInputs): number {
  checkNonNegative('BTC price', inputs.btcPriceUsd);
  return revenuePerDayBtc({ hashrateHs: TH, networkDifficulty: inputs.networkDifficulty, height: inputs.height, avgFeesBtc: inputs.avgFeesBtc }) * inputs.btcPriceUsd;
}

/** The power price at which expected revenue equals electricity cost (per kWh). */
export function breakEvenPricePerKwh(revenuePerDay: number, powerW: number): number {
  checkNonNegative('revenue', revenuePerDay);
  checkPositive('power', powerW);
  return revenuePerDay / ((powerW * 24) / 1000);
}

export interface EconomicsInputs extends RevenueInputs {
  powerW: number;
  /** Electricity price per kWh, in the same currency as btcPriceUsd. */
  pricePerKwh: number;
  btcPriceUsd: number;
}

export interface EconomicsSummary {
  networkHashrateHs: number;
  networkShare: number;
  subsidyBtc: number;
  revenuePerDayBtc: number;
  revenuePerDayUsd: number;
  costPerDayUsd: number;
  profitPerDayUsd: number;
  hashpriceUsdPerThDay: number;
  breakEvenPricePerKwh: number | null;
  efficiencyJth: number | null;
  solo: {
    expectedBlocksPerDay: number;
    expectedTimeToBlockS: number;
    chanceDay: number;
    chanceMonth: number;
    chanceYear: number;
  };
}

/** Everything the economics panel shows, from one set of inputs. */
export function economicsSummary(i: EconomicsInputs): EconomicsSummary {
  const revenueBtc = revenuePerDayBtc(i);
  const revenueUsd = revenueBtc * i.btcPriceUsd;
  const cost = costPerDay(i.powerW, i.pricePerKwh);
  return {
    networkHashrateHs: networkHashrateHs(i.networkDifficulty),
    networkShare: networkShare(i.hashrateHs, i.networkDifficulty),
    subsidyBtc: blockSubsidyBtc(i.height),
    revenuePerDayBtc: revenueBtc,
    revenuePerDayUsd: revenueUsd,
    costPerDayUsd: cost,
    profitPerDayUsd: revenueUsd - cost,
    hashpriceUsdPerThDay: hashpriceUsdPerThDay(i),
    breakEvenPricePerKwh: i.powerW > 0 ? breakEvenPricePerKwh(revenueUsd, i.powerW) : null,
    efficiencyJth: i.hashrateHs > 0 ? i.powerW / (i.hashrateHs / TH) : null,
    solo: {
      expectedBlocksPerDay: expectedBlocksPerDay(i.hashrateHs, i.networkDifficulty),
      expectedTimeToBlockS: expectedTimeToBlockS(i.hashrateHs, i.networkDifficulty),
      chanceDay: chanceOfBlock(i.hashrateHs, i.networkDifficulty, DAY_S),
      chanceMonth: chanceOfBlock(i.hashrateHs, i.networkDifficulty, 30 * DAY_S),
      chanceYear: chanceOfBlock(i.hashrateHs, i.networkDifficulty, 365 * DAY_S),
    },
  };
}

function checkPositive(name: string, v: number): void {
  if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${name} must be a positive number, got ${v}`);
}

function checkNonNegative(name: string, v: number): void {
  if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`${name} must be a non-negative number, got ${v}`);
}
