/**
 * The AxeOS devices HashDeck watches (docs/axeos.md): one poller each, their snapshots beside the
 * USB boards, their figures in the ledger under their own id, and the two writes a household
 * needs (restart, and "mine to this HashDeck"). Only the addresses the user gave are contacted;
 * with none, nothing is polled.
 */
import type { AxeosDeviceSnapshot, AxeosPoolPatch, AxeosPoolPlan } from '@shared/contract';
import type { Ledger } from '../stats/ledger.js';
import { parseAxeosAddresses, type AxeosAddress } from './address.js';
import { AxeosClient } from './client.js';
import { AxeosDevice } from './device.js';
import { AxeosPoller } from './poller.js';
import { poolPlan, samePatch, type StratumServerAddress } from './pool-plan.js';

export interface AxeosFleetConfig {
  devices: AxeosAddress[];
  intervalMs?: number;
  timeoutMs?: number;
  maxBodyBytes?: number;
  maxBackoffMs?: number;
}

export interface AxeosFleetOptions extends AxeosFleetConfig {
  /** HashDeck's own Stratum server for network miners, when it serves one. */
  stratum: StratumServerAddress | null;
  log: (level: 'info' | 'warn', text: string) => void;
}

export class AxeosFleet {
  private readonly pollers = new Map<string, AxeosPoller>();
  private started = false;

  constructor(private readonly options: AxeosFleetOptions) {
    for (const a of options.devices) this.add(a);
  }

  get count(): number {
    return this.pollers.size;
  }

  start(): void {
    this.started = true;
    if (this.pollers.size > 0) this.options.log('info', `watching ${this.pollers.size} AxeOS device(s): ${[...this.pollers.values()].map((p) => p.device.address.label).join(', ')}`);
    for (const p of this.pollers.values()) p.start();
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.pollers.values()].map((p) => p.stop()));
  }

  /** Replaces the list: devices kept keep their state, removed ones stop, new ones start. */
  async setDevices(addresses: readonly AxeosAddress[]): Promise<void> {
    const wanted = new Map(addresses.map((a) => [a.id, a]));
    for (const [id, poller] of this.pollers) {
      if (wanted.has(id)) continue;
      this.pollers.delete(id);
      await poller.stop();
    }
    for (const a of addresses) {
      if (this.pollers.has(a.id)) continue;
      const poller = this.add(a);
      if (this.started) poller.start();
    }
  }

  /** `setAxeosDevices`: the list as the user typed it, validated (one sentence when wrong). */
  async setDeviceTexts(texts: readonly string[]): Promise<{ devices: string[] }> {
    const addresses = parseAxeosAddresses(texts);
    await this.setDevices(addresses);
    return { devices: addresses.map((a) => a.label) };
  }

  snapshots(): AxeosDeviceSnapshot[] {
    return [...this.pollers.values()].map((p) => p.device.snapshot(this.options.stratum));
  }

  async restart(deviceId: string): Promise<{ restarting: true }> {
    const poller = this.poller(deviceId);
    await poller.client.write('POST', '/api/system/restart');
    this.options.log('info', `asked AxeOS device ${poller.device.address.label} to restart`);
    return { restarting: true };
  }

  /** The change "mine to this HashDeck" would make (read-only). */
  poolPlan(deviceId: string): AxeosPoolPlan {
    const { device } = this.poller(deviceId);
    if (!device.online || !device.reading) throw new Error(`AxeOS device ${device.address.label} is not answering, so its current pool is unknown`);
    return poolPlan({ deviceId, deviceHost: device.address.host, reading: device.reading, localAddress: device.localAddress, server: this.options.stratum });
  }

  /** Writes the confirmed pool fields, then restarts the device so that it uses them. */
  async mineHere(deviceId: string, expected: AxeosPoolPatch): Promise<{ patched: true; restarting: true }> {
    const plan = this.poolPlan(deviceId);
    if (!samePatch(plan.patch, expected)) throw new Error('the device or HashDeck changed since the change was shown: review it again');
    const poller = this.poller(deviceId);
    await poller.client.write('PATCH', '/api/system', plan.patch);
    await poller.client.write('POST', '/api/system/restart');
    this.options.log('info', `AxeOS device ${poller.device.address.label} now mines to this HashDeck (${plan.patch.stratumURL}:${plan.patch.stratumPort}); it restarts to apply it`);
    poller.pollSoon();
    return { patched: true, restarting: true };
  }

  /** Ledger samples under each device's id, while it answers (History shows them). */
  recordSamples(ledger: Ledger | null, atMs: number): void {
    if (!ledger) return;
    for (const { device } of this.pollers.values()) {
      const r = device.reading;
      if (!device.online || !r) continue;
      ledger.recordSample({ atMs, boardId: device.id, hashrateHs: r.hashrateHs, powerW: r.powerW, asicTempC: r.asicTempC, vrTempC: r.vrTempC, fanRpm: r.fanRpm });
    }
  }

  private poller(deviceId: string): AxeosPoller {
    const p = this.pollers.get(deviceId);
    if (!p) throw new Error(`no AxeOS device "${deviceId}" (watched: ${[...this.pollers.keys()].join(', ') || 'none'})`);
    return p;
  }

  private add(address: AxeosAddress): AxeosPoller {
    const o = this.options;
    const client = new AxeosClient({ host: address.host, port: address.port, timeoutMs: o.timeoutMs, maxBodyBytes: o.maxBodyBytes });
    const poller = new AxeosPoller(new AxeosDevice(address), client, {
      intervalMs: o.intervalMs,
      maxBackoffMs: o.maxBackoffMs,
      onPolled: (device, previous) => {
        if (device.state === previous) return;
        if (device.online) o.log('info', `AxeOS device ${address.label} answers${device.reading?.hostname ? ` (${device.reading.hostname})` : ''}`);
        else o.log('warn', `AxeOS device ${address.label}: ${device.stateDetail ?? device.state}; retrying in ${Math.round(poller.nextDelayMs / 1000)} s`);
      },
    });
    this.pollers.set(address.id, poller);
    return poller;
  }
}
