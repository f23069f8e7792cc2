/**
 * The one table of USB boards HashDeck knows. Board detection (detect.ts) and the Linux udev rules
 * (resources/udev/99-hashdeck.rules, written by `npm run generate`, checked by a unit test) both
 * come from it, so a board that is detected always has access rules and no rule opens a device
 * HashDeck would not drive.
 *
 * Facts (docs/bm13xx-protocol.md §6.1 and §7): bitaxe-raw answers as C0DE:CAFE with two CDC-ACM
 * functions, control first (bitaxe-raw src/main.rs); a NerdQAxe++ build uses C0DE:CAF1 (mujina).
 * GekkoScience sticks are told apart by the USB product string, as cgminer's usbutils.c does: on
 * the FTDI FT230X (0403:6015) "CompacF Bitcoin Miner" and "R909 Bitcoin Miner" carry a BM1397,
 * "NewPac Bitcoin Miner" and "R606 Bitcoin Miner" a BM1387; on the CP210x (10c4:ea60) "Compac",
 * "2Pac" and "Terminus BM1384 Bitcoin Miner" a BM1384; on the CP2105 dual UART (10c4:ea70) "Compac
 * A1" and "Terminus A1" a BM1362 and the Compac A2 a BM1370, its first interface the ASIC data.
 */
import type { ChipModel } from '@shared/chip-model.js';

/** How a board's serial ports divide between the ASIC data stream and a control channel. */
export type PortLayout =
  /** Two CDC functions: the first is the control channel, the second the ASIC data (bitaxe-raw). */
  | 'control-then-data'
  /** A dual UART: interface 0 carries the ASIC data, interface 1 telemetry and control (not driven yet). */
  | 'data-then-control'
  /** One port: the ASIC data. */
  | 'data';

export interface UsbBoardId {
  /** Four lower-case hex digits, as serialport and udev give them. */
  vendorId: string;
  productId: string;
  /**
   * The USB product string that singles this board out among devices sharing the id; null matches
   * the id whatever the product string (see `otherProducts`).
   */
  product: string | null;
  /**
   * For `product: null` entries: whether a device whose product string is known and names none of
   * the other entries is this board too (true), or only one whose product string cannot be read (false).
   */
  otherProducts?: boolean;
  kind: 'bitaxe-raw' | 'gekkoscience';
  board: string;
  /** The chip when the id says it; null: learned by enumerating the chain. */
  chip: ChipModel | null;
  /** A chip HashDeck does not drive: the board is listed by `hashdeck devices` but never started, and gets no udev rule. */
  unsupportedChip?: string;
  ports: PortLayout;
  /** The USB side, for the udev file's comments. */
  bridge: string;
}

export const USB_BOARD_IDS: readonly UsbBoardId[] = [
  {
    vendorId: 'c0de',
    productId: 'cafe',
    product: null,
    otherProducts: true,
    kind: 'bitaxe-raw',
    board: 'Bitaxe (bitaxe-raw)',
    chip: null,
    ports: 'control-then-data',
    bridge: 'bitaxe-raw firmware on the ESP32-S3 (CDC-ACM, /dev/ttyACM*)',
  },
  {
    vendorId: 'c0de',
    productId: 'caf1',
    product: null,
    otherProducts: true,
    kind: 'bitaxe-raw',
    board: 'NerdQAxe++ (bitaxe-raw)',
    chip: null,
    ports: 'control-then-data',
    bridge: 'bitaxe-raw build for the NerdQAxe++ (CDC-ACM, /dev/ttyACM*)',
  },
  { vendorId: '0403', productId: '6015', product: 'CompacF Bitcoin Miner', kind: 'gekkoscience', board: 'GekkoScience Compac F', chip: 'bm1397', ports: 'data', bridge: 'FTDI FT230X (/dev/ttyUSB*)' },
  { vendorId: '0403', productId: '6015', product: 'R909 Bitcoin Miner', kind: 'gekkoscience', board: 'GekkoScience R909', chip: 'bm1397', ports: 'data', bridge: 'FTDI FT230X (/dev/ttyUSB*)' },
  {
    vendorId: '0403',
    productId: '6015',
    product: 'NewPac Bitcoin Miner',
    kind: 'gekkoscience',
    board: 'GekkoScience NewPac',
    chip: null,
    unsupportedChip: 'BM1387',
    ports: 'data',
    bridge: 'FTDI FT230X (/dev/ttyUSB*)',
  },
  {
    vendorId: '0403',
    productId: '6015',
    product: 'R606 Bitcoin Miner',
    kind: 'gekkoscience',
    board: 'GekkoScience R606',
    chip: null,
    unsupportedChip: 'BM1387',
    ports: 'data',
    bridge: 'FTDI FT230X (/dev/ttyUSB*)',
  },
  // Where the product string cannot be read (some platforms' listings), an FT230X may be any of the above: enumerate.
  {
    vendorId: '0403',
    productId: '6015',
    product: null,
    otherProducts: false,
    kind: 'gekkoscience',
    board: 'GekkoScience FTDI stick (Compac F / R909)',
    chip: null,
    ports: 'data',
    bridge: 'FTDI FT230X (/dev/ttyUSB*)',
  },
  {
    vendorId: '10c4',
    productId: 'ea60',
    product: 'Compac BM1384 Bitcoin Miner',
    kind: 'gekkoscience',
    board: 'GekkoScience Compac',
    chip: null,
    unsupportedChip: 'BM1384',
    ports: 'data',
    bridge: 'Silicon Labs CP210x (/dev/ttyUSB*)',
  },
  {
    vendorId: '10c4',
    productId: 'ea60',
    product: '2Pac BM1384 Bitcoin Miner',
    kind: 'gekkoscience',
    board: 'GekkoScience 2Pac',
    chip: null,
    unsupportedChip: 'BM1384',
    ports: 'data',
    bridge: 'Silicon Labs CP210x (/dev/ttyUSB*)',
  },
  {
    vendorId: '10c4',
    productId: 'ea60',
    product: 'Terminus BM1384 Bitcoin Miner',
    kind: 'gekkoscience',
    board: 'GekkoScience Terminus',
    chip: null,
    unsupportedChip: 'BM1384',
    ports: 'data',
    bridge: 'Silicon Labs CP210x (/dev/ttyUSB*)',
  },
  {
    vendorId: '10c4',
    productId: 'ea70',
    product: 'GekkoScience Compac A1',
    kind: 'gekkoscience',
    board: 'GekkoScience Compac A1',
    chip: null,
    unsupportedChip: 'BM1362',
    ports: 'data-then-control',
    bridge: 'Silicon Labs CP2105 dual UART (/dev/ttyUSB*)',
  },
  {
    vendorId: '10c4',
    productId: 'ea70',
    product: 'GekkoScience Terminus A1',
    kind: 'gekkoscience',
    board: 'GekkoScience Terminus A1',
    chip: null,
    unsupportedChip: 'BM1362',
    ports: 'data-then-control',
    bridge: 'Silicon Labs CP2105 dual UART (/dev/ttyUSB*)',
  },
  // The Compac A2 (BM1370): its product string is not in the sources, so any other CP2105 is taken for one and enumerated.
  {
    vendorId: '10c4',
    productId: 'ea70',
    product: null,
    otherProducts: true,
    kind: 'gekkoscience',
    board: 'GekkoScience CP2105 stick (Compac A2)',
    chip: null,
    ports: 'data-then-control',
    bridge: 'Silicon Labs CP2105 dual UART (/dev/ttyUSB*)',
  },
];

/** The table entry a USB serial port belongs to, or null. `product`: undefined/null when the platform cannot tell. */
export function usbBoardIdFor(vendorId: string | null, productId: string | null, product: string | null | undefined, table: readonly UsbBoardId[] = USB_BOARD_IDS): UsbBoardId | null {
  if (!vendorId || !productId) return null;
  const sameId = table.filter((e) => e.vendorId === vendorId.toLowerCase() && e.productId === productId.toLowerCase());
  const exact = product ? sameId.find((e) => e.product === product) : undefined;
  if (exact) return exact;
  const generic = sameId.find((e) => e.product === null);
  if (!generic) return null;
  const productKnown = product !== undefined && product !== null && product !== '';
  return !productKnown || generic.otherProducts === true ? generic : null;
}

/** udev rules for every entry HashDeck drives (a known, supported chip or one to enumerate). */
export function udevRules(table: readonly UsbBoardId[] = USB_BOARD_IDS): string {
  const lines = [
    '# HashDeck: serial access to USB Bitcoin ASIC boards without root.',
    '# Generated from src-main/boards/usb-ids.ts by npm run generate; do not edit.',
    '# Install: sudo cp 99-hashdeck.rules /etc/udev/rules.d/ && sudo udevadm control --reload-rules && sudo udevadm trigger',
    '#',
    '# Each matched serial port gets group "dialout" with mode 0660 (for the headless hashdeck service',
    '# user and dialout members) and the "uaccess" tag (for whoever is logged in at the seat).',
    '# systemd applies "uaccess" in 73-seat-late.rules, which runs before this file, so the builtin is',
    '# also run here. ModemManager is told to leave the ports alone: its probing garbles the link.',
    '# Boards whose chip HashDeck does not drive (BM1384, BM1387, BM1362 sticks) get no rule.',
  ];
  for (const e of table) {
    if (e.unsupportedChip) continue;
    // A generic entry that only covers unreadable product strings needs no rule: udev can read them.
    if (e.product === null && e.otherProducts !== true) continue;
    lines.push('', `# ${e.board}: ${e.bridge}`);
    const product = e.product === null ? '' : `ATTRS{product}=="${e.product}", `;
    lines.push(
      `SUBSYSTEM=="tty", ATTRS{idVendor}=="${e.vendorId}", ATTRS{idProduct}=="${e.productId}", ${product}MODE="0660", GROUP="dialout", TAG+="uaccess", RUN{builtin}+="uaccess", ENV{ID_MM_DEVICE_IGNORE}="1"`,
    );
  }
  return `${lines.join('\n')}\n`;
}
