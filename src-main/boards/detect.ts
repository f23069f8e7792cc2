/**
 * USB board detection (`hashdeck devices`, `--device auto`). Recognises bitaxe-raw (C0DE:CAFE:
 * first CDC function = control, second = ASIC data) and GekkoScience-style sticks (FTDI FT230X
 * 0403:6015, CP210x 10c4:ea60, CP2105 10c4:ea70). docs/bm13xx-protocol.md §6.1 and §7.
 */
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { SerialPort } from 'serialport';
import type { ChipModel } from '@shared/chip-model.js';

export interface SerialPortInfo {
  path: string;
  vendorId: string | null;
  productId: string | null;
  manufacturer: string | null;
  serialNumber: string | null;
  pnpId: string | null;
  /** USB interface number when known (Linux sysfs). */
  interfaceNumber: number | null;
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
    const ports = await SerialPort.list();
    return ports.map((p) => ({
      path: p.path,
      vendorId: p.vendorId?.toLowerCase() ?? null,
      productId: p.productId?.toLowerCase() ?? null,
      manufacturer: p.manufacturer ?? null,
      serialNumber: p.serialNumber ?? null,
      pnpId: p.pnpId ?? null,
      interfaceNumber: linuxInterfaceNumber(p.path),
    }));
  } catch {
    // serialport's Linux lister needs udevadm; fall back to sysfs.
    return listFromSysfs();
  }
}

/** Group ports into boards. Pure: exported for tests. */
export function recogniseBoards(ports: SerialPortInfo[]): DetectedBoard[] {
  const boards: DetectedBoard[] = [];
  const bitaxe = ports.filter((p) => p.vendorId === 'c0de' && (p.productId === 'cafe' || p.productId === 'caf1'));
  const bySerial = new Map<string, SerialPortInfo[]>();
  for (const p of bitaxe) {
    const key = p.serialNumber ?? p.pnpId ?? 'unknown';
    bySerial.set(key, [...(bySerial.get(key) ?? []), p]);
  }
  for (const [serial, group] of bySerial) {
    // Control is the first CDC function, data the second (interface order, else device-node order).
    const sorted = [...group].sort((a, b) => (a.interfaceNumber ?? 0) - (b.interfaceNumber ?? 0) || a.path.localeCompare(b.path, undefined, { numeric: true }));
    const data = sorted[1] ?? sorted[0]!;
    boards.push({ kind: 'bitaxe-raw', label: 'Bitaxe (bitaxe-raw)', dataPath: data.path, controlPath: sorted.length > 1 ? sorted[0]!.path : null, chip: null, serialNumber: serial === 'unknown' ? null : serial });
  }
  for (const p of ports) {
    const id = `${p.vendorId}:${p.productId}`;
    if (id === '0403:6015') boards.push({ kind: 'gekkoscience', label: 'GekkoScience FTDI stick (Compac F / NewPac / R909)', dataPath: p.path, controlPath: null, chip: 'bm1397', serialNumber: p.serialNumber });
    else if (id === '10c4:ea70' && (p.interfaceNumber ?? 0) === 0) boards.push({ kind: 'gekkoscience', label: 'GekkoScience CP2105 stick (Compac A1/A2)', dataPath: p.path, controlPath: null, chip: null, serialNumber: p.serialNumber });
  }
  return boards;
}

function linuxInterfaceNumber(devPath: string): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const name = path.basename(devPath);
    const real = realpathSync(`/sys/class/tty/${name}/device`);
    return Number.parseInt(readFileSync(path.join(real, 'bInterfaceNumber'), 'utf8').trim(), 16);
  } catch {
    return null;
  }
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
    const read = (rel: string): string | null => {
      try {
        const iface = realpathSync(`/sys/class/tty/${name}/device`);
        return readFileSync(path.join(iface, rel), 'utf8').trim();
      } catch {
        return null;
      }
    };
    return {
      path: `/dev/${name}`,
      vendorId: read('../idVendor')?.toLowerCase() ?? null,
      productId: read('../idProduct')?.toLowerCase() ?? null,
      manufacturer: read('../manufacturer'),
      serialNumber: read('../serial'),
      pnpId: null,
      interfaceNumber: linuxInterfaceNumber(`/dev/${name}`),
    };
  });
}
