/**
 * Emulated EMC2101 at 0x4C (docs/bm13xx-protocol.md §6.3): the fan setting drives the thermal
 * model's fan; temperature and tach registers report it. A diode fault can be injected.
 */
import { EMC2101_ADDRESS, EMC2101_FAN_STEPS, EMC2101_MANUFACTURER_ID, Emc2101Reg, emc2101ExternalTemperatureBytes, emc2101TachCount } from '../../boards/control/peripherals/emc2101.js';
import type { EmulatedI2cDevice } from './emulated-i2c-device.js';
import type { ThermalModel } from './thermal-model.js';

export class EmulatedEmc2101 implements EmulatedI2cDevice {
  readonly address = EMC2101_ADDRESS;
  readonly name = 'EMC2101';
  private readonly regs = new Uint8Array(256);
  private pointer = 0;
  /** Inject a diode fault ('open' → 0x3F8, 'short' → 0x3FF) or a fixed reading (°C, may be NaN-like garbage). */
  diodeFault: 'open' | 'short' | null = null;
  forcedTempC: number | null = null;
  private fanFailedFlag = false;

  constructor(private readonly model: ThermalModel) {
    this.regs[Emc2101Reg.productId] = 0x16;
    this.regs[Emc2101Reg.manufacturerId] = EMC2101_MANUFACTURER_ID;
    this.regs[Emc2101Reg.fanSetting] = EMC2101_FAN_STEPS;
    this.model.fanFraction = 1;
  }

  /** Fan failure injection: a stalled fan moves no air and its tach reads 0 RPM, whatever the setting. */
  get fanFailed(): boolean {
    return this.fanFailedFlag;
  }
  set fanFailed(failed: boolean) {
    this.fanFailedFlag = failed;
    this.applyFan();
  }

  write(bytes: Buffer): void {
    const reg = bytes[0];
    if (reg === undefined) return;
    this.pointer = reg;
    // Consecutive data bytes go to consecutive registers (SMBus block write with auto-increment).
    for (let i = 1; i < bytes.length; i++) this.writeRegister((reg + i - 1) & 0xff, bytes[i]!);
  }

  read(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.readRegister((this.pointer + i) & 0xff);
    return out;
  }

  writeRead(bytes: Buffer, length: number): Buffer {
    this.write(bytes);
    return this.read(length);
  }

  private writeRegister(reg: number, value: number): void {
    if (reg === Emc2101Reg.productId || reg === Emc2101Reg.manufacturerId) return; // read-only
    this.regs[reg] = value;
    if (reg === Emc2101Reg.fanSetting) this.applyFan();
  }

  private applyFan(): void {
    const setting = this.regs[Emc2101Reg.fanSetting]!;
    this.model.fanFraction = this.fanFailedFlag ? 0 : Math.min(setting & 0x3f, EMC2101_FAN_STEPS) / EMC2101_FAN_STEPS;
  }

  private readRegister(reg: number): number {
    switch (reg) {
      case Emc2101Reg.internalTemp:
        return Math.round(this.model.params.ambientC + 8) & 0xff;
      case Emc2101Reg.externalTempHigh:
        return this.externalBytes()[0];
      case Emc2101Reg.externalTempLow:
        return this.externalBytes()[1];
      case Emc2101Reg.tachLow:
        return emc2101TachCount(this.model.fanRpm()) & 0xff;
      case Emc2101Reg.tachHigh:
        return (emc2101TachCount(this.model.fanRpm()) >> 8) & 0xff;
      default:
        return this.regs[reg]!;
    }
  }

  private externalBytes(): [number, number] {
    if (this.diodeFault === 'open') return [0x7f, 0x00];
    if (this.diodeFault === 'short') return [0x7f, 0xe0];
    return emc2101ExternalTemperatureBytes(this.forcedTempC ?? this.model.asicTempC);
  }
}
