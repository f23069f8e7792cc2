/** `hashdeck devices [--json]`: serial ports and the boards recognised on them. */
import { listSerialPorts, recogniseBoards, recogniseUnsupportedBoards } from '../boards/detect.js';

export async function runDevices(json: boolean, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const ports = await listSerialPorts();
  const boards = recogniseBoards(ports);
  const unsupported = recogniseUnsupportedBoards(ports);
  if (json) {
    out.write(`${JSON.stringify({ type: 'devices', ports, boards, unsupported })}\n`);
    return 0;
  }
  if (ports.length === 0) out.write('No serial ports found. Plug in a board; on Linux install resources/udev/99-hashdeck.rules for access.\n');
  for (const p of ports) {
    const board = boards.find((b) => b.dataPath === p.path || b.controlPath === p.path);
    const other = unsupported.find((u) => u.path === p.path);
    const role = board
      ? board.controlPath === p.path
        ? `${board.label}: control`
        : `${board.label}: ASIC data`
      : other
        ? `${other.board}: its ${other.chip} chips are not supported`
        : 'unrecognised (use --device <path> --chip <model>)';
    out.write(`${p.path.padEnd(18)} ${p.vendorId ?? '----'}:${p.productId ?? '----'}  ${p.manufacturer ?? ''}  ${role}\n`);
  }
  return 0;
}
