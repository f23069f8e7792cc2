/**
 * Variable difficulty for one connection (docs/stratum-and-gbt.md §8.4): aim at a share every
 * 10–20 s whatever the miner (a 50 kH/s NerdMiner at a difficulty around 2·10^-4, a Bitaxe in the
 * thousands, an Avalon higher still). Pure: the caller passes the clock.
 *
 *  - Measured rate = Σ difficulty of the shares credited since the last change / seconds.
 *  - After 12 shares or 60 s the expected interval at the current difficulty is checked; outside
 *    10–20 s the difficulty is set for 15 s at the measured rate.
 *  - A flood (≥ 4 shares, at least 1 s, more than one every 10/3 s) is corrected at once.
 *  - Silence (no share for 30 s) divides the difficulty by 8: nothing is known but "too high".
 *  - Never below the floor (the server's `--stratum-min-difficulty`, raised by the miner's own
 *    suggestion), never above the cap (the pool's difficulty in proxy mode, the network's when
 *    solo) unless the cap is below the floor: the floor wins.
 */

export const TARGET_SHARE_INTERVAL_S = 15;
const BAND_LOW_S = 10;
const BAND_HIGH_S = 20;
const RETARGET_SHARES = 12;
const RETARGET_AFTER_MS = 60_000;
const FLOOD_SHARES = 4;
const FLOOD_MIN_MS = 1_000;
const SILENCE_MS = 2 * TARGET_SHARE_INTERVAL_S * 1000;
const SILENCE_FACTOR = 8;

export interface VardiffOptions {
  /** The server's floor (`--stratum-min-difficulty`). */
  floor: number;
  /** Difficulty before anything is known. */
  start: number;
  /** Clock at creation (ms). */
  atMs: number;
}

export class Vardiff {
  private d: number;
  private readonly serverFloor: number;
  private floor: number;
  private cap = Infinity;
  private windowStartMs: number;
  private shares = 0;
  private difficultySum = 0;

  constructor(o: VardiffOptions) {
    if (!(o.floor > 0) || !(o.start > 0)) throw new Error('vardiff needs a positive floor and start');
    this.serverFloor = o.floor;
    this.floor = o.floor;
    this.windowStartMs = o.atMs;
    this.d = this.clamp(o.start);
  }

  get difficulty(): number {
    return this.d;
  }

  get minimum(): number {
    return this.floor;
  }

  /**
   * The miner asked for a difficulty (mining.suggest_difficulty, BIP310 minimum-difficulty): it
   * becomes the start and the floor, within the server's own floor. Returns the new difficulty
   * when it changed, else null.
   */
  suggest(difficulty: number, atMs: number): number | null {
    this.floor = Math.max(this.serverFloor, difficulty);
    return this.set(difficulty, atMs);
  }

  /** The highest difficulty worth asking (null: none). Returns the new difficulty when it changed. */
  setCap(cap: number | null, atMs: number): number | null {
    this.cap = cap !== null && cap > 0 && Number.isFinite(cap) ? cap : Infinity;
    return this.clamp(this.d) !== this.d ? this.set(this.d, atMs) : null;
  }

  /** A share credited at `difficulty`. Returns the new difficulty when it changed. */
  recordShare(difficulty: number, atMs: number): number | null {
    this.shares += 1;
    this.difficultySum += difficulty;
    const elapsedMs = atMs - this.windowStartMs;
    const flood = this.shares >= FLOOD_SHARES && elapsedMs >= FLOOD_MIN_MS && elapsedMs / this.shares < (BAND_LOW_S * 1000) / 3;
    if (flood || this.shares >= RETARGET_SHARES || elapsedMs >= RETARGET_AFTER_MS) return this.retarget(atMs);
    return null;
  }

  /** Called every few seconds: catches silence and slow miners. Returns the new difficulty when it changed. */
  tick(atMs: number): number | null {
    const elapsedMs = atMs - this.windowStartMs;
    if (this.shares === 0 && elapsedMs >= SILENCE_MS) return this.set(this.d / SILENCE_FACTOR, atMs);
    if (this.shares > 0 && elapsedMs >= RETARGET_AFTER_MS) return this.retarget(atMs);
    return null;
  }

  private retarget(atMs: number): number | null {
    const elapsedS = (atMs - this.windowStartMs) / 1000;
    if (!(elapsedS > 0) || this.difficultySum <= 0) return null;
    const difficultyPerS = this.difficultySum / elapsedS;
    const intervalS = this.d / difficultyPerS;
    if (intervalS >= BAND_LOW_S && intervalS <= BAND_HIGH_S) {
      this.resetWindow(atMs);
      return null;
    }
    return this.set(difficultyPerS * TARGET_SHARE_INTERVAL_S, atMs);
  }

  private set(difficulty: number, atMs: number): number | null {
    const next = this.clamp(difficulty);
    this.resetWindow(atMs);
    if (next === this.d) return null;
    this.d = next;
    return next;
  }

  private resetWindow(atMs: number): void {
    this.windowStartMs = atMs;
    this.shares = 0;
    this.difficultySum = 0;
  }

  private clamp(difficulty: number): number {
    const capped = this.cap >= this.floor ? Math.min(difficulty, this.cap) : difficulty;
    // Four significant digits: readable in logs and dashboards, and still fractional.
    return Math.max(this.floor, Number(capped.toPrecision(4)));
  }
}
