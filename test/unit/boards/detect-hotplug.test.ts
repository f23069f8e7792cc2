import { describe, expect, it } from 'vitest';
import { recogniseBoards, type SerialPortInfo } from '../../../src-main/boards/detect.js';
import { HotplugWatcher } from '../../../src-main/boards/hotplug.js';

const port = (p: Partial<SerialPortInfo> & { path: string }): SerialPortInfo => ({ vendorId: null, productId: null, manufacturer: null, serialNumber: null, pnpId: null, interfaceNumber: null, ...p });

describe('board detection', () => {
  it('pairs the two bitaxe-raw CDC ports: first interface control, second ASIC data', () => {
    const boards = recogniseBoards([
      port({ path: '/dev/ttyACM1', vendorId: 'c0de', productId: 'cafe', serialNumber: 'A1', interfaceNumber: 2 }),
      port({ path: '/dev/ttyACM0', vendorId: 'c0de', productId: 'cafe', serialNumber: 'A1', interfaceNumber: 0 }),
      port({ path: '/dev/ttyS0' }),
    ]);
    expect(boards).toHaveLength(1);
    expect(boards[0]).toMatchObject({ kind: 'bitaxe-raw', controlPath: '/dev/ttyACM0', dataPath: '/dev/ttyACM1' });
  });

  it('two bitaxe-raw boards stay apart by serial number', () => {
    const boards = recogniseBoards([
      port({ path: '/dev/ttyACM0', vendorId: 'c0de', productId: 'cafe', serialNumber: 'A', interfaceNumber: 0 }),
      port({ path: '/dev/ttyACM1', vendorId: 'c0de', productId: 'cafe', serialNumber: 'A', interfaceNumber: 2 }),
      port({ path: '/dev/ttyACM2', vendorId: 'c0de', productId: 'cafe', serialNumber: 'B', interfaceNumber: 0 }),
      port({ path: '/dev/ttyACM3', vendorId: 'c0de', productId: 'cafe', serialNumber: 'B', interfaceNumber: 2 }),
    ]);
    expect(boards.map((b) => [b.controlPath, b.dataPath])).toEqual([
      ['/dev/ttyACM0', '/dev/ttyACM1'],
      ['/dev/ttyACM2', '/dev/ttyACM3'],
    ]);
  });

  it('recognises GekkoScience FTDI sticks as BM1397 and CP2105 sticks without a known chip', () => {
    const boards = recogniseBoards([port({ path: '/dev/ttyUSB0', vendorId: '0403', productId: '6015' }), port({ path: '/dev/ttyUSB1', vendorId: '10c4', productId: 'ea70', interfaceNumber: 0 })]);
    expect(boards.map((b) => [b.kind, b.chip])).toEqual([
      ['gekkoscience', 'bm1397'],
      ['gekkoscience', null],
    ]);
  });
});

describe('hotplug', () => {
  it('reports boards that appear and vanish', async () => {
    let ports: SerialPortInfo[] = [];
    const w = new HotplugWatcher(60_000, async () => ports);
    const added: string[] = [];
    const removed: string[] = [];
    w.on('added', (b) => added.push(b.dataPath));
    w.on('removed', (b) => removed.push(b.dataPath));
    await w.poll();
    ports = [port({ path: '/dev/ttyUSB0', vendorId: '0403', productId: '6015' })];
    await w.poll();
    await w.poll();
    ports = [];
    await w.poll();
    expect(added).toEqual(['/dev/ttyUSB0']);
    expect(removed).toEqual(['/dev/ttyUSB0']);
  });

  it('a failed listing is not an unplug', async () => {
    let fail = false;
    const w = new HotplugWatcher(60_000, async () => {
      if (fail) throw new Error('udevadm missing');
      return [port({ path: '/dev/ttyUSB0', vendorId: '0403', productId: '6015' })];
    });
    const removed: string[] = [];
    w.on('removed', (b) => removed.push(b.dataPath));
    await w.poll();
    fail = true;
    await w.poll();
    expect(removed).toEqual([]);
  });
});
