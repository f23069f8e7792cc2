/** An emulated I2C peripheral: what the emulated bitaxe-raw port forwards page 0x05 traffic to. */
export interface EmulatedI2cDevice {
  readonly address: number;
  readonly name: string;
  write(bytes: Buffer): void;
  read(length: number): Buffer;
  writeRead(bytes: Buffer, length: number): Buffer;
}

/** Thrown by a device to make the port report a NACK. */
export class I2cNack extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'I2cNack';
  }
}
