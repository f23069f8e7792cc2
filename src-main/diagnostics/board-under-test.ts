/**
 * What diagnostics needs from a board. The lead implements this over the real chain (and the
 * emulator); tests use a fake. Kept small on purpose: diagnostics makes its own work, checks every
 * nonce itself and reads sensors through `control`.
 */
import type { BoardControl } from '../boards/control/board-control.js';
import type { ChipModel } from '@shared/chip-model.js';

/** Header fields of one job (hashes in internal byte order, as in the 80-byte header). */
export interface DiagnosticJobFields {
  version: number;
  prevHash: Buffer;
  merkleRoot: Buffer;
  ntime: number;
  nbits: number;
}

/** A nonce as the chain decoded it, tied to the job handle `sendJob` returned. */
export interface DiagnosticNonce {
  jobHandle: number;
  chipIndex: number;
  coreId: number;
  /** Header bytes 76..79 read LE. */
  nonce: number;
  /** Full rolled version (job version OR the returned bits). */
  version: number;
}

export interface BoardUnderTest {
  readonly name: string;
  readonly model: ChipModel;
  /** An emulator, not silicon: hashrate is not judged against the chip's rating. */
  readonly emulated: boolean;
  /** Nonces come back at ticket difficulty × 2^-scaleBits (0 on real hardware). */
  readonly scaleBits: number;
  readonly chipsExpected: number;
  /** CHIP_ID bytes 0..1 the model answers with (0x1366 …). */
  readonly expectedChipId: number;
  readonly coresPerChip: number;
  /** Ticket difficulty the chips apply (the value behind the mask actually written). */
  readonly ticketDifficulty: number;
  readonly frequencyMhz: number;
  /** How often fresh work must be sent so the chips never run dry. */
  readonly jobIntervalMs: number;
  expectedHashrateHs(frequencyMhz: number): number;
  /** Enumerate the chain: how many chips answered (they answer in chain order). */
  enumerate(): Promise<{ found: number }>;
  /** Read a 32-bit register of one chip; null when it did not answer. */
  readRegister(chipIndex: number, register: number): Promise<number | null>;
  /** Send a job to every chip; returns a handle that nonces for it will carry. */
  sendJob(fields: DiagnosticJobFields, startingNonce: number): Promise<number>;
  onNonce(listener: (nonce: DiagnosticNonce) => void): () => void;
  setFrequency(frequencyMhz: number): Promise<void>;
  /** Stop giving work and drop outstanding jobs (the chain stays initialised). */
  stopHashing(): Promise<void>;
  /** Sensors, fan and core voltage, or null when the board has no control port. */
  readonly control: BoardControl | null;
}
