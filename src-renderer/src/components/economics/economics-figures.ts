/**
 * Which figures the economics, efficiency and luck panels show, picked from a snapshot and the
 * user's inputs. Pure: the formulas are src-main/stats/economics.ts; this file only decides which
 * inputs to use (which hashrate window, measured or entered power) and leaves a figure null with
 * a reason when an input is missing, so the panels never show a made-up number.
 */
import type { BoardSnapshot, EngineSnapshot } from '@shared/contract';
import { blockSubsidyBtc, breakEvenPricePerKwh, chanceOfBlock, costPerDay, expectedTimeToBlockS, hashpriceUsdPerThDay, networkHashrateHs, networkShare, revenuePerDayBtc } from '@shared/economics.js';
import { HASHES_PER_DIFFICULTY } from '@shared/economics.js';
import { headlineEstimate, type WindowName } from '../../lib/estimates.js';
import { DEFAULT_AVG_FEES_BTC, type EconomicsSettings } from '../../lib/economics-settings.js';

const DAY_S = 86_400;

// ── Power ───────────────────────────────────────────────────────────────────────────────────

export type PowerSource = 'measured' | 'entered' | 'measured + entered';

export interface PowerFigure {
  powerW: number;
  source: PowerSource;
  /** How the figure was made, e.g. "measured on 2 boards, entered for 1". */
  detail: string;
}

export type PowerSelection = { ok: true; power: PowerFigure } | { ok: false; reason: string };

function measuredW(b: BoardSnapshot): number | null {
  const w = b.sensors.powerW;
  return w !== null && Number.isFinite(w) && w >= 0 ? w : null;
}

/**
 * Measured power where a board has a sensor, else the watts the user entered for that board;
 * when some board has neither, the entered total for the rig stands in for everything (a partial
 * sum would understate the cost). Entered figures are always labelled as entered.
 */
export function selectPower(boards: readonly BoardSnapshot[], settings: EconomicsSettings): PowerSelection {
  let sum = 0;
  let measured = 0;
  let entered = 0;
  const uncovered: string[] = [];
  for (const b of boards) {
    const m = measuredW(b);
    const e = settings.enteredBoardW[b.id];
    if (m !== null) {
      sum += m;
      measured++;
    } else if (e !== undefined) {
      sum += e;
      entered++;
    } else uncovered.push(b.name);
  }
  if (boards.length > 0 && uncovered.length === 0) {
    const source: PowerSource = entered === 0 ? 'measured' : measured === 0 ? 'entered' : 'measured + entered';
    const detail =
      entered === 0 ? `measured on ${plural(measured, 'board')}` : measured === 0 ? `entered for ${plural(entered, 'board')}` : `measured on ${plural(measured, 'board')}, entered for ${entered}`;
    return { ok: true, power: { powerW: sum, source, detail } };
  }
  if (settings.enteredTotalW !== null) {
    const note = measured > 0 ? ` (sensors on ${measured} of ${boards.length} boards only)` : '';
    return { ok: true, power: { powerW: settings.enteredTotalW, source: 'entered', detail: `entered total for the rig${note}` } };
  }
  if (boards.length === 0) return { ok: false, reason: 'no boards' };
  return { ok: false, reason: `no power figure for ${uncovered.join(', ')}: enter watts in Settings → Economics` };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// ── Hashrate ────────────────────────────────────────────────────────────────────────────────

export interface HashrateFigure {
  window: WindowName;
  hashrateHs: number;
}

/** The headline window (10 min, falling back to 1 min): the same figure as the hashrate tile. */
export function selectHashrate(snapshot: EngineSnapshot): HashrateFigure | null {
  const head = headlineEstimate(snapshot.totals.hashrate);
  return head && head.estimate.valueHs > 0 ? { window: head.window, hashrateHs: head.estimate.valueHs } : null;
}

// ── Efficiency ──────────────────────────────────────────────────────────────────────────────

export interface EfficiencyView {
  window: WindowName | null;
  jPerTh: number | null;
  power: PowerFigure | null;
  /** Why jPerTh is null, or null when it is shown. */
  missing: string | null;
  /** Emulated boards: modelled power over the rated hashrate of the chips they emulate. */
  modelled?: boolean;
}

export function efficiencyView(snapshot: EngineSnapshot, settings: EconomicsSettings): EfficiencyView {
  const rate = selectHashrate(snapshot);
  const p = selectPower(snapshot.boards, settings);
  const power = p.ok ? p.power : null;
  const emulated = snapshot.boards.filter((b) => b.emulated);
  if (emulated.length > 0) {
    // An emulator's hashrate is the host CPU's, not the chips': J/TH from it would be nonsense.
    if (emulated.length < snapshot.boards.length) return realBoardsEfficiency(snapshot, settings);
    // A paused board hashes nothing: its standby power over no hashrate is not an efficiency.
    const ratedHs = emulated.reduce((sum, b) => sum + (b.state === 'paused' ? 0 : b.expectedHashrateHs), 0);
    if (!power || !(ratedHs > 0)) return { window: null, jPerTh: null, power, missing: p.ok ? (ratedHs > 0 ? 'emulated boards' : 'every board is paused') : p.reason };
    return { window: null, jPerTh: power.powerW / (ratedHs / 1e12), power, missing: null, modelled: true };
  }
  if (!rate) return { window: null, jPerTh: null, power, missing: 'warming up: no hashrate yet' };
  if (!power) return { window: rate.window, jPerTh: null, power, missing: p.ok ? null : p.reason };
  return { window: rate.window, jPerTh: power.powerW / (rate.hashrateHs / 1e12), power, missing: null };
}

/** Mixed rigs: J/TH over the real boards only (their power over their own headline window). */
function realBoardsEfficiency(snapshot: EngineSnapshot, settings: EconomicsSettings): EfficiencyView {
  const real = snapshot.boards.filter((b) => !b.emulated);
  const p = selectPower(real, settings);
  const power = p.ok ? p.power : null;
  const head = headlineEstimate(snapshot.totals.hashrate);
  if (!head) return { window: null, jPerTh: null, power, missing: 'warming up: no hashrate yet' };
  const rateHs = real.reduce((sum, b) => sum + (b.hashrate[head.window]?.valueHs ?? 0), 0);
  if (!power || !(rateHs > 0)) return { window: head.window, jPerTh: null, power, missing: p.ok ? 'no hashrate from the real boards yet' : p.reason };
  return { window: head.window, jPerTh: power.powerW / (rateHs / 1e12), power: { ...power, detail: `${power.detail} (real boards only; emulated boards left out)` }, missing: null };
}

// ── Economics ───────────────────────────────────────────────────────────────────────────────

export interface SoloOdds {
  expectedTimeToBlockS: number;
  chanceDay: number;
  chanceMonth: number;
  chanceYear: number;
}

export interface EconomicsView {
  currency: string;
  hashrate: HashrateFigure | null;
  power: PowerFigure | null;
  network: { difficulty: number; height: number | null; hashrateHs: number } | null;
  avgFeesBtc: number;
  avgFeesIsDefault: boolean;
  subsidyBtc: number | null;
  networkShare: number | null;
  revenuePerDayBtc: number | null;
  revenuePerDay: number | null;
  hashpricePerThDay: number | null;
  costPerDay: number | null;
  netPerDay: number | null;
  breakEvenPerKwh: number | null;
  /** Odds of a block at this hashrate; shown for solo mining (computed whenever inputs exist). */
  solo: SoloOdds | null;
  /** What the user has to enter or wait for, one line each. */
  missing: string[];
}

export function economicsView(snapshot: EngineSnapshot, settings: EconomicsSettings): EconomicsView {
  const missing: string[] = [];
  const hashrate = selectHashrate(snapshot);
  if (!hashrate) missing.push('hashrate: warming up, waiting for the first valid nonces');
  const p = selectPower(snapshot.boards, settings);
  const power = p.ok ? p.power : null;
  if (!p.ok && p.reason !== 'no boards') missing.push(`power: ${p.reason}`);

  const net = snapshot.network && snapshot.network.difficulty > 0 && Number.isFinite(snapshot.network.difficulty) ? snapshot.network : null;
  if (!net) missing.push(snapshot.mode === 'benchmark' ? 'network difficulty: none in benchmark mode (no pool or node)' : 'network difficulty: arrives with the first job from the pool or node');
  const height = net && net.height !== null && Number.isInteger(net.height) && net.height >= 0 ? net.height : null;
  if (net && height === null) missing.push('block height: unknown, so the block subsidy is unknown');
  if (settings.btcPrice === null) missing.push('BTC price: enter it to see revenue in money');
  if (settings.pricePerKwh === null) missing.push('electricity price: enter it to see the cost');

  const hs = hashrate?.hashrateHs ?? null;
  const share = hs !== null && net ? networkShare(hs, net.difficulty) : null;
  const subsidy = height !== null ? blockSubsidyBtc(height) : null;
  const revenueBtc = hs !== null && net && height !== null ? revenuePerDayBtc({ hashrateHs: hs, networkDifficulty: net.difficulty, height, avgFeesBtc: settings.avgFeesBtc }) : null;
  const revenue = revenueBtc !== null && settings.btcPrice !== null ? revenueBtc * settings.btcPrice : null;
  const hashprice =
    net && height !== null && settings.btcPrice !== null ? hashpriceUsdPerThDay({ networkDifficulty: net.difficulty, height, avgFeesBtc: settings.avgFeesBtc, btcPriceUsd: settings.btcPrice }) : null;
  const cost = power && settings.pricePerKwh !== null ? costPerDay(power.powerW, settings.pricePerKwh) : null;
  const solo: SoloOdds | null =
    hs !== null && net
      ? {
          expectedTimeToBlockS: expectedTimeToBlockS(hs, net.difficulty),
          chanceDay: chanceOfBlock(hs, net.difficulty, DAY_S),
          chanceMonth: chanceOfBlock(hs, net.difficulty, 30 * DAY_S),
          chanceYear: chanceOfBlock(hs, net.difficulty, 365 * DAY_S),
        }
      : null;

  return {
    currency: settings.currency,
    hashrate,
    power,
    network: net ? { difficulty: net.difficulty, height, hashrateHs: networkHashrateHs(net.difficulty) } : null,
    avgFeesBtc: settings.avgFeesBtc,
    avgFeesIsDefault: settings.avgFeesBtc === DEFAULT_AVG_FEES_BTC,
    subsidyBtc: subsidy,
    networkShare: share,
    revenuePerDayBtc: revenueBtc,
    revenuePerDay: revenue,
    hashpricePerThDay: hashprice,
    costPerDay: cost,
    netPerDay: revenue !== null && cost !== null ? revenue - cost : null,
    breakEvenPerKwh: revenue !== null && power && power.powerW > 0 ? breakEvenPricePerKwh(revenue, power.powerW) : null,
    solo,
    missing,
  };
}

// ── Luck ────────────────────────────────────────────────────────────────────────────────────

export interface LuckView {
  /** Seconds of mining the share counts belong to (the session). */
  periodS: number;
  /** How periodS was found: the session window, or the first job when the session is over a day long. */
  periodBasis: 'session' | 'since first job';
  /** Average hashrate over the period (the work the chips did, from valid nonces). */
  hashrateHs: number;
  sharesAccepted: number;
  /** Sum of the pool difficulty of every accepted share. */
  acceptedDifficulty: number;
  /** Hashes done ÷ 2^32: the share difficulty the pool should have accepted on average. */
  expectedDifficulty: number;
  /** Active pool's current difficulty, and the share count expected at it. */
  poolDifficulty: number | null;
  expectedShares: number | null;
  /** Accepted ÷ expected, 1 = exactly as expected. */
  luck: number;
}

/**
 * Pool luck for the session: accepted share difficulty against what the hashing should have
 * produced, hashes / 2^32 (one unit of difficulty is 2^32 hashes on average). Difficulty-weighted
 * so a vardiff change mid-session does not skew it; with one difficulty D throughout it is
 * exactly accepted shares ÷ (H·t / (D·2^32)).
 *
 * The session's work: the 24 h estimator covers the session exactly while it is under a day
 * (valueHs × coveredS = Σ nonce weight × 2^32); after that the since-start rate × time since the
 * first job is used (labelled), which overstates the period if the session was reset over a day ago.
 */
export function luckView(snapshot: EngineSnapshot): LuckView | null {
  if (snapshot.mode !== 'pool' || snapshot.pools.length === 0) return null;
  const day = snapshot.totals.hashrate['24h'];
  let periodS: number;
  let hashrateHs: number;
  let periodBasis: LuckView['periodBasis'];
  if (day && day.coveredS < day.windowS) {
    periodS = day.coveredS;
    hashrateHs = day.valueHs;
    periodBasis = 'session';
  } else {
    if (snapshot.firstJobAtMs === null) return null;
    periodS = (snapshot.nowMs - snapshot.firstJobAtMs) / 1000;
    hashrateHs = snapshot.totals.hashrateHs;
    periodBasis = 'since first job';
  }
  if (!(periodS > 0) || !(hashrateHs > 0)) return null;
  const expectedDifficulty = (hashrateHs * periodS) / HASHES_PER_DIFFICULTY;
  const acceptedDifficulty = snapshot.pools.reduce((a, p) => a + p.acceptedDifficulty, 0);
  const sharesAccepted = snapshot.pools.reduce((a, p) => a + p.sharesAccepted, 0);
  const active = snapshot.pools.find((p) => p.active) ?? null;
  const poolDifficulty = active && active.difficulty !== null && active.difficulty > 0 ? active.difficulty : null;
  return {
    periodS,
    periodBasis,
    hashrateHs,
    sharesAccepted,
    acceptedDifficulty,
    expectedDifficulty,
    poolDifficulty,
    expectedShares: poolDifficulty !== null ? expectedDifficulty / poolDifficulty : null,
    luck: acceptedDifficulty / expectedDifficulty,
  };
}
