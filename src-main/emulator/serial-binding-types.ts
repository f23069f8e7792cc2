/**
 * The parts of `@serialport/bindings-interface` the emulator binding implements. Declared here
 * because that package's `exports` map hides its type declarations from TypeScript's "Bundler"
 * resolution; these are structurally what SerialPortStream calls.
 */

export interface SerialOpenOptions {
  path: string;
  baudRate: number;
  dataBits?: 5 | 6 | 7 | 8;
  lock?: boolean;
  stopBits?: 1 | 1.5 | 2;
  parity?: string;
  rtscts?: boolean;
  xon?: boolean;
  xoff?: boolean;
  xany?: boolean;
  hupcl?: boolean;
}

export interface SerialPortInfo {
  path: string;
  manufacturer: string | undefined;
  serialNumber: string | undefined;
  pnpId: string | undefined;
  locationId: string | undefined;
  productId: string | undefined;
  vendorId: string | undefined;
}

export interface SerialPortStatus {
  cts: boolean;
  dsr: boolean;
  dcd: boolean;
}

export interface SerialSetOptions {
  brk?: boolean;
  cts?: boolean;
  dsr?: boolean;
  dtr?: boolean;
  rts?: boolean;
}

export interface SerialBindingPort {
  readonly openOptions: Required<SerialOpenOptions>;
  isOpen: boolean;
  close(): Promise<void>;
  /** Resolves with ≥ 1 byte; rejects with `canceled: true` when the port closes, any other error = disconnect. */
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
  write(buffer: Buffer): Promise<void>;
  update(options: { baudRate: number }): Promise<void>;
  set(options: SerialSetOptions): Promise<void>;
  get(): Promise<SerialPortStatus>;
  getBaudRate(): Promise<{ baudRate: number }>;
  flush(): Promise<void>;
  drain(): Promise<void>;
}

export interface SerialBinding<P extends SerialBindingPort = SerialBindingPort> {
  list(): Promise<SerialPortInfo[]>;
  open(options: SerialOpenOptions): Promise<P>;
}
