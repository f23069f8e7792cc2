/**
 * ADC channels exposed by bitaxe-raw (page 0x07, docs/bm13xx-protocol.md §6.2). The firmware
 * returns the raw ESP32 count as u16 LE; the scaling to volts depends on the board's divider and
 * is not documented, so only the raw count is offered.
 */
import { AdcChannel, type ControlChannel, ControlPage } from './bitaxe-raw.js';

export { AdcChannel };

export interface Adc {
  readRaw(channel: number): Promise<number>;
}

export class BitaxeRawAdc implements Adc {
  constructor(private readonly channel: ControlChannel) {}

  async readRaw(channel: number): Promise<number> {
    const data = await this.channel.request(ControlPage.adc, channel);
    if (data.length !== 2) throw new Error(`ADC channel 0x${channel.toString(16)}: expected 2 bytes, got ${data.length}`);
    return data.readUInt16LE(0);
  }
}
