/**
 * The built-in emulator as a device (`--device emulator[:chips]`): an in-process serialport
 * binding whose port is a virtual chip chain (src-main/emulator). The real serialport stream,
 * chain, validator and stats run on top of it exactly as for a USB board.
 */
import type { ChipModel } from '../chips/model.js';
import { createEmulatorBinding } from '../emulator/binding.js';
import type { BindingInterface } from './transport.js';

export interface EmulatorDeviceOptions {
  chips: number;
  model: ChipModel;
  scaleBits: number;
  hashRateHs?: number;
}

export function createEmulatorDevice(o: EmulatorDeviceOptions): { binding: BindingInterface; path: string } {
  const binding = createEmulatorBinding({ chips: o.chips, model: o.model, scaleBits: o.scaleBits, hashRateHs: o.hashRateHs });
  return { binding: binding as unknown as BindingInterface, path: `emulator:${o.chips}:${o.model}` };
}
