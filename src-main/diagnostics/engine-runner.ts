/**
 * One board test from a device description to a report: open the control side (if any) and power
 * the chips up, open the data port, run the diagnostics over a ChainBoard, and leave the board safe
 * whatever happens (chips silenced, then reset held and core voltage off where the board allows it).
 * Used by `hashdeck diagnose` and by the engine's runDiagnostics command; the board must not be
 * mining at the same time (the data port is opened exclusively).
 */
import { type BitaxeControl } from '../boards/control/bitaxe-control.js';
import type { LeaveSafeResult } from '../boards/control/board-power.js';
import { openBitaxeControl, serialControlLink, type ControlLink } from '../boards/control/control-link.js';
import type { BindingInterface } from '../boards/transport.js';
import { DEFAULT_CORE_VOLTAGE_V } from '../boards/board.js';
import type { ChipModel } from '@shared/chip-model.js';
import { ChainBoard } from './chain-board.js';
import type { Clock } from './clock.js';
import { chooseDiagnosticTicket, perCoreMissProbability } from './diagnostic-ticket.js';
import type { DiagnosticsOptions } from './options.js';
import type { DiagnosticsProgress, DiagnosticsReport } from '@shared/diagnostics-report.js';
import { runDiagnostics } from './run-diagnostics.js';

export interface DiagnosticsTarget {
  name?: string;
  path: string;
  model: ChipModel;
  /** In-process serialport binding (the built-in emulator). */
  binding?: BindingInterface;
  /** Emulator scale K (0 on hardware). */
  scaleBits: number;
  emulated: boolean;
  /** Null: learn it from a first enumeration (then a short chain cannot be detected). */
  expectedChips?: number | null;
  /** bitaxe-raw control port beside the data port. */
  controlPath?: string | null;
  /** A control side reached some other way (the built-in emulator's); wins over controlPath. */
  controlLink?: ControlLink | null;
  frequencyMhz?: number | null;
  /** Requested chip ticket; default chooseDiagnosticTicket(). */
  ticketDifficulty?: number | null;
  /** Core voltage to power up at; default the model's usual setting. */
  coreVoltageV?: number | null;
}

export interface BoardDiagnosticsOptions extends Partial<Omit<DiagnosticsOptions, 'onProgress'>> {
  /** Abort the run: the current step fails fast, the board is still left safe, `cancelled` is set. */
  signal?: AbortSignal;
  log?: (level: 'info' | 'warn', text: string) => void;
}

export interface BoardDiagnosticsResult {
  report: DiagnosticsReport;
  cancelled: boolean;
  /** What leaving the board safe achieved; null without a control side. */
  leftSafe: LeaveSafeResult | null;
  /** Plain sentences about how the run was set up (chip count assumed, ticket chosen, …). */
  notes: string[];
}

/**
 * An emulated board has no silicon to warm up and its hashrate is not judged, so once enough nonces
 * are in (the per-core map's own test), 3 s of hashing is as telling as the 10 s used on hardware.
 */
export const EMULATED_MIN_HASH_RUN_MS = 3000;

/**
 * Power limit for a board of `chips`: ESP-Miner's single-chip limit (12 W target + 3 W margin,
 * docs/features.md §(d)1 step 12) per chip. Boards with their own target pass powerLimitW.
 */
export function defaultPowerLimitW(chips: number): number {
  return 15 * Math.max(1, chips);
}

export async function runBoardDiagnostics(
  target: DiagnosticsTarget,
  options: BoardDiagnosticsOptions = {},
  onProgress: (event: DiagnosticsProgress) => void = () => undefined,
): Promise<BoardDiagnosticsResult> {
  const { signal, log: logOption, ...diagnosticsOptions } = options;
  const log = (level: 'info' | 'warn', text: string): void => logOption?.(level, text);
  const notes: string[] = [];
  const note = (text: string): void => {
    notes.push(text);
    log('info', text);
  };
  if (signal?.aborted) throw new Error('diagnostics cancelled before they started');

  const link = target.controlLink ?? (target.controlPath ? serialControlLink(target.controlPath) : null);
  let control: BitaxeControl | null = null;
  let board: ChainBoard | null = null;
  let leftSafe: LeaveSafeResult | null = null;
  try {
    if (link) control = await openControl(link);
    const requestedTicket = target.ticketDifficulty ?? undefined;
    board = new ChainBoard({
      name: target.name ?? target.path,
      path: target.path,
      model: target.model,
      binding: target.binding,
      emulated: target.emulated,
      scaleBits: target.scaleBits,
      chipsExpected: target.expectedChips ?? 1,
      frequencyMhz: target.frequencyMhz ?? undefined,
      ticketDifficulty: requestedTicket,
      control,
      log: (level, text) => {
        if (level !== 'debug') log(level === 'warn' ? 'warn' : 'info', text);
      },
    });
    await board.open();
    if (control) {
      const volts = target.coreVoltageV ?? DEFAULT_CORE_VOLTAGE_V[target.model];
      await control.powerUp(volts);
      note(`Board powered up through ${link!.label}${control.coreVoltageSetpointV === null ? '' : ` at ${volts.toFixed(3)} V`}.`);
    }
    if (target.expectedChips === null || target.expectedChips === undefined) {
      const { found } = await board.enumerate();
      board.chipsExpected = Math.max(1, found);
      note(`No chip count was given: the test expects the ${found} chip(s) that answered${found === 0 ? ' (at least one)' : ''}.`);
      if (requestedTicket === undefined && found > 1) {
        await board.setTicketDifficulty(
          chooseDiagnosticTicket({ driver: board.driver, chips: found, coresPerChip: board.coresPerChip, frequencyMhz: board.frequencyMhz, scaleBits: target.scaleBits, emulated: target.emulated })
            .ticketDifficulty,
        );
      }
    }
    const plan = chooseDiagnosticTicket({
      driver: board.driver,
      chips: board.chipsExpected,
      coresPerChip: board.coresPerChip,
      frequencyMhz: board.frequencyMhz,
      scaleBits: target.scaleBits,
      emulated: false,
    });
    note(
      target.emulated
        ? `Chip ticket difficulty ${board.ticketDifficulty} (emulated: nonces at ${board.ticketDifficulty} × 2^-${target.scaleBits}).`
        : `Chip ticket difficulty ${board.ticketDifficulty}: the per-core map needs ${plan.requiredNonces} valid nonces, about ${Math.ceil(plan.requiredNonces / (board.expectedHashrateHs(board.frequencyMhz) / (board.ticketDifficulty * 2 ** 32)))} s at the expected hashrate.`,
    );

    const report = await runDiagnostics(board, {
      ...(target.emulated ? { minHashRunMs: EMULATED_MIN_HASH_RUN_MS } : {}),
      powerLimitW: defaultPowerLimitW(board.chipsExpected),
      pMissPerCore: perCoreMissProbability(board.chipsExpected, board.coresPerChip),
      // The step subtracts its lead from the nonce read LE, which moves the chip-address bits of the
      // BE view (docs/bm13xx-protocol.md §2.5) instead of stepping back along a chip's counter; with no lead the directed
      // job carries the answer's own chip address and core, and ChainBoard aims the chain at it.
      knownAnswerLeadNonces: 0,
      ...diagnosticsOptions,
      clock: abortable(diagnosticsOptions.clock, signal),
      onProgress,
    });
    return { report, cancelled: signal?.aborted === true, leftSafe: await leaveSafe(), notes };
  } finally {
    await leaveSafe();
  }

  async function leaveSafe(): Promise<LeaveSafeResult | null> {
    // Idempotent: the normal path calls it before returning, `finally` again on errors.
    if (board) {
      const b = board;
      board = null;
      await b.close().catch((err: Error) => log('warn', `closing the data port failed: ${err.message}`));
    }
    if (control) {
      const c = control;
      control = null;
      leftSafe = await c.leaveSafe().catch((err: Error) => ({ resetHeld: false, coreVoltageOff: false, problems: [`Leaving the board safe failed: ${err.message}.`] }));
      for (const p of leftSafe.problems) log('warn', p);
      c.close();
      await link?.close().catch(() => undefined);
    }
    return leftSafe;
  }
}

function openControl(link: ControlLink): Promise<BitaxeControl> {
  return openBitaxeControl(link, { timeoutMs: 1000 });
}

/** A clock whose sleep fails once `signal` aborts, so every step stops at its next wait. */
function abortable(base: Clock | undefined, signal: AbortSignal | undefined): Clock {
  const now = base ? () => base.now() : () => Date.now();
  const sleepBase = base ? (ms: number) => base.sleep(ms) : (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  if (!signal) return { now, sleep: sleepBase };
  const cancelled = (): Error => new Error('diagnostics cancelled');
  return {
    now,
    sleep: (ms) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(cancelled());
        const onAbort = (): void => reject(cancelled());
        signal.addEventListener('abort', onAbort, { once: true });
        sleepBase(ms).then(
          () => {
            signal.removeEventListener('abort', onAbort);
            if (signal.aborted) reject(cancelled());
            else resolve();
          },
          (err: unknown) => {
            signal.removeEventListener('abort', onAbort);
            reject(err);
          },
        );
      }),
  };
}
