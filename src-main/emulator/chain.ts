/**
 * A virtual chain of BM13xx chips speaking the chip side of the serial protocol byte for byte
 * (docs/bm13xx-protocol.md; docs/design.md §2): host bytes in through `write`, chip bytes
 * out through the 'data' event. Frames with a bad CRC are ignored silently, as chips do.
 *
 * Hashing is real: each chip sweeps its share of the nonce space (§2.5) with the scanner and
 * answers with genuine nonces whose SHA-256d meets the ticket target scaled by 2^K.
 */
import { EventEmitter } from 'node:events';
import { randomBytes, randomInt } from 'node:crypto';
import { encodeHeader } from '../bitcoin/header.js';
import { difficultyOfHash } from '../bitcoin/target.js';
import type { ChipDriver, DecodedChipJob } from '../chips/driver.js';
import { chipDriver } from '../chips/index.js';
import {
  buildNonceResponse,
  buildRegisterResponse,
  CMD_CHAIN_INACTIVE,
  CMD_READ_REGISTER,
  CMD_SET_ADDRESS,
  CMD_WRITE_REGISTER,
  HostFrameParser,
  wrapJob,
  type HostFrame,
} from '../chips/bm13xx/frames.js';
import { ticketTarget, ticketWeight } from '../chips/bm13xx/ticket.js';
import { CHIP_PROFILES, type ChipProfile } from './chip-profile.js';
import { VirtualChip } from './chip.js';
import type { HashEngine } from './hash-engine.js';
import { InlineHashEngine } from './inline-hash-engine.js';
import { resolveEmulatorOptions, type EmulatorOptions, type ResolvedEmulatorOptions } from './options.js';
import type { SweepHit, SweepProgress } from './sweep.js';
import { WorkerHashEngine } from './worker-hash-engine.js';

export interface EmulatorStatus {
  model: string;
  chips: number;
  scaleBits: number;
  framesReceived: number;
  framesBad: number;
  bytesDiscarded: number;
  jobsReceived: number;
  noncesSent: number;
  /** Highest difficulty (diff1 / hash) of any nonce returned; a JSON number. */
  bestDifficulty: number;
  hashes: number;
  chipBaud: number;
  unplugged: boolean;
}

interface SerialRecord {
  chipIndex: number;
  chipJobId: number;
  baseVersion: number;
}

/** How many recent sweep serials per chip still turn hits into responses (a chip answers for the job it hashed). */
const SERIALS_KEPT_PER_CHIP = 4;

/**
 * A chip that hashed this many times the expected hashes per nonce without one has a broken
 * scanner, not bad luck (the chance of such a drought is e^-50).
 */
const DROUGHT_FACTOR = 50;

export interface VirtualChainEvents {
  data: [Buffer];
  unplug: [];
  error: [Error];
}

export class VirtualChain extends EventEmitter<VirtualChainEvents> {
  readonly options: ResolvedEmulatorOptions;
  readonly profile: ChipProfile;
  readonly driver: ChipDriver;
  readonly chips: VirtualChip[];
  /** Every register write, address, enumeration and power event, in order (see formatLog). */
  readonly log: string[] = [];
  logDropped = 0;
  private readonly parser = new HostFrameParser();
  private readonly engine: HashEngine;
  private readonly serials = new Map<number, SerialRecord>();
  private readonly chipSerials = new Map<number, number[]>();
  private nextSerial = 1;
  private jobsReceived = 0;
  private noncesSent = 0;
  private bestDifficulty = 0;
  private closed = false;
  private unpluggedFlag = false;
  /** Hashes each chip did since its last nonce (the drought check). */
  private readonly hashesSinceHit = new Map<number, number>();
  /** Chips whose target changed (ticket write, power cycle) since the last result came in. */
  private readonly targetChangedSinceRun = new Set<number>();
  private faultError: Error | null = null;
  /** Share of nonces sent back wrong (a chip run too fast for its voltage: silicon-model.ts). */
  private hwErrorShare = 0;
  /** Nonces sent wrong on purpose, for tests. */
  corruptedNonces = 0;

  constructor(opts: EmulatorOptions & { driver?: ChipDriver } = {}) {
    super();
    this.options = resolveEmulatorOptions(opts);
    this.profile = CHIP_PROFILES[this.options.model];
    this.driver = opts.driver ?? chipDriver(this.options.model);
    this.chips = Array.from({ length: this.options.chips }, (_, i) => new VirtualChip(i, this.profile));
    const listener = {
      onResult: (hits: SweepHit[], progress: SweepProgress[]) => {
        // A run that was in flight when a chip's target changed hashed at the old target: its
        // hashes say nothing about the new one, so they do not count towards that chip's drought.
        const judged = progress.filter((p) => !this.targetChangedSinceRun.has(p.chipIndex));
        this.targetChangedSinceRun.clear();
        this.onProgress(progress, judged);
        this.onHits(hits);
        this.checkDrought(judged, hits);
      },
      onError: (err: Error) => this.fail(err),
    };
    this.engine =
      this.options.hashing === 'inline' ? new InlineHashEngine(listener, this.options.scanner) : new WorkerHashEngine(listener, { hashRateHs: this.options.hashRateHs, scanner: this.options.scanner });
  }

  /** Resolves when the chips can hash; rejects, saying why, when they never will. */
  get hashingReady(): Promise<void> {
    return this.engine.ready;
  }

  /** Why this chain stopped hashing (null while it works). Also emitted once as 'error'. */
  get fault(): Error | null {
    return this.faultError;
  }

  private fail(err: Error): void {
    if (this.faultError || this.closed) return;
    this.faultError = err;
    this.addLog(`hashing stopped: ${err.message}`);
    // An 'error' event with no listener would throw; attachments (the emulator port) listen and fail loudly.
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }

  /** Chips that exist on the wire (not listed in missingChips). */
  get presentChips(): VirtualChip[] {
    return this.chips.filter((c) => !this.options.missingChips.has(c.index));
  }

  /** The baud the chips talk at now (chip 0's registers; all chips normally agree). */
  get chipBaud(): number {
    return (this.presentChips[0] ?? this.chips[0]!).baud;
  }

  get unplugged(): boolean {
    return this.unpluggedFlag;
  }

  /** Hashes per count of the 0x8C/0x88.. counters: 2^32 scaled like the ticket (2^(32−K)). */
  get counterUnitHashes(): number {
    return 2 ** (32 - this.options.scaleBits);
  }

  /** Host → chips bytes. */
  write(bytes: Uint8Array): void {
    if (this.closed || this.unpluggedFlag) return;
    const badBefore = this.parser.framesBad;
    for (const frame of this.parser.push(bytes)) this.handleFrame(frame);
    if (this.parser.framesBad !== badBefore) this.addLog(`ignored ${this.parser.framesBad - badBefore} bad frame(s)`);
  }

  /** Inline hashing only: hash `hashes` nonces now (spread over the chips with work). */
  runHashes(hashes: number): void {
    if (!(this.engine instanceof InlineHashEngine)) throw new Error('runHashes needs hashing: "inline"');
    this.engine.run(hashes);
  }

  /** Send this share (0..1) of nonces back with a wrong nonce: the host must judge them hardware errors. */
  setHwErrorFraction(fraction: number): void {
    if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`hardware-error fraction must be 0..1, got ${fraction}`);
    this.hwErrorShare = fraction;
  }

  get hwErrorFraction(): number {
    return this.hwErrorShare;
  }

  setHashRate(hashRateHs: number): void {
    if (!(hashRateHs > 0)) throw new RangeError(`hash rate must be positive, got ${hashRateHs}`);
    this.engine.setRate(hashRateHs);
  }

  /** All chips back to reset: 9-byte replies, reset baud and address, no jobs, counters zero. */
  powerCycle(): void {
    this.engine.clear();
    this.hashesSinceHit.clear();
    for (const chip of this.chips) this.targetChangedSinceRun.add(chip.index);
    this.serials.clear();
    this.chipSerials.clear();
    for (const chip of this.chips) chip.reset();
    this.addLog('power cycle');
  }

  /** The board vanishes: attachments close their port; the chain stops hashing. */
  unplug(): void {
    if (this.unpluggedFlag) return;
    this.unpluggedFlag = true;
    this.engine.clear();
    this.addLog('unplug');
    this.emit('unplug');
  }

  status(): EmulatorStatus {
    return {
      model: this.options.model,
      chips: this.options.chips,
      scaleBits: this.options.scaleBits,
      framesReceived: this.parser.framesOk,
      framesBad: this.parser.framesBad,
      bytesDiscarded: this.parser.bytesDiscarded,
      jobsReceived: this.jobsReceived,
      noncesSent: this.noncesSent,
      bestDifficulty: this.bestDifficulty,
      hashes: this.chips.reduce((s, c) => s + c.hashes, 0),
      chipBaud: this.chipBaud,
      unplugged: this.unpluggedFlag,
    };
  }

  formatLog(): string {
    const tail = this.logDropped > 0 ? `\n… ${this.logDropped} more line(s) not kept` : '';
    return this.log.join('\n') + tail;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.engine.close();
    this.removeAllListeners('data');
  }

  // ---- frames -------------------------------------------------------------------------------

  private handleFrame(frame: HostFrame): void {
    if (frame.type === 'job') return this.handleJob(frame.payload);
    if (frame.type !== 'command') return;
    const target = frame.broadcast ? 'all' : `chip ${hex2(frame.chipAddress)}`;
    switch (frame.cmd) {
      case CMD_WRITE_REGISTER: {
        this.addLog(`write ${target} ${reg(frame.register)}=${hex8(frame.value ?? 0)}`);
        for (const chip of this.addressedBy(frame)) this.writeRegister(chip, frame.register, frame.value ?? 0);
        break;
      }
      case CMD_READ_REGISTER: {
        this.addLog(`read ${target} ${reg(frame.register)}`);
        for (const chip of this.addressedBy(frame)) {
          const value = chip.readRegister(frame.register, this.counterUnitHashes);
          this.send(buildRegisterResponse({ value, chipAddress: chip.address, register: frame.register, length: chip.responseLength }));
        }
        break;
      }
      case CMD_CHAIN_INACTIVE:
        this.addLog('chain inactive');
        for (const chip of this.presentChips) chip.addressed = false;
        break;
      case CMD_SET_ADDRESS: {
        // The first chip without an address takes it; the others pass it on (§3.2 step 6).
        const chip = this.presentChips.find((c) => !c.addressed);
        if (chip) {
          chip.address = frame.chipAddress;
          chip.addressed = true;
        }
        this.addLog(`set address ${hex2(frame.chipAddress)}${chip ? ` -> chip ${chip.index}` : ' (no unaddressed chip)'}`);
        break;
      }
      default:
        this.addLog(`unknown command 0x${frame.cmd.toString(16)}`);
    }
  }

  private addressedBy(frame: Extract<HostFrame, { type: 'command' }>): VirtualChip[] {
    const present = this.presentChips;
    return frame.broadcast ? present : present.filter((c) => c.address === frame.chipAddress);
  }

  private writeRegister(chip: VirtualChip, register: number, value: number): void {
    const effect = chip.writeRegister(register, value);
    if (effect.ticket) {
      this.engine.setTarget(chip.index, this.targetFor(chip));
      this.hashesSinceHit.delete(chip.index);
      this.targetChangedSinceRun.add(chip.index);
    }
  }

  private targetFor(chip: VirtualChip): bigint {
    return ticketTarget(chip.ticketDifficulty, this.options.scaleBits);
  }

  private handleJob(payload: Buffer): void {
    this.jobsReceived++;
    const job = this.decodeJob(payload);
    if (!job) return;
    const full = job.format === 'full';
    if (!full && job.midstates.length === 0) {
      this.addLog('job ignored: no midstates');
      return;
    }
    const header80 = full ? encodeHeader({ version: job.version, prevHash: job.prevHash, merkleRoot: job.merkleRoot, ntime: job.ntime, nbits: job.nbits, nonce: 0 }) : Buffer.alloc(80);
    // BM1397: header bytes 64..75 = merkle root tail · ntime LE · nbits LE (§5.3).
    const tail12 = full ? undefined : Buffer.concat([job.merkle4, u32le(job.ntime), u32le(job.nbits)]);
    for (const chip of this.presentChips) {
      const serial = this.nextSerial++;
      chip.jobs.set(job.chipJobId, { job, serial });
      this.rememberSerial(chip.index, serial, { chipIndex: chip.index, chipJobId: job.chipJobId, baseVersion: full ? job.version : 0 });
      this.engine.setWork({
        chipIndex: chip.index,
        serial,
        header80,
        baseVersion: full ? job.version : 0,
        versionFieldMask: full ? chip.versionFieldMask : 0,
        midstates: full ? undefined : job.midstates.slice(0, Math.max(1, Math.min(job.numMidstates, job.midstates.length))),
        tail12,
        chipAddress: chip.address,
        cores: this.profile.cores,
        smallCoresPerCore: this.profile.smallCoresPerCore,
        deadCores: [...this.options.deadCores],
        target: this.targetFor(chip),
        // Start where the job's starting nonce points in the chip's 17-bit counter (§2.1, §2.5).
        startCounter: bswap32(job.startingNonce) & 0x1ffff,
      });
    }
  }

  private decodeJob(payload: Buffer): DecodedChipJob | undefined {
    try {
      // The parser already checked the CRC16; the driver's decoder wants the whole frame.
      return this.driver.decodeJobFrame(wrapJob(payload));
    } catch (err) {
      this.addLog(`job ignored: ${(err as Error).message}`);
      return undefined;
    }
  }

  private rememberSerial(chipIndex: number, serial: number, record: SerialRecord): void {
    this.serials.set(serial, record);
    const list = this.chipSerials.get(chipIndex) ?? [];
    list.push(serial);
    while (list.length > SERIALS_KEPT_PER_CHIP) this.serials.delete(list.shift()!);
    this.chipSerials.set(chipIndex, list);
  }

  // ---- hashing results ----------------------------------------------------------------------

  private onProgress(progress: SweepProgress[], judged: SweepProgress[]): void {
    for (const p of progress) {
      const chip = this.chips[p.chipIndex];
      if (!chip) continue;
      chip.hashes += p.hashes;
      p.domainHashes.forEach((h, i) => (chip.domainHashes[i] = (chip.domainHashes[i] ?? 0) + h));
    }
    for (const p of judged) this.hashesSinceHit.set(p.chipIndex, (this.hashesSinceHit.get(p.chipIndex) ?? 0) + p.hashes);
  }

  /**
   * After a run's hits reset their chips' counts: a chip that hashed far more than the expected
   * hashes per nonce without one has a broken scanner. A run can be long (a worker starved of CPU
   * catches up in one go), so only chips without a hit in the run are judged.
   */
  private checkDrought(progress: SweepProgress[], hits: SweepHit[]): void {
    const hitChips = new Set(hits.map((h) => h.chipIndex));
    for (const p of progress) {
      const chip = this.chips[p.chipIndex];
      if (!chip || hitChips.has(chip.index)) continue;
      const since = this.hashesSinceHit.get(chip.index) ?? 0;
      const expected = this.expectedHashesPerNonce(chip);
      if (since > DROUGHT_FACTOR * expected) {
        this.fail(
          new Error(`chip ${chip.index} hashed ${since.toExponential(2)} times without a nonce where one is expected every ${expected.toExponential(2)} hashes: the emulator's scanner finds nothing`),
        );
      }
    }
  }

  /** Hashes per returned nonce at the chip's (scaled) ticket target, over its working cores. */
  private expectedHashesPerNonce(chip: VirtualChip): number {
    const cores = this.profile.cores;
    const dead = [...this.options.deadCores].filter((c) => c < cores).length;
    if (dead >= cores) return Infinity;
    return (2 ** 256 / Number(this.targetFor(chip))) * (cores / (cores - dead));
  }

  private onHits(hits: SweepHit[]): void {
    if (this.closed || this.unpluggedFlag) return;
    for (const hit of hits) {
      this.hashesSinceHit.set(hit.chipIndex, 0);
      const record = this.serials.get(hit.serial);
      const chip = this.chips[hit.chipIndex];
      if (!record || !chip) continue; // work from before a power cycle
      const hash = Buffer.from(hit.hash);
      const difficulty = difficultyOfHash(hash);
      // Byte 6: whole bits by which the hash beat the (scaled) ticket; advisory only (§4).
      const excess = Math.log2(difficulty / ticketWeight(chip.ticketDifficulty, this.options.scaleBits));
      const byte6 = Math.max(0, Math.min(255, Math.floor(excess)));
      const long = chip.responseLength === 11;
      if (!long && hit.versionField !== 0) continue; // cannot be reported without the version field
      // An unstable chip: the nonce comes back with a bit flipped, so its hash misses the target.
      const corrupt = this.hwErrorShare > 0 && Math.random() < this.hwErrorShare;
      if (corrupt) this.corruptedNonces++;
      const frame = buildNonceResponse({
        nonce: corrupt ? (hit.nonce ^ 0x00010000) >>> 0 : hit.nonce,
        byte6,
        jobByte: this.driver.responseJobByte(record.chipJobId, hit.smallCoreId),
        versionField: long ? hit.versionField : undefined,
        length: chip.responseLength,
      });
      this.noncesSent++;
      if (difficulty > this.bestDifficulty) this.bestDifficulty = difficulty;
      this.send(frame);
    }
  }

  // ---- output -------------------------------------------------------------------------------

  private send(frame: Buffer): void {
    if (this.closed || this.unpluggedFlag) return;
    const noise = this.options.noiseRate;
    if (noise > 0 && Math.random() < noise) this.emit('data', randomBytes(randomInt(1, 9)));
    this.emit('data', frame);
  }

  private addLog(line: string): void {
    if (this.log.length < this.options.logLimit) this.log.push(line);
    else this.logDropped++;
  }
}

function hex2(n: number): string {
  return '0x' + n.toString(16).padStart(2, '0');
}

function reg(n: number): string {
  return '0x' + n.toString(16).toUpperCase().padStart(2, '0');
}

function hex8(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

function u32le(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0, 0);
  return b;
}

function bswap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}
