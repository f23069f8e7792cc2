/**
 * USB board detection (`hashdeck devices`, `--device auto`) from the one table of USB ids
 * (usb-ids.ts, which also gives the udev rules): bitaxe-raw (first CDC function = control, second
 * = ASIC data) and GekkoScience sticks (told apart by their USB product string).
 * docs/bm13xx-protocol.md §6.1 and §7.
 */
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { autoDetect } from '@serialport/bindings-cpp';
import type { ChipModel } from '@shared/chip-model.js';
import { usbBoardIdFor, type UsbBoardId } from './usb-ids.js';

export interface SerialPortInfo {
  path: string;
  vendorId: string | null;
  productId: string | null;
  manufacturer: string | null;
  serialNumber: string | null;
  pnpId: string | null;
  /** USB interface number when known (Linux sysfs). */
  interfaceNumber: number | null;
  /** USB product string when the platform gives it (Linux sysfs); it tells GekkoScience sticks apart. */
  product?: string | null;
}

export interface DetectedBoard {
  kind: 'bitaxe-raw' | 'gekkoscience' | 'unknown';
  label: string;
  dataPath: string;
  controlPath: string | null;
  /** The chip model when the device tells us; otherwise the user must say --chip. */
  chip: ChipModel | null;
  serialNumber: string | null;
}

export async function listSerialPorts(): Promise<SerialPortInfo[]> {
  try {
    const ports: Array<{ path: string; vendorId?: string; productId?: string; manufacturer?: string; serialNumber?: string; pnpId?: string }> = await autoDetect().list();
    return ports.map((p) => ({
      path: p.path,
      vendorId: p.vendorId?.toLowerCase() ?? null,
      productId: p.productId?.toLowerCase() ?? null,
      manufacturer: p.manufacturer ?? null,
      serialNumber: p.serialNumber ?? null,
      pnpId: p.pnpId ?? null,
      interfaceNumber: linuxInterfaceNumber(p.path),
      product: linuxUsbProduct(p.path),
    }));
  } catch {
    // serialport's Linux lister needs udevadm; fall back to sysfs.
    return listFromSysfs();
  }
}

/** Group ports into the boards HashDeck drives. Pure: exported for tests. */
export function recogniseBoards(ports: SerialPortInfo[]): DetectedBoard[] {
  const boards: DetectedBoard[] = [];
  const compositeBoards: DetectedBoard[] = [];
  const composite = new Map<string, { id: UsbBoardId; ports: SerialPortInfo[] }>();
  for (const p of ports) {
    const id = usbBoardIdFor(p.vendorId, p.productId, p.product);
    if (!id || id.unsupportedChip) continue;
    if (id.ports === 'control-then-data') {
      const key = `${id.vendorId}:${id.productId}:${p.serialNumber ?? p.pnpId ?? 'unknown'}`;
      const group = composite.get(key) ?? { id, ports: [] };
      group.ports.push(p);
      composite.set(key, group);
    } else if (id.ports === 'data' || (p.interfaceNumber ?? 0) === 0) {
      // A dual UART's second interface is its control side, not a board of its own.
      boards.push({ kind: id.kind, label: id.board, dataPath: p.path, controlPath: null, chip: id.chip, serialNumber: p.serialNumber });
    }
  }
  for (const { id, ports: group } of composite.values()) {
    // Control is the first CDC function, data the second (interface order, else device-node order).
    const sorted = [...group].sort((a, b) => (a.interfaceNumber ?? 0) - (b.interfaceNumber ?? 0) || a.path.localeCompare(b.path, undefined, { numeric: true }));
    const data = sorted[1] ?? sorted[0]!;
    compositeBoards.push({ kind: id.kind, label: id.board, dataPath: data.path, controlPath: sorted.length > 1 ? sorted[0]!.path : null, chip: id.chip, serialNumber: sorted[0]!.serialNumber });
  }
  return [...compositeBoards, ...boards];
}

/** Known boards on these ports whose chip HashDeck does not drive (listed by `hashdeck devices`, never started). */
export function recogniseUnsupportedBoards(ports: SerialPortInfo[]): Array<{ path: string; board: string; chip: string }> {
  const out: Array<{ path: string; board: string; chip: string }> = [];
  for (const p of ports) {
    const id = usbBoardIdFor(p.vendorId, p.productId, p.product);
    if (id?.unsupportedChip && (id.ports !== 'data-then-control' || (p.interfaceNumber ?? 0) === 0)) out.push({ path: p.path, board: id.board, chip: id.unsupportedChip });
  }
  return out;
}

/**
 * A sysfs attribute of the USB interface or device behind a tty: walks up from the tty's device
 * (a CDC-ACM tty sits on the interface, a usb-serial ttyUSB one level below it) to the first
 * directory that has the attribute.
 */
function linuxUsbAttribute(devPath: string, attribute: string): string | null {
  if (process.platform !== 'linux') return null;
  try {
    let dir = realpathSync(`/sys/class/tty/${path.basename(devPath)}/device`);
    for (let i = 0; i < 3; i++) {
      try {
        return readFileSync(path.join(dir, attribute), 'utf8').trim();
      } catch {
        dir = path.dirname(dir);
      }
    }
  } catch {
    // not a USB tty
  }
  return null;
}

function linuxInterfaceNumber(devPath: string): number | null {
  const text = linuxUsbAttribute(devPath, 'bInterfaceNumber');
  return text === null ? null : Number.parseInt(text, 16);
}

/** The USB device's product string; it tells GekkoScience sticks apart. */
function linuxUsbProduct(devPath: string): string | null {
  return linuxUsbAttribute(devPath, 'product');
}

function listFromSysfs(): SerialPortInfo[] {
  if (process.platform !== 'linux') return [];
  let names: string[] = [];
  try {
    names = readdirSync('/sys/class/tty').filter((n) => /^tty(ACM|USB)\d+$/.test(n));
  } catch {
    return [];
  }
  return names.map((name) => {
    const devPath = `/dev/${name}`;
    return {
      path: devPath,
      vendorId: linuxUsbAttribute(devPath, 'idVendor')?.toLowerCase() ?? null,
      productId: linuxUsbAttribute(devPath, 'idProduct')?.toLowerCase() ?? null,
      manufacturer: linuxUsbAttribute(devPath, 'manufacturer'),
      serialNumber: linuxUsbAttribute(devPath, 'serial'),
      pnpId: null,
      interfaceNumber: linuxInterfaceNumber(devPath),
      product: linuxUsbProduct(devPath),
    };
  });
}
