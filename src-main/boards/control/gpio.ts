/**
 * GPIO pins exposed by bitaxe-raw (page 0x06; the command byte is the pin index,
 * docs/bm13xx-protocol.md §6.2).
 */
import { type ControlChannel, ControlPage } from './bitaxe-raw.js';

/** Bitaxe pin indices: RST_N on every build; the enables only on later builds (§6.2). */
export const BitaxePin = { asicResetN: 0x00, vddio5vEnable: 0x01, tps546Enable: 0x02 } as const;

export interface Gpio {
  set(pin: number, high: boolean): Promise<void>;
  get(pin: number): Promise<boolean>;
}

export class BitaxeRawGpio implements Gpio {
  constructor(private readonly channel: ControlChannel) {}

  async set(pin: number, high: boolean): Promise<void> {
    checkPin(pin);
    await this.channel.request(ControlPage.gpio, pin, Buffer.from([high ? 1 : 0]));
  }

  async get(pin: number): Promise<boolean> {
    checkPin(pin);
    const data = await this.channel.request(ControlPage.gpio, pin);
    if (data.length !== 1) throw new Error(`GPIO ${pin}: expected a 1-byte level, got ${data.length} bytes`);
    return data[0] !== 0;
  }
}

function checkPin(pin: number): void {
  if (!Number.isInteger(pin) || pin < 0 || pin > 0xff) throw new RangeError(`GPIO pin must be 0..255, got ${pin}`);
}
