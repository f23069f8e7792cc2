/**
 * The built-in emulator as a device (`--device emulator[:chips]`): an in-process serialport
 * binding whose port is a virtual chip chain (src-main/emulator), plus an in-process emulated
 * bitaxe-raw control port (TPS546, INA260, EMC2101 and a thermal model). The real serialport
 * stream, chain, validator, stats, control session and thermal guard run on top of it exactly as
 * for a USB board; its sensor figures come from the model and the board is labelled emulated.
 *
 * The two halves are tied together here: the chain's PLL frequency and whether its chips hold work
 * drive the model's power, RST_N held low on the control port powers the chain down, and the core
 * voltage against the frequency decides the share of wrong nonces (silicon-model.ts). The room's
 * temperature is the board's ambient figure (an emulator models one; real boards have no such sensor).
 */
import type { ScannerKind } from '../scanner/scan-types.js';
import type { ChipModel } from '@shared/chip-model.js';
import { createEmulatorBinding } from './binding.js';
import type { VirtualChain } from './chain.js';
import { EmulatedControlPort } from './control/emulated-control-port.js';
import { DEFAULT_THERMAL_PARAMS, type ThermalModelParams } from './control/thermal-model.js';
import { hwErrorFraction } from './silicon-model.js';
import { chipDriver } from '../chips/index.js';
import type { ByteDuplex } from '../boards/control/bitaxe-raw.js';
import type { ControlLink } from '../boards/control/control-link.js';
import type { BindingInterface } from '../boards/transport.js';

export interface EmulatedControlOptions {
  /** Model overrides (per board; the defaults are scaled by the chip count). */
  thermal?: Partial<ThermalModelParams>;
  /**
   * Model seconds per wall-clock second (default 1). Tests use > 1 so that minutes of heating and
   * cooling pass in seconds; the figures are then those of a board living faster than real time.
   */
  timeScale?: number;
  /** How often the model is advanced (default 250 ms). */
  tickMs?: number;
}

export interface EmulatorDeviceOptions {
  chips: number;
  model: ChipModel;
  scaleBits: number;
  hashRateHs?: number;
  /** The emulated control port (default on); `false` for a data port only. */
  control?: EmulatedControlOptions | false;
  /** Force a scanner (default the best available; 'typescript' hashes in long, slow runs, as on a busy machine). */
  scanner?: ScannerKind;
}

export interface EmulatedControl extends ControlLink {
  readonly port: EmulatedControlPort;
  /** The chain behind the data port now (null before the engine opens it). */
  readonly chain: VirtualChain | null;
  timeScale: number;
  /** Pull the model and chain state together and advance the model by `wallMs` (× timeScale). */
  advance(wallMs: number): void;
}

export interface EmulatorDevice {
  binding: BindingInterface;
  path: string;
  control: EmulatedControl | null;
}

export function createEmulatorDevice(o: EmulatorDeviceOptions): EmulatorDevice {
  const binding = createEmulatorBinding({ chips: o.chips, model: o.model, scaleBits: o.scaleBits, hashRateHs: o.hashRateHs, ...(o.scanner ? { scanner: o.scanner } : {}) });
  // Only a chain whose port is open now: a closed one has already let its hashing worker go.
  const openChain = (): VirtualChain | null => binding.openChains.values().next().value ?? null;
  const control = o.control === false ? null : emulatedControl(o.chips, o.model, o.control ?? {}, openChain);
  return { binding: binding as unknown as BindingInterface, path: `emulator:${o.chips}:${o.model}`, control };
}

/**
 * N chips modelled as N copies of the one-chip board in parallel: N× the power and heat capacity
 * at 1/N of the thermal resistance, so temperatures stay those of one chip and power scales.
 */
function scaledParams(chips: number, overrides: Partial<ThermalModelParams>): Partial<ThermalModelParams> {
  const d = DEFAULT_THERMAL_PARAMS;
  return {
    wattsPerMhzV2: d.wattsPerMhzV2 * chips,
    idleWattsPerV2: d.idleWattsPerV2 * chips,
    heatCapacityJPerC: d.heatCapacityJPerC * chips,
    stillAirCPerW: d.stillAirCPerW / chips,
    ...overrides,
  };
}

function emulatedControl(chips: number, model: ChipModel, o: EmulatedControlOptions, currentChain: () => VirtualChain | null): EmulatedControl {
  const limits = chipDriver(model).limits;
  const port = new EmulatedControlPort({ thermal: scaledParams(chips, o.thermal ?? {}) });
  // RST_N low: the chips lose their state, as a real chain held in reset does.
  port.onReset((held) => {
    if (held) currentChain()?.powerCycle();
  });
  let timer: NodeJS.Timeout | null = null;
  const syncFromChain = (): void => {
    const c = currentChain();
    const present = c?.presentChips ?? [];
    // A chip hashes while it holds a job and is out of reset; the model tracks chip 0's PLL.
    port.setHashing(!port.resetHeld && present.some((chip) => chip.jobs.size > 0));
    const f = present[0]?.frequencyMhz;
    if (f !== undefined && f > 0) port.setFrequencyMhz(f);
    if (c && f !== undefined) c.setHwErrorFraction(hwErrorFraction(limits, f, port.model.coreVoltageV));
  };
  const link: EmulatedControl = {
    label: 'emulated control port',
    emulated: true,
    port,
    get chain() {
      return currentChain();
    },
    timeScale: o.timeScale ?? 1,
    ambientTempC: () => port.ambientC,
    advance(wallMs: number): void {
      syncFromChain();
      port.step(Math.max(0, wallMs) * link.timeScale);
    },
    async open(): Promise<ByteDuplex> {
      if (timer) clearInterval(timer);
      let last = Date.now();
      timer = setInterval(() => {
        const now = Date.now();
        link.advance(now - last);
        last = now;
      }, o.tickMs ?? 250);
      timer.unref?.();
      return port.hostStream;
    },
    async close(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
  return link;
}
