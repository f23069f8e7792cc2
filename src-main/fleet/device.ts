/**
 * One watched AxeOS device: its address, what the last polls said, and its state. Figures are
 * shown only while the device answers (an unreachable device contributes nothing to totals);
 * what identifies it (host name, model, firmware, pool) stays from its last answer.
 */
import type { AxeosDeviceSnapshot, AxeosDeviceState } from '@shared/contract';
import { efficiencyJPerTh } from '@shared/format.js';
import { plainText } from '@shared/plain-text.js';
import type { AxeosAddress } from './address.js';
import { AxeosRequestError } from './client.js';
import { isMiningHere, type StratumServerAddress } from './pool-plan.js';
import type { AxeosAsicFacts, AxeosReading } from './system-info.js';

export class AxeosDevice {
  state: AxeosDeviceState = 'connecting';
  stateDetail: string | null = null;
  lastSeenAtMs: number | null = null;
  failures = 0;
  reading: AxeosReading | null = null;
  asic: AxeosAsicFacts | null = null;
  asicAtMs: number | null = null;
  /** This machine's address on the last answered connection (how the device reaches HashDeck). */
  localAddress: string | null = null;

  constructor(readonly address: AxeosAddress) {}

  get id(): string {
    return this.address.id;
  }

  get online(): boolean {
    return this.state === 'online';
  }

  recordReading(reading: AxeosReading, localAddress: string | null, atMs: number): void {
    this.reading = reading;
    this.localAddress = localAddress;
    this.lastSeenAtMs = atMs;
    this.failures = 0;
    this.state = 'online';
    this.stateDetail = null;
  }

  recordAsic(facts: AxeosAsicFacts, atMs: number): void {
    this.asic = facts;
    this.asicAtMs = atMs;
  }

  /** A failed poll: no answer → unreachable; an answer HashDeck cannot use → error. */
  recordFailure(err: unknown): void {
    this.failures++;
    const silent = err instanceof AxeosRequestError && (err.kind === 'unreachable' || err.kind === 'timeout');
    this.state = silent ? 'unreachable' : 'error';
    this.stateDetail = plainText(err instanceof Error ? err.message : String(err));
  }

  snapshot(server: StratumServerAddress | null): AxeosDeviceSnapshot {
    const r = this.reading;
    const live = this.online && r !== null;
    const figure = (v: number | null | undefined): number | null => (live && v !== undefined ? v : null);
    const pool = r ? (r.usingFallback && r.fallbackPool ? r.fallbackPool : r.primaryPool) : null;
    return {
      id: this.id,
      address: this.address.label,
      state: this.state,
      stateDetail: this.stateDetail,
      lastSeenAtMs: this.lastSeenAtMs,
      failures: this.failures,
      hostname: r?.hostname ?? null,
      asicModel: r?.asicModel ?? this.asic?.asicModel ?? null,
      deviceModel: this.asic?.deviceModel ?? r?.deviceModel ?? null,
      boardVersion: r?.boardVersion ?? null,
      asicCount: this.asic?.asicCount ?? null,
      firmwareVersion: r?.firmwareVersion ?? null,
      webVersion: r?.webVersion ?? null,
      hashrateHs: figure(r?.hashrateHs),
      hashrate1mHs: figure(r?.hashrate1mHs),
      hashrate10mHs: figure(r?.hashrate10mHs),
      hashrate1hHs: figure(r?.hashrate1hHs),
      expectedHashrateHs: figure(r?.expectedHashrateHs),
      powerW: figure(r?.powerW),
      inputVoltageV: figure(r?.inputVoltageV),
      currentA: figure(r?.currentA),
      coreVoltageV: figure(r?.coreVoltageV),
      frequencyMhz: figure(r?.frequencyMhz),
      asicTempC: figure(r?.asicTempC),
      vrTempC: figure(r?.vrTempC),
      fanPercent: figure(r?.fanPercent),
      fanRpm: figure(r?.fanRpm),
      efficiencyJPerTh: live ? efficiencyJPerTh(r.powerW, r.hashrateHs) : null,
      bestDifficulty: figure(r?.bestDifficulty),
      bestDifficultyAllTime: figure(r?.bestDifficultyAllTime),
      sharesAccepted: figure(r?.sharesAccepted),
      sharesRejected: figure(r?.sharesRejected),
      blocksFound: figure(r?.blocksFound),
      uptimeS: figure(r?.uptimeS),
      pool: pool ? { url: pool.url, port: pool.port, user: pool.user, usingFallback: r?.usingFallback === true } : null,
      miningHere: isMiningHere(pool, server, this.localAddress),
    };
  }
}
