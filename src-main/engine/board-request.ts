/**
 * What the engine is asked to drive: a device spec as the user wrote it (`auto`, `emulator[:chips]`,
 * a serial path with its chip) and the board request it resolves to. Shared by the CLI, the
 * desktop app's engine process and the engine itself.
 */
import type { ChipModel } from '@shared/chip-model.js';
import type { ControlLink } from '../boards/control/control-link.js';
import type { BindingInterface } from '../boards/transport.js';
import type { TicketSetting } from '../chips/bm13xx/auto-ticket.js';

/** The difficulty scale of the built-in emulator: nonces at ticket difficulty × 2^-24. */
export const DEFAULT_EMULATOR_SCALE_BITS = 24;

export type DeviceSpec =
  | { kind: 'auto' }
  | ({ kind: 'emulator'; chips: number; model: ChipModel; scaleBits: number; worker?: string | null } & DeviceOperatingOptions)
  | ({ kind: 'path'; path: string; chip: ChipModel | null; control: string | null; scaleBits: number | null; expectChips: number | null; worker?: string | null } & DeviceOperatingOptions);

/** Per-device options after a `--device`: frequency and core voltage by hand, start paused. Absent when not given. */
export interface DeviceOperatingOptions {
  frequencyMhz?: number;
  coreVoltageMv?: number;
  paused?: boolean;
  /** `--ticket-difficulty` after this `--device`: wins over the global one. */
  ticketDifficulty?: TicketSetting;
}

export interface BoardRequest {
  id: string;
  name: string;
  path: string;
  model: ChipModel;
  emulated: boolean;
  scaleBits: number;
  expectedChips?: number;
  binding?: BindingInterface;
  /** A bitaxe-raw control port by path (`--control`, or the pair found by USB detection). */
  controlPath?: string | null;
  /** Any other control link (the built-in emulator's); wins over `controlPath`. */
  control?: ControlLink | null;
  /** Core voltage to power up at; the chip family's default when absent. */
  coreVoltageV?: number;
  /** The device does not say its chip: `model` is provisional, enumeration decides. */
  detectModel?: boolean;
  /** Stable identity: the USB serial number from detection, a synthetic one for an emulator. */
  serial?: string | null;
  /** Frequency for this board only (a per-device option); wins over the engine-wide frequency and a remembered tuning. */
  frequencyMhz?: number;
  /** Start paused (headless config, or the schedule says pause now). */
  startPaused?: boolean;
  /** Pool worker name (`--worker`; default the board id). */
  worker?: string;
  /** This board's ticket (a difficulty or 'auto'); the engine's when absent. */
  ticketDifficulty?: TicketSetting;
}
