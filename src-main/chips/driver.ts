/**
 * The interface every chip model implements (bm1366.ts, bm1368.ts, bm1370.ts, bm1397.ts).
 * Pure byte code: no I/O, no timers. The chain (boards/chain.ts) executes the plans it returns.
 * Facts: docs/bm13xx-protocol.md.
 */
import type { ChipModel } from '@shared/chip-model.js';
import type { ChipLimits } from '@shared/contract/operation.js';

/** One step of an init plan, executed in order by the chain. */
export type InitStep =
  | { kind: 'write'; frame: Buffer; label: string; delayAfterMs?: number }
  /** Send `frame` (read-all CHIP_ID) and count chip-id replies until `quietMs` passes with none. */
  | { kind: 'enumerate'; frame: Buffer; label: string; quietMs: number }
  /** Wait for TX to drain, then switch the host UART to `baud` and flush RX. */
  | { kind: 'hostBaud'; baud: number; label: string }
  | { kind: 'delay'; ms: number; label: string };

/** Fields of one job as the chip needs them (all hashes internal byte order). */
export interface ChipJobFields {
  chipJobId: number;
  version: number;
  /** Version mask in force (BIP310), used by BM1397 host midstates. */
  versionMask: number;
  prevHash: Buffer;
  merkleRoot: Buffer;
  ntime: number;
  nbits: number;
  startingNonce?: number;
}

export type ChipResponse =
  | { kind: 'register'; chipAddress: number; register: number; value: number }
  | {
      kind: 'nonce';
      /** Nonce as header bytes 76..79 read LE. */
      nonce: number;
      /** Job id decoded per model (the value that was sent in the job frame). */
      chipJobId: number;
      smallCoreId: number;
      /** Returned version bits, already shifted (<< 13); 0 for BM1397. OR into the job version. */
      versionBits: number;
      /** BM1397: index of the host midstate (0..3) that produced it; else 0. */
      midstateIndex: number;
      chipAddress: number;
      coreId: number;
      /** Byte 6 ("excess difficulty"/midstate_num): advisory only. */
      byte6: number;
    };

export interface InitOptions {
  chipCount: number;
  frequencyMhz: number;
  /** Ticket difficulty (power of two is what the chip can do; rounded down by the encoder). */
  ticketDifficulty: number;
  /** BIP310 mask, e.g. 0x1fffe000. */
  versionMask: number;
  /** Pause after each frequency-ramp write (default 100 ms, §3.2 step 13); tests against the emulator may shorten it. */
  rampStepDelayMs?: number;
  /** Where the frequency ramp starts (default the 50 MHz reset frequency). */
  rampFromMhz?: number;
}

/** A job frame read back into its fields (the emulator's view). Hashes in internal byte order. */
export type DecodedChipJob =
  | {
      format: 'full';
      chipJobId: number;
      numMidstates: number;
      startingNonce: number;
      nbits: number;
      ntime: number;
      merkleRoot: Buffer;
      prevHash: Buffer;
      version: number;
      lengthByte: number;
    }
  | {
      /** BM1397: host midstates instead of prev hash / merkle root / version. */
      format: 'midstate';
      chipJobId: number;
      numMidstates: number;
      startingNonce: number;
      nbits: number;
      ntime: number;
      /** Header bytes 64..67 (the last 4 bytes of the internal-order merkle root). */
      merkle4: Buffer;
      /** SHA-256 states H0..H7 as 32 bytes each with words BE (i.e. the wire order undone), `numMidstates` of them. */
      midstates: Buffer[];
      lengthByte: number;
    };

export interface ChipDriver {
  readonly model: ChipModel;
  /** Chip id as returned in CHIP_ID bytes 0..1 (0x1366 …). */
  readonly chipId: number;
  readonly coresPerChip: number;
  readonly smallCoresPerChip: number;
  readonly defaultFrequencyMhz: number;
  /**
   * The frequency and core-voltage range the model is run in: manual settings and tuning stay
   * inside it (ESP-Miner's per-model frequency and voltage options, device_config.h).
   */
  readonly limits: ChipLimits;
  /** Response length in normal operation (11, or 9 for BM1397). Before init every model answers in 9. */
  readonly responseLength: 9 | 11;
  /** Host baud at reset and after init. */
  readonly resetBaud: number;
  readonly fastBaud: number;
  /** Frequencies actually reachable are quantised by the PLL. */
  frequencyForPll(targetMhz: number): number;

  /** Steps up to and including enumeration (version mask before enumerate, etc.). */
  preEnumerationPlan(versionMask: number): InitStep[];
  /** Steps after the chip count is known: addresses, registers, ticket, frequency ramp from the reset frequency, HCN, baud. */
  initPlan(opts: InitOptions): InitStep[];
  /** Frames for a frequency change (a ramp from → to, one or more writes per step), e.g. for a sweep. */
  frequencyChangePlan(fromMhz: number, toMhz: number, chipCount: number): InitStep[];
  /** Frame for a new ticket mask / version mask (versionMaskFrame is empty for BM1397: no on-chip rolling). */
  ticketMaskFrame(ticketDifficulty: number): Buffer;
  versionMaskFrame(versionMask: number): Buffer;
  /** Frames read-all for hash counters (empty if the model has none). */
  counterReadFrames(): Buffer[];

  /** Job ids: the id sequence the model uses (ESP-Miner numbering). */
  nextChipJobId(previous: number | null): number;
  encodeJob(job: ChipJobFields): Buffer;
  /** Decode a response frame of `responseLength` (or 9 during reset format). Returns null on bad CRC/preamble. */
  decodeResponse(frame: Buffer): ChipResponse | null;
  /** Read a job frame (with preamble and CRC16) back into its fields. Throws ChipFrameError on a malformed frame. */
  decodeJobFrame(frame: Uint8Array): DecodedChipJob;
  /** Byte 7 of a nonce response for a job id and small core (BM1397: midstate index): the emulator's encoder. */
  responseJobByte(chipJobId: number, smallCoreOrMidstate: number): number;
  /** Full rolled version of a nonce: base | versionBits (BM1397: base advanced midstateIndex times within the mask, §5.3). */
  rolledVersion(baseVersion: number, versionMask: number, response: { versionBits: number; midstateIndex: number }): number;
  /** Chip index on the chain from a chip address, given the address interval used at init. */
  chipIndexFromAddress(chipAddress: number, chipCount: number): number;

  /** Ticket difficulty the chip actually applies (power of two ≤ requested). */
  effectiveTicketDifficulty(requested: number): number;
  /** Expected hashrate in H/s: MHz × small cores × chips (§3.8). */
  expectedHashrateHs(frequencyMhz: number, chipCount: number): number;
  /** How often a fresh job should be sent (ms) for a chain of `chipCount`. */
  jobIntervalMs(chipCount: number, frequencyMhz: number): number;
}
