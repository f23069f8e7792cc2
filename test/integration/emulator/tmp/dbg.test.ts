import { SerialPort } from 'serialport';
import { it } from 'vitest';
import { runEmulatorPty } from '../../../../src-main/emulator/pty.js';
it('dbg', async () => {
  const emu = await runEmulatorPty({ chips: 2 });
  console.log('pty', emu.path, emu.kind);
  emu.chain.on('data', (b) => console.log('chain out', b.toString('hex')));
  const port = new SerialPort({ path: emu.path, baudRate: 115200 });
  port.on('open', () => { console.log('open'); port.write(Buffer.from('55aa520500000a', 'hex')); });
  port.on('data', (d) => console.log('host got', d.toString('hex')));
  port.on('error', (e) => console.log('host err', e));
  port.on('close', (e) => console.log('host close', e));
  await new Promise((r) => setTimeout(r, 1000));
  console.log(emu.chain.status());
  emu.chain.unplug();
  await new Promise((r) => setTimeout(r, 1000));
});
