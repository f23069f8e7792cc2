/**
 * Device specs (`auto`, `emulator[:chips]`, a serial path with its chip) → the boards the engine
 * starts. Shared by the CLI and the desktop app's engine process.
 */
import { isChipModel } from '@shared/chip-model.js';
import { listSerialPorts, recogniseBoards, type DetectedBoard } from '../boards/detect.js';
import { createEmulatorDevice } from '../emulator/emulated-device.js';
import type { EventBus } from '@shared/bus.js';
import { DEFAULT_EMULATOR_SCALE_BITS, type BoardRequest, type DeviceOperatingOptions, type DeviceSpec } from './board-request.js';

/** Per-device operating options as board request fields (only those given). */
function operatingFields(o: DeviceOperatingOptions): Pick<BoardRequest, 'frequencyMhz' | 'coreVoltageV' | 'startPaused' | 'ticketDifficulty'> {
  return {
    ...(o.ticketDifficulty !== undefined ? { ticketDifficulty: o.ticketDifficulty } : {}),
    ...(o.frequencyMhz !== undefined ? { frequencyMhz: o.frequencyMhz } : {}),
    ...(o.coreVoltageMv !== undefined ? { coreVoltageV: o.coreVoltageMv / 1000 } : {}),
    ...(o.paused ? { startPaused: true } : {}),
  };
}

/** A recognised USB board as a request; one that does not say its chip (bitaxe-raw, CP2105 sticks) is enumerated to find out. */
export function usbBoardRequest(b: DetectedBoard, id: string): BoardRequest {
  return {
    id,
    name: b.label,
    path: b.dataPath,
    model: b.chip ?? 'bm1366',
    detectModel: b.chip === null,
    emulated: false,
    scaleBits: 0,
    controlPath: b.controlPath,
    serial: b.serialNumber,
  };
}

/**
 * An emulator has no USB serial: a synthetic one from its place in the device list and its shape,
 * so the same command line finds the same remembered tuning again.
 */
export function emulatorSerial(index: number, chips: number, model: string): string {
  return `EMU-${model.toUpperCase()}-${chips}-${index}`;
}

/** A settings-file device string: "auto", "emulator:2", "/dev/ttyACM1:bm1366[:scaleBits]". */
export function deviceSpecFromString(text: string): DeviceSpec {
  if (text === 'auto') return { kind: 'auto' };
  const emu = /^emulator(?::(\d+))?$/.exec(text);
  if (emu) return { kind: 'emulator', chips: Number(emu[1] ?? 1), model: 'bm1366', scaleBits: DEFAULT_EMULATOR_SCALE_BITS };
  const m = /^(.+):(bm\d{4})(?::(\d+))?$/.exec(text);
  if (!m || !isChipModel(m[2]!)) throw new Error(`device "${text}" must be auto, emulator[:chips] or <path>:<chip>`);
  return { kind: 'path', path: m[1]!, chip: m[2], control: null, scaleBits: m[3] === undefined ? null : Number(m[3]), expectChips: null };
}

export async function resolveBoards(specs: DeviceSpec[], bus: EventBus): Promise<BoardRequest[]> {
  const boards: BoardRequest[] = [];
  let n = 0;
  let emulators = 0;
  // Serial numbers of the USB ports named by path (looked up once, only when a path is given).
  let portSerials: Map<string, string> | null = null;
  const serialOfPath = async (p: string): Promise<string | null> => {
    portSerials ??= new Map((await listSerialPorts().catch(() => [])).filter((x) => x.serialNumber).map((x) => [x.path, x.serialNumber!]));
    return portSerials.get(p) ?? null;
  };
  for (const spec of specs) {
    if (spec.kind === 'emulator') {
      const dev = createEmulatorDevice({ chips: spec.chips, model: spec.model, scaleBits: spec.scaleBits });
      const serial = emulatorSerial(emulators++, spec.chips, spec.model);
      boards.push({
        id: `emu${n++}`,
        name: `Emulator (${spec.chips}× ${spec.model.toUpperCase()})`,
        path: dev.path,
        model: spec.model,
        emulated: true,
        scaleBits: spec.scaleBits,
        expectedChips: spec.chips,
        binding: dev.binding,
        control: dev.control,
        serial,
        ...operatingFields(spec),
        ...(spec.worker ? { worker: spec.worker } : {}),
      });
    } else if (spec.kind === 'path') {
      boards.push({
        ...operatingFields(spec),
        serial: await serialOfPath(spec.path),
        id: `b${n++}`,
        name: spec.path,
        path: spec.path,
        model: spec.chip!,
        emulated: spec.scaleBits !== null,
        scaleBits: spec.scaleBits ?? 0,
        expectedChips: spec.expectChips ?? undefined,
        controlPath: spec.control,
        ...(spec.worker ? { worker: spec.worker } : {}),
      });
    } else {
      const found = recogniseBoards(await listSerialPorts());
      if (found.length === 0) bus.log('warn', 'devices', 'auto: no recognised USB board found (see `hashdeck devices`)');
      for (const b of found) {
        boards.push(usbBoardRequest(b, `b${n++}`));
      }
    }
  }
  return boards;
}
