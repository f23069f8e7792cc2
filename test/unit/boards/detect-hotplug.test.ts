import { describe, expect, it } from 'vitest';
import { recogniseBoards, recogniseUnsupportedBoards, type SerialPortInfo } from '../../../src-main/boards/detect.js';
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

  it('tells GekkoScience sticks apart by their USB product string, and enumerates when it cannot be read', () => {
    const boards = recogniseBoards([
      port({ path: '/dev/ttyUSB0', vendorId: '0403', productId: '6015', product: 'CompacF Bitcoin Miner' }),
      port({ path: '/dev/ttyUSB1', vendorId: '10c4', productId: 'ea70', interfaceNumber: 0 }),
      port({ path: '/dev/ttyUSB2', vendorId: '10c4', productId: 'ea70', interfaceNumber: 1 }),
      port({ path: '/dev/ttyUSB3', vendorId: '0403', productId: '6015' }),
    ]);
    expect(boards.map((b) => [b.dataPath, b.label, b.chip])).toEqual([
      ['/dev/ttyUSB0', 'GekkoScience Compac F', 'bm1397'],
      ['/dev/ttyUSB1', 'GekkoScience CP2105 stick (Compac A2)', null],
      ['/dev/ttyUSB3', 'GekkoScience FTDI stick (Compac F / R909)', null],
    ]);
  });

  it('never starts a stick whose chip HashDeck does not drive, nor a plain FTDI or CP210x adapter', () => {
    const ports = [
      port({ path: '/dev/ttyUSB0', vendorId: '0403', productId: '6015', product: 'NewPac Bitcoin Miner' }),
      port({ path: '/dev/ttyUSB1', vendorId: '10c4', productId: 'ea60', product: '2Pac BM1384 Bitcoin Miner' }),
      port({ path: '/dev/ttyUSB2', vendorId: '0403', productId: '6015', product: 'FT230X Basic UART' }),
      port({ path: '/dev/ttyUSB3', vendorId: '10c4', productId: 'ea60', product: 'CP2102 USB to UART Bridge Controller' }),
    ];
    expect(recogniseBoards(ports)).toEqual([]);
    expect(recogniseUnsupportedBoards(ports)).toEqual([
      { path: '/dev/ttyUSB0', board: 'GekkoScience NewPac', chip: 'BM1387' },
      { path: '/dev/ttyUSB1', board: 'GekkoScience 2Pac', chip: 'BM1384' },
    ]);
  });

  it('recognises the NerdQAxe++ build of bitaxe-raw (C0DE:CAF1) like a Bitaxe', () => {
    const boards = recogniseBoards([
      port({ path: '/dev/ttyACM0', vendorId: 'c0de', productId: 'caf1', serialNumber: 'N1', interfaceNumber: 0 }),
      port({ path: '/dev/ttyACM1', vendorId: 'c0de', productId: 'caf1', serialNumber: 'N1', interfaceNumber: 2 }),
    ]);
    expect(boards).toEqual([{ kind: 'bitaxe-raw', label: 'NerdQAxe++ (bitaxe-raw)', controlPath: '/dev/ttyACM0', dataPath: '/dev/ttyACM1', chip: null, serialNumber: 'N1' }]);
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
    ports = [port({ path: '/dev/ttyUSB0', vendorId: '0403', productId: '6015', product: 'CompacF Bitcoin Miner' })];
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
