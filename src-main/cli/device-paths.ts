/**
 * `mine` with a serial path that is not there at start is bad input (exit 2, docs/cli.md §7): a
 * typo must not look like a miner that runs. A board that goes away later is waited for instead.
 * On Windows a COM port is no file: the OS's port list decides.
 */
import { existsSync } from 'node:fs';
import type { DeviceSpec } from '../engine/board-request.js';
import { listSerialPorts } from '../boards/detect.js';
import { UsageError } from './usage-error.js';

export async function assertDevicePathsExist(devices: readonly DeviceSpec[], platform: NodeJS.Platform = process.platform): Promise<void> {
  const paths = devices.flatMap((d) => (d.kind === 'path' ? [d.path, ...(d.control ? [d.control] : [])] : []));
  if (paths.length === 0) return;
  const exists =
    platform === 'win32'
      ? await listSerialPorts().then((ports) => {
          const known = new Set(ports.map((p) => p.path.toUpperCase()));
          return (p: string) => known.has(p.toUpperCase());
        })
      : existsSync;
  for (const p of paths) if (!exists(p)) throw new UsageError(`no serial device at ${p} (is the board plugged in? see hashdeck devices; --device auto waits for boards)`);
}
