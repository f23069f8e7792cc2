/**
 * What the rest of the app needs from a board's control side (sensors, fan, core voltage, safe
 * power), independent of how it is reached. `BitaxeControl` (bitaxe-control.ts) implements it over
 * bitaxe-raw; diagnostics and the engine depend only on this interface.
 */

/** One sensor sweep. A field is null when the board has no sensor for it or the read failed. */
export interface SensorReadings {
  atMs: number;
  /** Core voltage: regulator READ_VOUT, else the setpoint. */
  coreVoltageV: number | null;
  inputVoltageV: number | null;
  /** INA260 input current where fitted, else the regulator's output current. */
  currentA: number | null;
  /** Board power: INA260 where fitted, else VOUT·IOUT plus the family's offset (§6.3). */
  powerW: number | null;
  asicTempC: number | null;
  vrTempC: number | null;
  fanRpm: number | null;
  fanPercent: number | null;
  /** Air around the board, where the board reports it (none of the supported boards has such a sensor; an emulator models one). */
  ambientTempC?: number | null;
  /** Plain sentences: sensor faults, regulator status bits, failed reads. */
  faults: string[];
}

export interface BoardControl {
  /** Which parts answered on the bus, for reports ("TPS546", "EMC2101", …). */
  readonly parts: readonly string[];
  readSensors(): Promise<SensorReadings>;
  setFanPercent(percent: number): Promise<void>;
  /** Null when the board has no host-settable regulator. */
  readonly coreVoltageSetpointV: number | null;
  setCoreVoltageV(volts: number): Promise<void>;
}

export function emptyReadings(atMs: number): SensorReadings {
  return {
    atMs,
    coreVoltageV: null,
    inputVoltageV: null,
    currentA: null,
    powerW: null,
    asicTempC: null,
    vrTempC: null,
    fanRpm: null,
    fanPercent: null,
    ambientTempC: null,
    faults: [],
  };
}
