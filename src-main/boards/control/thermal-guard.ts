/**
 * Fan control and over-temperature protection for one board. Pure state machine driven by
 * `onReading(tempC, nowMs)`: no timers, no I/O of its own (the caller reads the sensor on its
 * monitor tick and the guard acts through callbacks), so tests step it with made-up time.
 *
 *  regulating ─(T > overTempC)→ cooling: stopHashing, fan 100 %, settings recorded
 *  cooling ─(T < resumeTempC)→ regulating: resumeHashing at a lower frequency/voltage
 *  any ─(3 implausible readings in a row)→ sensor-fault: stopHashing, fan 100 %, latched until reset()
 *  cooling ─(overheated maxOverheats times)→ halted: stays stopped, fan 100 %
 *
 * Thresholds follow the firmware practice in docs/bm13xx-protocol.md §6.3 (mujina: 3 bad readings
 * shut down, missing temperature ⇒ fan 100 %) and docs/features.md §(b)6.
 */

export interface ThermalGuardConfig {
  targetTempC: number;
  overTempC: number;
  resumeTempC: number;
  minFanPercent: number;
  /** Proportional gain, % fan per °C above target. */
  kp: number;
  /** Integral gain, % fan per °C·s. */
  ki: number;
  frequencyStepDownMhz: number;
  voltageStepDownV: number;
  minFrequencyMhz: number;
  minCoreVoltageV: number;
  implausibleBelowC: number;
  implausibleAboveC: number;
  badReadingsToFail: number;
  /** After this many over-temperature events the guard stops resuming. */
  maxOverheats: number;
}

export const DEFAULT_THERMAL_CONFIG: ThermalGuardConfig = {
  targetTempC: 60,
  overTempC: 75,
  resumeTempC: 55,
  minFanPercent: 20,
  kp: 6,
  ki: 0.2,
  frequencyStepDownMhz: 25,
  voltageStepDownV: 0.02,
  minFrequencyMhz: 100,
  minCoreVoltageV: 1.0,
  implausibleBelowC: -20,
  implausibleAboveC: 150,
  badReadingsToFail: 3,
  maxOverheats: 3,
};

export interface OperatingSettings {
  frequencyMhz: number;
  /** Null when the board's voltage cannot be set from the host. */
  coreVoltageV: number | null;
}

export interface ThermalActions {
  setFanPercent(percent: number): Promise<void> | void;
  stopHashing(reason: string): Promise<void> | void;
  resumeHashing(settings: OperatingSettings): Promise<void> | void;
  /** Settings in force now (recorded when the board overheats). */
  currentSettings(): OperatingSettings;
}

export type ThermalState = 'regulating' | 'cooling' | 'sensor-fault' | 'halted';

export interface OverheatRecord {
  atMs: number;
  tempC: number;
  settings: OperatingSettings;
}

export interface ThermalDecision {
  state: ThermalState;
  fanPercent: number;
  /** What this reading caused, if anything beyond a fan change. */
  event: 'none' | 'overheat' | 'resume' | 'sensor-fault' | 'halt';
  /** Problems raised by the callbacks (the guard itself never throws on them). */
  problems: string[];
}

export function isPlausibleTemperature(tempC: number | null, config: ThermalGuardConfig = DEFAULT_THERMAL_CONFIG): tempC is number {
  return tempC !== null && Number.isFinite(tempC) && tempC >= config.implausibleBelowC && tempC <= config.implausibleAboveC;
}

export class ThermalGuard {
  readonly config: ThermalGuardConfig;
  private stateValue: ThermalState = 'regulating';
  private integral = 0;
  private lastMs: number | null = null;
  private badInRow = 0;
  private fan = 100;
  readonly overheats: OverheatRecord[] = [];
  /** Why hashing is stopped, when it is. */
  stopReason: string | null = null;

  constructor(
    private readonly actions: ThermalActions,
    config: Partial<ThermalGuardConfig> = {},
  ) {
    this.config = { ...DEFAULT_THERMAL_CONFIG, ...config };
    const c = this.config;
    if (!(c.resumeTempC < c.overTempC)) throw new RangeError('resumeTempC must be below overTempC');
    if (!(c.targetTempC < c.overTempC)) throw new RangeError('targetTempC must be below overTempC');
    if (!(c.minFanPercent >= 0 && c.minFanPercent <= 100)) throw new RangeError('minFanPercent must be 0–100');
  }

  get state(): ThermalState {
    return this.stateValue;
  }

  get fanPercent(): number {
    return this.fan;
  }

  /** Clear a latched sensor fault or halt (user action); hashing is not resumed by this. */
  reset(): void {
    this.stateValue = 'regulating';
    this.badInRow = 0;
    this.integral = 0;
    this.lastMs = null;
    this.stopReason = null;
  }

  async onReading(tempC: number | null, nowMs: number): Promise<ThermalDecision> {
    const problems: string[] = [];
    const dtS = this.lastMs === null ? 0 : Math.max(0, (nowMs - this.lastMs) / 1000);
    this.lastMs = nowMs;
    const c = this.config;

    if (!isPlausibleTemperature(tempC, c)) {
      this.badInRow += 1;
      await this.setFan(100, problems);
      if (this.badInRow >= c.badReadingsToFail && this.stateValue !== 'sensor-fault') {
        const wasHashing = this.stateValue === 'regulating';
        this.stateValue = 'sensor-fault';
        this.stopReason = `The ASIC temperature reading was implausible ${this.badInRow} times in a row (last: ${describe(tempC)}); hashing stopped to be safe.`;
        if (wasHashing) await this.call(() => this.actions.stopHashing(this.stopReason!), 'stopHashing', problems);
        return this.decision('sensor-fault', problems);
      }
      return this.decision('none', problems);
    }
    this.badInRow = 0;

    switch (this.stateValue) {
      case 'sensor-fault':
      case 'halted':
        await this.setFan(100, problems);
        return this.decision('none', problems);
      case 'cooling':
        await this.setFan(100, problems);
        if (tempC < c.resumeTempC) return this.resume(problems);
        return this.decision('none', problems);
      case 'regulating':
        if (tempC > c.overTempC) return this.overheat(tempC, nowMs, problems);
        await this.setFan(this.piFan(tempC, dtS), problems);
        return this.decision('none', problems);
    }
  }

  private async overheat(tempC: number, nowMs: number, problems: string[]): Promise<ThermalDecision> {
    const settings = this.safeSettings(problems);
    this.overheats.push({ atMs: nowMs, tempC, settings });
    this.stopReason = `The ASIC reached ${tempC.toFixed(1)} °C, above the ${this.config.overTempC} °C limit, at ${settings.frequencyMhz} MHz${settings.coreVoltageV === null ? '' : ` and ${settings.coreVoltageV.toFixed(3)} V`}.`;
    await this.call(() => this.actions.stopHashing(this.stopReason!), 'stopHashing', problems);
    await this.setFan(100, problems);
    this.integral = 0;
    if (this.overheats.length >= this.config.maxOverheats) {
      this.stateValue = 'halted';
      this.stopReason += ` It overheated ${this.overheats.length} times; hashing stays stopped.`;
      return this.decision('halt', problems);
    }
    this.stateValue = 'cooling';
    return this.decision('overheat', problems);
  }

  private async resume(problems: string[]): Promise<ThermalDecision> {
    const c = this.config;
    const last = this.overheats[this.overheats.length - 1];
    const base = last?.settings ?? this.safeSettings(problems);
    const lowered: OperatingSettings = {
      frequencyMhz: Math.max(c.minFrequencyMhz, base.frequencyMhz - c.frequencyStepDownMhz),
      coreVoltageV: base.coreVoltageV === null ? null : Math.max(c.minCoreVoltageV, round3(base.coreVoltageV - c.voltageStepDownV)),
    };
    this.stateValue = 'regulating';
    this.stopReason = null;
    this.integral = 0;
    await this.call(() => this.actions.resumeHashing(lowered), 'resumeHashing', problems);
    return this.decision('resume', problems);
  }

  /** PI on (T − target) with the integral held while the output is saturated (anti-windup). */
  private piFan(tempC: number, dtS: number): number {
    const c = this.config;
    const error = tempC - c.targetTempC;
    const unclamped = c.minFanPercent + c.kp * error + c.ki * (this.integral + error * dtS);
    const saturatedHigh = unclamped > 100 && error > 0;
    const saturatedLow = unclamped < c.minFanPercent && error < 0;
    if (!saturatedHigh && !saturatedLow) this.integral += error * dtS;
    const out = c.minFanPercent + c.kp * error + c.ki * this.integral;
    return Math.round(Math.min(100, Math.max(c.minFanPercent, out)));
  }

  private safeSettings(problems: string[]): OperatingSettings {
    try {
      return this.actions.currentSettings();
    } catch (err) {
      problems.push(`currentSettings failed: ${(err as Error).message}`);
      return { frequencyMhz: this.config.minFrequencyMhz, coreVoltageV: null };
    }
  }

  private async setFan(percent: number, problems: string[]): Promise<void> {
    this.fan = percent;
    await this.call(() => this.actions.setFanPercent(percent), 'setFanPercent', problems);
  }

  private async call(fn: () => Promise<void> | void, name: string, problems: string[]): Promise<void> {
    try {
      await fn();
    } catch (err) {
      problems.push(`${name} failed: ${(err as Error).message}`);
    }
  }

  private decision(event: ThermalDecision['event'], problems: string[]): ThermalDecision {
    return { state: this.stateValue, fanPercent: this.fan, event, problems };
  }
}

function describe(tempC: number | null): string {
  return tempC === null ? 'no reading' : Number.isNaN(tempC) ? 'NaN' : `${tempC} °C`;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
