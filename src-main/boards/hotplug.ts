/**
 * USB hotplug for `--device auto`: polls the serial port list and reports recognised boards that
 * appear or vanish. Polling (every couple of seconds) works the same on Linux, macOS and Windows
 * without native udev/IOKit watchers; a vanished board is also seen at once by its transport.
 */
import { EventEmitter } from 'node:events';
import { listSerialPorts, recogniseBoards, type DetectedBoard, type SerialPortInfo } from './detect.js';

export interface HotplugEvents {
  added: [board: DetectedBoard];
  removed: [board: DetectedBoard];
}

export class HotplugWatcher extends EventEmitter<HotplugEvents> {
  private known = new Map<string, DetectedBoard>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(
    private readonly intervalMs = 2000,
    private readonly list: () => Promise<SerialPortInfo[]> = listSerialPorts,
  ) {
    super();
  }

  /** The first scan reports every board present as added. */
  async start(): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const now = new Map(recogniseBoards(await this.list()).map((b) => [b.dataPath, b]));
      for (const [path, board] of this.known) if (!now.has(path)) this.emit('removed', board);
      for (const [path, board] of now) if (!this.known.has(path)) this.emit('added', board);
      this.known = now;
    } catch {
      // A failed listing is not a removal: keep the last known set.
    } finally {
      this.polling = false;
    }
  }
}
