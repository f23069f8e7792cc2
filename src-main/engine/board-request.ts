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

/** `ticketDifficulty`: `--ticket-difficulty` after this `--device`, which wins over the global one. */
export type DeviceSpec =
  | { kind: 'auto' }
  | { kind: 'emulator'; chips: number; model: ChipModel; scaleBits: number; ticketDifficulty?: TicketSetting }
  | { kind: 'path'; path: string; chip: ChipModel | null; control: string | null; scaleBits: number | null; expectChips: number | null; ticketDifficulty?: TicketSetting };

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
  /** This board's ticket (a difficulty or 'auto'); the engine's when absent. */
  ticketDifficulty?: TicketSetting;
}
