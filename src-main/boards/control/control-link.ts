/**
 * How a board's control side is reached: a byte stream that speaks bitaxe-raw (docs/bm13xx-protocol.md
 * §6.2). For a USB Bitaxe it is the first CDC port (`--control /dev/ttyACM0`); for the built-in
 * emulator it is an in-process EmulatedControlPort (emulator/emulated-device.ts).
 */
import type { ByteDuplex } from './bitaxe-raw.js';
import { SerialTransport, type BindingInterface } from '../transport.js';
import { BitaxeControl } from './bitaxe-control.js';

export interface ControlLink {
  /** Where it is, for messages ("/dev/ttyACM0", "emulated control port"). */
  readonly label: string;
  /** The control side is an emulator: its figures are a model, not a measurement. */
  readonly emulated: boolean;
  /** Open the stream; throws with a plain sentence when the port cannot be opened. */
  open(): Promise<ByteDuplex>;
  /** The air temperature around the board, where the link knows it (the emulator's room); absent or null otherwise. */
  ambientTempC?(): number | null;
  close(): Promise<void>;
}

/** bitaxe-raw is USB CDC: the baud rate is ignored by the device, any value works. */
const CONTROL_BAUD = 115_200;

export function serialControlLink(path: string, binding?: BindingInterface): ControlLink {
  let transport: SerialTransport | null = null;
  return {
    label: path,
    emulated: false,
    async open(): Promise<ByteDuplex> {
      const t = new SerialTransport({ path, baudRate: CONTROL_BAUD, binding });
      await t.open();
      transport = t;
      return {
        // ControlChannel times the request out if the bytes never arrive, so a failed write is only swallowed here.
        write: (chunk: Buffer) => {
          t.write(chunk).catch(() => undefined);
          return true;
        },
        on: (event: 'data', listener: (chunk: Buffer) => void) => t.on(event, listener),
        off: (event: 'data', listener: (chunk: Buffer) => void) => t.off(event, listener),
      };
    },
    async close(): Promise<void> {
      const t = transport;
      transport = null;
      await t?.close().catch(() => undefined);
    },
  };
}

/** Open a link and find the bitaxe-raw peripherals behind it. Throws one plain sentence. */
export async function openBitaxeControl(link: ControlLink, options: Parameters<typeof BitaxeControl.open>[1] = {}): Promise<BitaxeControl> {
  let stream;
  try {
    stream = await link.open();
  } catch (err) {
    throw new Error(`control port ${link.label} could not be opened: ${(err as Error).message}`);
  }
  try {
    return await BitaxeControl.open(stream, options);
  } catch (err) {
    await link.close().catch(() => undefined);
    throw new Error(`control port ${link.label} does not answer as bitaxe-raw: ${(err as Error).message}`);
  }
}
