/**
 * The core-voltage regulator as board power sees it, with adapters for the two Bitaxe kinds
 * (docs/bm13xx-protocol.md §6.3): a TPS546 (switchable) or a DS4432U trimming a TPS40305
 * (its enable pin, ESP32 GPIO10, is not exposed by bitaxe-raw, so it cannot be switched off here).
 */
import type { Ds4432u } from './peripherals/ds4432u.js';
import type { Tps546 } from './peripherals/tps546.js';

export interface CoreRegulator {
  readonly kind: 'tps546' | 'ds4432u';
  /** False when the host cannot cut the core voltage on this board. */
  readonly canSwitchOff: boolean;
  /** Set the output and make sure it is on. */
  setVoltage(volts: number): Promise<void>;
  off(): Promise<void>;
}

export function tps546Regulator(tps: Tps546): CoreRegulator {
  return { kind: 'tps546', canSwitchOff: true, setVoltage: (v) => tps.setVoltage(v), off: () => tps.off() };
}

export function ds4432uRegulator(dac: Ds4432u): CoreRegulator {
  return {
    kind: 'ds4432u',
    canSwitchOff: false,
    setVoltage: async (v) => {
      await dac.setVoltage(v);
    },
    off: async () => {
      throw new Error('this board has no host-switchable core regulator (DS4432U trim only)');
    },
  };
}
