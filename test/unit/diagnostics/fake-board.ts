/**
 * A fake board for diagnostics tests that really hashes (a few thousand SHA-256d per test): it
 * walks nonces from the job's starting nonce, returns those meeting the scaled ticket target, and
 * assigns each to a chip/core from its hash. Dead cores and missing chips simply never answer.
 */
import { headerHash } from '../../../src-main/bitcoin/header.js';
import { difficultyToTarget, hashMeetsTarget } from '../../../src-main/bitcoin/target.js';
import type { BoardControl, SensorReadings } from '../../../src-main/boards/control/board-control.js';
import type { BoardUnderTest, DiagnosticJobFields, DiagnosticNonce } from '../../../src-main/diagnostics/board-under-test.js';
import type { Clock } from '../../../src-main/diagnostics/clock.js';

export interface FakeBoardOptions {
  chipsExpected?: number;
  chipsFound?: number;
  coresPerChip?: number;
  /** "chip:core" pairs that never answer. */
  deadCores?: string[];
  /** Chips (0-based) that hash nothing. */
  silentChips?: number[];
  hashesPerMs?: number;
  ticketDifficulty?: number;
  scaleBits?: number;
  emulated?: boolean;
  /** Real rate as a fraction of the advertised one. */
  rateFraction?: number;
  ignoresStartingNonce?: boolean;
  /** Every n-th returned nonce is corrupted. */
  corruptEvery?: number;
  control?: FakeControl | null;
  chipIdOverride?: number;
}

export class FakeClock implements Clock {
  t = 0;
  constructor(private readonly onAdvance: (ms: number) => void) {}
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.t += ms;
    this.onAdvance(ms);
  }
}

export class FakeControl implements BoardControl {
  readonly parts = ['TPS546', 'EMC2101'];
  coreVoltageSetpointV: number | null = 1.2;
  fanPercent = 50;
  readonly voltageLog: number[] = [];
  constructor(
    private readonly clock: () => number,
    private readonly tempAt: (ms: number) => number = () => 55,
    private readonly overrides: Partial<SensorReadings> = {},
  ) {}
  async readSensors(): Promise<SensorReadings> {
    return {
      atMs: this.clock(),
      coreVoltageV: this.coreVoltageSetpointV,
      inputVoltageV: 5.02,
      currentA: 2.2,
      powerW: 11.5,
      asicTempC: this.tempAt(this.clock()),
      vrTempC: 48,
      fanRpm: this.fanPercent * 60,
      fanPercent: this.fanPercent,
      faults: [],
      ...this.overrides,
    };
  }
  async setFanPercent(p: number): Promise<void> {
    this.fanPercent = p;
  }
  async setCoreVoltageV(v: number): Promise<void> {
    this.coreVoltageSetpointV = v;
    this.voltageLog.push(v);
  }
}

export class FakeBoard implements BoardUnderTest {
  readonly name = 'fake';
  readonly model = 'bm1366' as const;
  readonly emulated: boolean;
  readonly scaleBits: number;
  readonly chipsExpected: number;
  readonly expectedChipId = 0x1366;
  readonly coresPerChip: number;
  readonly ticketDifficulty: number;
  frequencyMhz = 485;
  readonly jobIntervalMs = 500;
  readonly clock: FakeClock;
  readonly control: BoardControl | null;
  readonly frequencyLog: number[] = [];
  private readonly listeners = new Set<(n: DiagnosticNonce) => void>();
  private job: { handle: number; fields: DiagnosticJobFields; next: number } | null = null;
  private handleCounter = 0;
  private carry = 0;
  private returned = 0;
  private readonly target: bigint;
  private readonly dead: Set<string>;
  hashesDone = 0;

  constructor(private readonly o: FakeBoardOptions = {}) {
    this.emulated = o.emulated ?? true;
    this.scaleBits = o.scaleBits ?? 32;
    this.ticketDifficulty = o.ticketDifficulty ?? 16;
    this.chipsExpected = o.chipsExpected ?? 1;
    this.coresPerChip = o.coresPerChip ?? 112;
    this.dead = new Set(o.deadCores ?? []);
    this.target = difficultyToTarget(this.ticketDifficulty * 2 ** -this.scaleBits);
    this.clock = new FakeClock((ms) => this.advance(ms));
    this.control = o.control === undefined ? null : o.control;
  }

  get chipsFound(): number {
    return this.o.chipsFound ?? this.chipsExpected;
  }

  /** Advertised rate: hashesPerMs at 485 MHz for the whole expected chain. */
  expectedHashrateHs(frequencyMhz: number): number {
    return (this.o.hashesPerMs ?? 8) * 1000 * (frequencyMhz / 485);
  }

  async enumerate(): Promise<{ found: number }> {
    return { found: this.chipsFound };
  }

  async readRegister(chipIndex: number, register: number): Promise<number | null> {
    if (chipIndex >= this.chipsFound) return null;
    if (register === 0) return (((this.o.chipIdOverride ?? 0x1366) << 16) | 0x0000) >>> 0;
    return 0;
  }

  async sendJob(fields: DiagnosticJobFields, startingNonce: number): Promise<number> {
    this.handleCounter = (this.handleCounter + 8) % 128;
    const start = this.o.ignoresStartingNonce ? 0x10000000 : startingNonce;
    this.job = { handle: this.handleCounter, fields, next: start >>> 0 };
    return this.handleCounter;
  }

  onNonce(listener: (n: DiagnosticNonce) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async setFrequency(mhz: number): Promise<void> {
    this.frequencyMhz = mhz;
    this.frequencyLog.push(mhz);
  }

  async stopHashing(): Promise<void> {
    this.job = null;
  }

  private advance(ms: number): void {
    if (!this.job) return;
    const rate = (this.expectedHashrateHs(this.frequencyMhz) / 1000) * (this.o.rateFraction ?? 1) * (this.chipsFound / this.chipsExpected);
    this.carry += ms * rate;
    const count = Math.floor(this.carry);
    this.carry -= count;
    const job = this.job;
    for (let i = 0; i < count; i++) {
      const nonce = job.next;
      job.next = (job.next + 1) >>> 0;
      this.hashesDone++;
      const hash = headerHash({ ...job.fields, nonce });
      if (!hashMeetsTarget(hash, this.target)) continue;
      const chip = hash[1]! % this.chipsFound;
      const core = hash[0]! % this.coresPerChip;
      if (this.dead.has(`${chip}:${core}`) || this.o.silentChips?.includes(chip)) continue;
      this.returned++;
      const corrupt = this.o.corruptEvery !== undefined && this.returned % this.o.corruptEvery === 0;
      const n: DiagnosticNonce = { jobHandle: job.handle, chipIndex: chip, coreId: core, nonce: corrupt ? (nonce ^ 0x5a5a5a5a) >>> 0 : nonce, version: job.fields.version };
      for (const l of this.listeners) l(n);
    }
  }
}

/** Deterministic work so nonce counts (and so every assertion) repeat exactly. */
export function deterministicJobs(): (nowMs: number) => DiagnosticJobFields {
  let n = 0;
  return (nowMs) => {
    n += 1;
    const root = Buffer.alloc(32);
    root.writeUInt32LE(n, 0);
    return { version: 0x20000000, prevHash: Buffer.alloc(32, 0x11), merkleRoot: root, ntime: Math.floor(nowMs / 1000), nbits: 0x1d00ffff };
  };
}

/** Fast test settings (virtual time). */
export function fast() {
  return { makeJob: deterministicJobs(), minHashRunMs: 100, maxHashRunMs: 6000, tickMs: 50, sensorPollMs: 100, fanSpinUpMs: 10, knownAnswerTimeoutMs: 2000 };
}
