/**
 * A board's control side while the engine runs it: the open bitaxe-raw link, power sequencing,
 * a sensor sweep every couple of seconds and the thermal guard acting on it.
 *
 * Over-temperature (docs/features.md §(b)6): the guard asks the board to stop giving work,
 * then the chips are left safe here (reset held, core voltage off, fan 100 %) because a chip out of
 * reset keeps hashing its last job and drawing power (ESP-Miner#564). Once cool, power comes back
 * at the lowered voltage and the board re-initialises its chain at the lowered frequency.
 */
import type { LogLevel } from '@shared/log-level.js';
import { EventEmitter } from 'node:events';
import { type BitaxeControl } from './bitaxe-control.js';
import type { SensorReadings } from './board-control.js';
import type { LeaveSafeResult, PowerTiming, Sleep } from './board-power.js';
import { openBitaxeControl, type ControlLink } from './control-link.js';
import { ThermalGuard, type OperatingSettings, type ThermalDecision, type ThermalGuardConfig } from './thermal-guard.js';

export interface ControlSessionOptions {
  /** Sensor sweep period (default 2 s). */
  sensorIntervalMs?: number;
  /** Guard thresholds; `false` turns the guard off (not offered to users: tests of the bare loop). */
  thermal?: Partial<ThermalGuardConfig> | false;
  powerTiming?: PowerTiming;
  sleep?: Sleep;
  /** Per-request reply timeout on the control channel. */
  timeoutMs?: number;
  now?: () => number;
}

/** What the session needs from the board it protects. */
export interface HashingHooks {
  /** Stop giving work now (the session then holds the chips in reset with the power off). */
  pauseHashing(reason: string): Promise<void> | void;
  /** Power is back at `settings.coreVoltageV`: initialise the chain at `settings.frequencyMhz` and hash. */
  resumeHashing(settings: OperatingSettings): Promise<void>;
  frequencyMhz(): number;
}

export type ThermalEventKind = 'overheat' | 'resume' | 'sensor-fault' | 'halt';

export interface ControlSessionEvents {
  readings: [readings: SensorReadings];
  /** A guard decision the user must hear about; `text` is a full sentence. */
  thermal: [kind: ThermalEventKind, text: string, settings: OperatingSettings | null];
  log: [level: LogLevel, text: string];
}

export const DEFAULT_SENSOR_INTERVAL_MS = 2000;

export class ControlSession extends EventEmitter<ControlSessionEvents> {
  latest: SensorReadings | null = null;
  readonly guard: ThermalGuard | null;
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> | null = null;
  private hooks: HashingHooks | null = null;
  private closed = false;
  private lastFaults = '';
  private nominalCoreVoltageV: number | null = null;

  private constructor(
    readonly link: ControlLink,
    readonly control: BitaxeControl,
    private readonly options: ControlSessionOptions,
  ) {
    super();
    if (options.thermal === false || !control.emc2101) {
      this.guard = null;
    } else {
      this.guard = new ThermalGuard(
        {
          setFanPercent: (p) => this.control.setFanPercent(p),
          stopHashing: (reason) => this.stopForGuard(reason),
          resumeHashing: (s) => this.resumeForGuard(s),
          currentSettings: () => ({ frequencyMhz: this.hooks?.frequencyMhz() ?? 0, coreVoltageV: this.control.coreVoltageSetpointV }),
        },
        options.thermal,
      );
    }
  }

  /** Open the link and find the peripherals. Throws a plain sentence when that fails. */
  static async open(link: ControlLink, options: ControlSessionOptions = {}): Promise<ControlSession> {
    const control = await openBitaxeControl(link, { timeoutMs: options.timeoutMs ?? 1000, timing: options.powerTiming, sleep: options.sleep, now: options.now });
    return new ControlSession(link, control, options);
  }

  get parts(): string[] {
    return this.control.parts;
  }

  /** docs/bm13xx-protocol.md §3.1/§6.3: reset low, regulator on at `coreVoltageV`, settle, reset released. */
  async powerUp(coreVoltageV: number): Promise<void> {
    this.nominalCoreVoltageV ??= coreVoltageV;
    await this.control.powerUp(coreVoltageV);
  }

  /**
   * A paused board: reset held and core voltage off, as leave-safe does, but the link stays open
   * (sensors, the thermal guard) and the fan is left to the guard, which slows it as the chips cool.
   */
  async powerDown(): Promise<LeaveSafeResult> {
    const result = await this.control.powerDown();
    for (const p of result.problems) this.emit('log', 'warn', `while pausing: ${p}`);
    return result;
  }

  /** The chips turned out to be another model: move the core voltage to that model's default. */
  async setNominalCoreVoltage(coreVoltageV: number): Promise<void> {
    this.nominalCoreVoltageV = coreVoltageV;
    await this.control.setCoreVoltageV(coreVoltageV);
  }

  startMonitoring(hooks: HashingHooks): void {
    this.hooks = hooks;
    if (this.timer || this.closed) return;
    if (!this.guard) this.emit('log', 'warn', `no ASIC temperature sensor on ${this.link.label}: thermal protection is off for this board`);
    this.timer = setInterval(() => void this.tick(), this.options.sensorIntervalMs ?? DEFAULT_SENSOR_INTERVAL_MS);
    this.timer.unref?.();
    void this.tick();
  }

  /** One sensor sweep and guard step (the timer calls it; tests may too). Overlapping calls share one sweep. */
  tick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (!this.busy) this.busy = this.sweep().finally(() => (this.busy = null));
    return this.busy;
  }

  /** Stop monitoring, leave the board safe (reset held, core voltage off, fan 100 %) and close the link. */
  async shutdown(): Promise<LeaveSafeResult | null> {
    if (this.closed) return null;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.busy?.catch(() => undefined);
    let result: LeaveSafeResult | null = null;
    try {
      result = await this.control.leaveSafe();
      for (const p of result.problems) this.emit('log', 'warn', `leaving the board safe: ${p}`);
    } catch (err) {
      this.emit('log', 'error', `could not leave the board safe: ${(err as Error).message}`);
    }
    this.control.close();
    await this.link.close().catch(() => undefined);
    return result;
  }

  private async sweep(): Promise<void> {
    let readings: SensorReadings;
    try {
      readings = await this.control.readSensors();
    } catch (err) {
      this.emit('log', 'warn', `sensor read failed: ${(err as Error).message}`);
      return;
    }
    if (this.closed) return;
    readings.ambientTempC = this.link.ambientTempC?.() ?? null;
    this.latest = readings;
    this.emit('readings', readings);
    const faults = readings.faults.join(' ');
    if (faults !== this.lastFaults && faults) this.emit('log', 'warn', `sensors: ${faults}`);
    this.lastFaults = faults;
    if (!this.guard || !this.hooks) return;
    const decision = await this.guard.onReading(readings.asicTempC, (this.options.now ?? Date.now)());
    this.report(decision, readings);
  }

  private report(d: ThermalDecision, r: SensorReadings): void {
    for (const p of d.problems) this.emit('log', 'warn', `thermal guard: ${p}`);
    const guard = this.guard!;
    const last = guard.overheats[guard.overheats.length - 1] ?? null;
    switch (d.event) {
      case 'overheat':
        this.emit('thermal', 'overheat', `${guard.stopReason} Hashing stopped, core power off, fan at 100 %; it resumes lower once below ${guard.config.resumeTempC} °C.`, last?.settings ?? null);
        break;
      case 'resume': {
        const now = guard.overheats.length > 0 ? { frequencyMhz: this.hooks?.frequencyMhz() ?? 0, coreVoltageV: this.control.coreVoltageSetpointV } : null;
        const was = last ? `${last.settings.frequencyMhz} MHz${fmtV(last.settings.coreVoltageV)}` : 'the previous settings';
        this.emit('thermal', 'resume', `Cooled to ${fmtC(r.asicTempC)}; hashing resumed at ${now?.frequencyMhz ?? '?'} MHz${fmtV(now?.coreVoltageV ?? null)} (it overheated at ${was}).`, now);
        break;
      }
      case 'sensor-fault':
      case 'halt':
        this.emit('thermal', d.event, guard.stopReason ?? 'Hashing stopped by the thermal guard.', last?.settings ?? null);
        break;
      case 'none':
        break;
    }
  }

  private async stopForGuard(reason: string): Promise<void> {
    await this.hooks?.pauseHashing(reason);
    const safe = await this.control.leaveSafe();
    for (const p of safe.problems) this.emit('log', 'warn', `while stopping for heat: ${p}`);
  }

  private async resumeForGuard(settings: OperatingSettings): Promise<void> {
    if (this.closed) return;
    const volts = settings.coreVoltageV ?? this.nominalCoreVoltageV;
    if (volts !== null) await this.control.powerUp(volts);
    if (this.closed) return;
    await this.hooks?.resumeHashing(settings);
  }
}

function fmtV(v: number | null): string {
  return v === null ? '' : ` and ${v.toFixed(3)} V`;
}

function fmtC(c: number | null): string {
  return c === null ? 'an unknown temperature' : `${c.toFixed(1)} °C`;
}
