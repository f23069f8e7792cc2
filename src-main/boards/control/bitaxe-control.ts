/**
 * A Bitaxe's control side over bitaxe-raw: probes which peripherals answer (TPS546 or DS4432U,
 * INA260, EMC2101; docs/bm13xx-protocol.md §6.3), reads sensors, drives the fan and core voltage,
 * and sequences power through BoardPower.
 */
import { ControlChannel, type ByteDuplex, type ControlChannelOptions } from './bitaxe-raw.js';
import { BitaxeRawAdc } from './adc.js';
import { BoardPower, DEFAULT_POWER_TIMING, realSleep, type LeaveSafeResult, type PowerTiming, type Sleep } from './board-power.js';
import { emptyReadings, type BoardControl, type SensorReadings } from './board-control.js';
import { ds4432uRegulator, tps546Regulator, type CoreRegulator } from './core-regulator.js';
import { BitaxeRawGpio } from './gpio.js';
import { BitaxeRawI2cBus } from './i2c-bus.js';
import { Ds4432u } from './peripherals/ds4432u.js';
import { Emc2101 } from './peripherals/emc2101.js';
import { Ina260 } from './peripherals/ina260.js';
import { Tps546, tps546FaultNames } from './peripherals/tps546.js';

export interface BitaxeControlOptions extends ControlChannelOptions {
  /** I2C clock; ESP-Miner runs 100 kHz (§6.3). Null skips the set (older firmware lacks it). */
  i2cFrequencyHz?: number | null;
  /** Added to VOUT·IOUT on TPS546 boards without an INA260 (ESP-Miner: 5 W single-chip, §6.3). */
  powerOffsetW?: number;
  /** EMC2101 ideality/beta as on the Gamma. */
  gammaDiode?: boolean;
  timing?: PowerTiming;
  sleep?: Sleep;
  now?: () => number;
}

export class BitaxeControl implements BoardControl {
  readonly power: BoardPower;
  private setpointV: number | null = null;

  private constructor(
    readonly channel: ControlChannel,
    readonly tps546: Tps546 | null,
    readonly ds4432u: Ds4432u | null,
    readonly ina260: Ina260 | null,
    readonly emc2101: Emc2101 | null,
    readonly adc: BitaxeRawAdc,
    private readonly regulator: CoreRegulator | null,
    private readonly options: BitaxeControlOptions,
    gpio: BitaxeRawGpio,
  ) {
    this.power = new BoardPower(gpio, regulator, options.timing ?? DEFAULT_POWER_TIMING, options.sleep ?? realSleep);
  }

  /** Open over a byte stream (the control serial port) and find the peripherals. */
  static async open(stream: ByteDuplex, options: BitaxeControlOptions = {}): Promise<BitaxeControl> {
    const channel = new ControlChannel(stream, options);
    try {
      const bus = new BitaxeRawI2cBus(channel);
      const freq = options.i2cFrequencyHz === undefined ? 100_000 : options.i2cFrequencyHz;
      if (freq !== null) await bus.setFrequencyHz(freq).catch(() => undefined);
      const tpsCandidate = new Tps546(bus);
      const tps546 = (await tpsCandidate.probe()) ? tpsCandidate : null;
      let ds4432u: Ds4432u | null = null;
      if (!tps546) {
        const dac = new Ds4432u(bus);
        if (await dac.probe()) ds4432u = dac;
      }
      const inaCandidate = new Ina260(bus);
      const ina260 = (await inaCandidate.probe()) ? inaCandidate : null;
      const emcCandidate = new Emc2101(bus);
      const emc2101 = (await emcCandidate.probe()) ? emcCandidate : null;
      if (tps546) await tps546.init();
      if (emc2101) await emc2101.init({ gammaDiode: options.gammaDiode ?? false });
      const regulator = tps546 ? tps546Regulator(tps546) : ds4432u ? ds4432uRegulator(ds4432u) : null;
      return new BitaxeControl(channel, tps546, ds4432u, ina260, emc2101, new BitaxeRawAdc(channel), regulator, options, new BitaxeRawGpio(channel));
    } catch (err) {
      channel.close();
      throw err;
    }
  }

  get parts(): string[] {
    const parts: string[] = [];
    if (this.tps546) parts.push('TPS546');
    if (this.ds4432u) parts.push('DS4432U');
    if (this.ina260) parts.push('INA260');
    if (this.emc2101) parts.push('EMC2101');
    return parts;
  }

  get coreVoltageSetpointV(): number | null {
    return this.regulator ? this.setpointV : null;
  }

  /** The core voltage can be set from the host (a TPS546 or DS4432U answered). */
  get canSetCoreVoltage(): boolean {
    return this.regulator !== null;
  }

  async powerUp(coreVoltageV: number): Promise<void> {
    await this.power.powerUp(coreVoltageV);
    this.setpointV = coreVoltageV;
  }

  async setCoreVoltageV(volts: number): Promise<void> {
    await this.power.setCoreVoltage(volts);
    this.setpointV = volts;
  }

  async setFanPercent(percent: number): Promise<void> {
    if (!this.emc2101) throw new Error('this board has no fan controller on the control port');
    await this.emc2101.setFanPercent(percent);
  }

  /** Fan to 100 % (cooling stays on while the ASIC sits in reset), reset low, core voltage off. */
  async leaveSafe(): Promise<LeaveSafeResult> {
    const result = await this.power.leaveSafe();
    if (this.emc2101) await this.emc2101.setFanPercent(100).catch(() => result.problems.push('Could not set the fan to 100 %.'));
    if (result.coreVoltageOff) this.setpointV = null;
    return result;
  }

  /** Reset held and core voltage off where the board allows it; the fan is left to the thermal guard (a paused board). */
  async powerDown(): Promise<LeaveSafeResult> {
    const result = await this.power.leaveSafe();
    if (result.coreVoltageOff) this.setpointV = null;
    return result;
  }

  close(): void {
    this.channel.close();
  }

  async readSensors(): Promise<SensorReadings> {
    const r = emptyReadings((this.options.now ?? Date.now)());
    const attempt = async <T>(what: string, read: () => Promise<T>): Promise<T | null> => {
      try {
        return await read();
      } catch (err) {
        r.faults.push(`Reading ${what} failed: ${(err as Error).message}.`);
        return null;
      }
    };
    if (this.tps546) {
      const tps = this.tps546;
      r.coreVoltageV = await attempt('core voltage', () => tps.readOutputVoltageV());
      r.inputVoltageV = await attempt('input voltage', () => tps.readInputVoltageV());
      const iout = await attempt('regulator current', () => tps.readOutputCurrentA());
      r.currentA = iout;
      if (iout !== null && r.coreVoltageV !== null) r.powerW = r.coreVoltageV * iout + (this.options.powerOffsetW ?? 5);
      r.vrTempC = await attempt('regulator temperature', () => tps.readTemperatureC());
      const status = await attempt('regulator status', () => tps.readStatusWord());
      const faultBits = status === null ? [] : tps546FaultNames(status);
      if (faultBits.length > 0) r.faults.push(`Regulator reports ${faultBits.join(', ')}.`);
    } else if (this.setpointV !== null) {
      r.coreVoltageV = this.setpointV;
    }
    if (this.ina260) {
      const ina = this.ina260;
      r.inputVoltageV = (await attempt('input voltage', () => ina.readBusVoltageV())) ?? r.inputVoltageV;
      r.currentA = (await attempt('input current', () => ina.readCurrentA())) ?? r.currentA;
      r.powerW = (await attempt('input power', () => ina.readPowerW())) ?? r.powerW;
    }
    if (this.emc2101) {
      const emc = this.emc2101;
      const ext = await attempt('ASIC temperature', () => emc.readExternalTemperature());
      if (ext?.ok) r.asicTempC = ext.celsius;
      else if (ext) r.faults.push(`ASIC temperature diode reads ${ext.fault}.`);
      r.fanRpm = await attempt('fan speed', () => emc.readFanRpm());
      r.fanPercent = await attempt('fan duty', () => emc.readFanPercent());
    }
    return r;
  }
}
