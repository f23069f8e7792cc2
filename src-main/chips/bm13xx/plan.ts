/** Small builders for init-plan steps (the chain executes them in order). */
import type { InitStep } from '../driver.js';
import { chainInactiveFrame, readRegisterAll, setAddressFrame, writeRegister, writeRegisterAll } from './frames.js';
import { registerName } from './registers.js';

const hex8 = (v: number): string => '0x' + (v >>> 0).toString(16).toUpperCase().padStart(8, '0');
const hex2 = (v: number): string => '0x' + v.toString(16).toUpperCase().padStart(2, '0');

export function writeAllStep(register: number, value: number, note = '', delayAfterMs?: number): InitStep {
  const label = `write all ${registerName(register)} = ${hex8(value)}${note ? ` (${note})` : ''}`;
  return delayAfterMs ? { kind: 'write', frame: writeRegisterAll(register, value), label, delayAfterMs } : { kind: 'write', frame: writeRegisterAll(register, value), label };
}

export function writeChipStep(chipAddress: number, register: number, value: number, note = '', delayAfterMs?: number): InitStep {
  const label = `write chip ${hex2(chipAddress)} ${registerName(register)} = ${hex8(value)}${note ? ` (${note})` : ''}`;
  const frame = writeRegister(chipAddress, register, value);
  return delayAfterMs ? { kind: 'write', frame, label, delayAfterMs } : { kind: 'write', frame, label };
}

export function chainInactiveStep(): InitStep {
  return { kind: 'write', frame: chainInactiveFrame(), label: 'chain inactive' };
}

export function setAddressStep(chipAddress: number): InitStep {
  return { kind: 'write', frame: setAddressFrame(chipAddress), label: `set address ${hex2(chipAddress)}` };
}

export function enumerateStep(register: number, quietMs: number): InitStep {
  return { kind: 'enumerate', frame: readRegisterAll(register), label: `enumerate: read all ${registerName(register)}`, quietMs };
}

/** Address interval and per-chip addresses: i · floor(256 / chips) (§3.2 step 6). */
export function addressInterval(chipCount: number): number {
  if (!Number.isInteger(chipCount) || chipCount < 1 || chipCount > 256) throw new RangeError(`chip count must be 1..256, got ${chipCount}`);
  return Math.floor(256 / chipCount);
}

export function chipAddresses(chipCount: number): number[] {
  const interval = addressInterval(chipCount);
  return Array.from({ length: chipCount }, (_, i) => i * interval);
}
