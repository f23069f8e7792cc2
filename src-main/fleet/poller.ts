/**
 * Polls one AxeOS device: `/api/system/info` every interval, `/api/system/asic` on first contact
 * and then rarely (its facts are static). A poll starts only after the previous one ended, so
 * polls never overlap; after failures the wait doubles up to a cap, so an unplugged miner is not
 * hammered, and the first answer brings the normal interval back.
 */
import type { AxeosClient } from './client.js';
import type { AxeosDevice } from './device.js';
import { parseAsicInfo, parseSystemInfo } from './system-info.js';

export const DEFAULT_POLL_INTERVAL_MS = 5000;
export const DEFAULT_MAX_BACKOFF_MS = 60_000;
export const ASIC_REFRESH_MS = 10 * 60_000;

/** Wait before the next poll after `failures` failed polls in a row. */
export function nextPollDelayMs(failures: number, intervalMs: number, maxBackoffMs: number): number {
  if (failures <= 0) return intervalMs;
  return Math.min(Math.max(maxBackoffMs, intervalMs), intervalMs * 2 ** Math.min(failures, 20));
}

export interface PollerOptions {
  intervalMs?: number;
  maxBackoffMs?: number;
  now?: () => number;
  /** Called after each poll (state transitions are logged by the caller). */
  onPolled?: (device: AxeosDevice, previousState: AxeosDevice['state']) => void;
}

export class AxeosPoller {
  readonly intervalMs: number;
  readonly maxBackoffMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private stopped = true;

  constructor(
    readonly device: AxeosDevice,
    readonly client: AxeosClient,
    private readonly options: PollerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops the loop; resolves once a poll in progress has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  /** The delay the loop uses next (tests and the device detail read it). */
  get nextDelayMs(): number {
    return nextPollDelayMs(this.device.failures, this.intervalMs, this.maxBackoffMs);
  }

  /** One poll; a call while one is running joins it instead of starting another. */
  poll(): Promise<void> {
    this.inFlight ??= this.pollOnce().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Polls again soon (after a command changed the device), keeping the no-overlap rule. */
  pollSoon(delayMs = 1000): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.schedule(delayMs);
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.poll().then(() => {
        if (!this.stopped && this.timer === null) this.schedule(this.nextDelayMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async pollOnce(): Promise<void> {
    const device = this.device;
    const previous = device.state;
    try {
      const { json, localAddress } = await this.client.getJson('/api/system/info');
      const reading = parseSystemInfo(json);
      const atMs = this.now();
      if (device.asicAtMs === null || previous !== 'online' || atMs - device.asicAtMs >= ASIC_REFRESH_MS) {
        try {
          device.recordAsic(parseAsicInfo((await this.client.getJson('/api/system/asic')).json), atMs);
        } catch {
          // Older firmware and some forks have no /api/system/asic: the info alone is enough.
          device.asicAtMs = atMs;
        }
      }
      device.recordReading(reading, localAddress, atMs);
    } catch (err) {
      device.recordFailure(err);
    }
    this.options.onPolled?.(device, previous);
  }
}
