/**
 * ChainBoard over the real transport, chain and BM1366 driver, against the in-process emulator with
 * inline hashing (hashes only when the test says so, a few tens of thousands per test).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { headerHash } from '../../../src-main/bitcoin/header.js';
import { hashToDisplayHex } from '../../../src-main/bitcoin/sha256d.js';
import { hashMeetsTarget } from '../../../src-main/bitcoin/target.js';
import type { BindingInterface } from '../../../src-main/boards/transport.js';
import { bm1366 } from '../../../src-main/chips/bm1366.js';
import { ticketTarget } from '../../../src-main/chips/bm13xx/ticket.js';
import type { DiagnosticNonce } from '../../../src-main/diagnostics/board-under-test.js';
import { ChainBoard, nonceChipAddress } from '../../../src-main/diagnostics/chain-board.js';
import { requiredValidNonces } from '../../../src-main/diagnostics/core-coverage.js';
import { chooseDiagnosticTicket, DIAGNOSTIC_TICKET, perCoreMissProbability } from '../../../src-main/diagnostics/diagnostic-ticket.js';
import { autoTicketDifficulty } from '../../../src-main/chips/bm13xx/auto-ticket.js';
import { KNOWN_ANSWER_HASH_DISPLAY, KNOWN_ANSWER_NONCE, knownAnswerJob } from '../../../src-main/diagnostics/known-answer-block.js';
import { createEmulatorBinding } from '../../../src-main/emulator/binding.js';
import type { VirtualChain } from '../../../src-main/emulator/chain.js';
import type { EmulatorOptions } from '../../../src-main/emulator/options.js';
import { loadVector } from '../../helpers/vectors.js';

const SCALE_BITS = 24;
const open: ChainBoard[] = [];

afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
});

function rig(chips: number, emulator: EmulatorOptions = {}, chipsExpected = chips) {
  let chain: VirtualChain | null = null;
  const binding = createEmulatorBinding({ model: 'bm1366', scaleBits: SCALE_BITS, hashing: 'inline', ...emulator, onOpen: (c) => (chain = c) });
  const board = new ChainBoard({ name: 'test', path: `emulator:${chips}`, model: 'bm1366', binding: binding as unknown as BindingInterface, emulated: true, scaleBits: SCALE_BITS, chipsExpected });
  open.push(board);
  const nonces: DiagnosticNonce[] = [];
  board.onNonce((n) => nonces.push(n));
  return { board, nonces, chain: () => chain!, settle: () => new Promise((r) => setTimeout(r, 30)) };
}

function job(n: number) {
  const merkleRoot = Buffer.alloc(32, 0x33);
  merkleRoot.writeUInt32LE(n, 0);
  return { version: 0x20000000, prevHash: Buffer.alloc(32, 0x11), merkleRoot, ntime: 0x66000000, nbits: 0x1d00ffff };
}

describe('diagnostic ticket choice', () => {
  it('splits the false-alarm chance over the board: a healthy 112-core chip fails for a silent core with P ≈ 1e-3', () => {
    const p = perCoreMissProbability(1, 112);
    expect(p).toBeCloseTo(1e-3 / 112, 12);
    const n = requiredValidNonces(1, 112, p);
    expect(n).toBe(Math.ceil(112 * Math.log(112_000)));
    // At exactly n nonces each live core is silent with e^(−n/112); over 112 cores about 1e-3.
    expect(112 * Math.exp(-n / 112)).toBeLessThanOrEqual(1e-3);
  });

  it('on hardware lowers ticket 8 until the per-core map takes at most 30 s, and never uses more than auto', () => {
    // 485 MHz × 894 small cores = 433.6 GH/s: 12.6 nonces/s at ticket 8 (103 s for 1302), 50.5 at
    // ticket 2 (26 s): the 30 s rule stops at 2, auto (1: 101 nonces/s) is lower.
    const one = chooseDiagnosticTicket({ driver: bm1366, chips: 1, coresPerChip: 112, frequencyMhz: 485, scaleBits: 0, emulated: false });
    expect(autoTicketDifficulty(bm1366, 1, 485)).toBe(1);
    expect(one.ticketDifficulty).toBe(1);
    expect(one.nonceRateHz).toBeCloseTo(100.95, 1);
    expect(one.expectedRunS).toBeLessThanOrEqual(15);
    // Six chips: 9021 nonces for 672 cores; the 30 s rule goes down to 2, below auto (4).
    const hex = chooseDiagnosticTicket({ driver: bm1366, chips: 6, coresPerChip: 112, frequencyMhz: 485, scaleBits: 0, emulated: false });
    expect(autoTicketDifficulty(bm1366, 6, 485)).toBe(4);
    expect(hex.ticketDifficulty).toBe(2);
    expect(hex.expectedRunS).toBeLessThanOrEqual(30);
    // At 16× the frequency auto is 16: the diagnostic ticket 8 is the lower.
    const fast = chooseDiagnosticTicket({ driver: bm1366, chips: 1, coresPerChip: 112, frequencyMhz: 485 * 16, scaleBits: 0, emulated: false });
    expect(fast.ticketDifficulty).toBe(DIAGNOSTIC_TICKET);
  });

  it('uses ticket 8 on an emulator at K = 24 and raises it when K would flood the host', () => {
    const k24 = chooseDiagnosticTicket({ driver: bm1366, chips: 2, coresPerChip: 112, frequencyMhz: 485, scaleBits: 24, emulated: true });
    expect(k24.ticketDifficulty).toBe(8);
    expect(k24.nonceRateHz).toBe(1_500_000 / 2048);
    const k32 = chooseDiagnosticTicket({ driver: bm1366, chips: 1, coresPerChip: 112, frequencyMhz: 485, scaleBits: 32, emulated: true });
    expect(k32.ticketDifficulty).toBe(1024);
    expect(k32.nonceRateHz).toBeLessThanOrEqual(2000);
    expect(k32.nonceRateHz * 2).toBeGreaterThan(2000);
  });
});

describe('ChainBoard over the emulator', () => {
  it('a missing chip is a short count, not an error', async () => {
    const { board } = rig(3, { missingChips: [1] });
    expect(await board.enumerate()).toEqual({ found: 2 });
    expect(board.chipsExpected).toBe(3);
  });

  it('enumerates, reads CHIP_ID, tags nonces, aims a directed job at block 125552 and puts the chain back', async () => {
    const { board, nonces, chain, settle } = rig(2);
    expect(await board.enumerate()).toEqual({ found: 2 });
    expect(board.chipAddresses).toEqual([0x00, 0x80]);
    expect(board.ticketDifficulty).toBe(8);
    expect((await board.readRegister(0, 0x00))! >>> 16).toBe(0x1366);
    expect((await board.readRegister(1, 0x00))! >>> 16).toBe(0x1366);
    expect(await board.readRegister(2, 0x00)).toBeNull();
    // A second enumeration counts the live chain (a re-init would start at the reset baud).
    const inits = () => chain().log.filter((l) => l.includes('chain inactive')).length;
    const initsBefore = inits();
    expect(await board.enumerate()).toEqual({ found: 2 });
    expect(inits()).toBe(initsBefore);

    // Ordinary work: every nonce carries its job handle, chip and core, and re-hashes under the scaled ticket.
    const fields = job(1);
    const handle = await board.sendJob(fields, 0);
    await settle();
    chain().runHashes(200_000);
    await settle();
    expect(nonces.length).toBeGreaterThan(40); // 1 in 2048 hashes meets ticket 8 × 2^-24: ~98 expected
    const target = ticketTarget(8, SCALE_BITS);
    for (const n of nonces) {
      expect(n.jobHandle).toBe(handle);
      expect([0, 1]).toContain(n.chipIndex);
      expect(n.coreId).toBeLessThan(112);
      expect((n.version & ~0x1fffe000) >>> 0).toBe(0x20000000);
      expect(hashMeetsTarget(headerHash({ ...fields, version: n.version, nonce: n.nonce }), target)).toBe(true);
    }
    expect(new Set(nonces.map((n) => n.chipIndex))).toEqual(new Set([0, 1]));
    // Cores run side by side: 100k hashes per chip reach far beyond the first few cores.
    expect(Math.max(...nonces.map((n) => n.coreId))).toBeGreaterThan(60);
    await board.stopHashing();
    nonces.length = 0;

    // The known answer: its nonce carries chip address 0x50 and core 33 (§2.5).
    const vector = loadVector<{ fields: { nonce: number }; block_hash_display: string }>('block-125552.json');
    expect(vector.fields.nonce).toBe(KNOWN_ANSWER_NONCE);
    expect(vector.block_hash_display).toBe(KNOWN_ANSWER_HASH_DISPLAY);
    expect(nonceChipAddress(KNOWN_ANSWER_NONCE)).toBe(0x50);
    const katHandle = await board.sendJob(knownAnswerJob(), KNOWN_ANSWER_NONCE);
    expect(board.chipAddresses).toEqual([0x50, 0xd0]);
    await settle();
    // Every core starts at the answer's counter; core 33 gets its turn after 33 stripes of 1024.
    chain().runHashes(120_000);
    await settle();
    const answer = nonces.find((n) => n.nonce === KNOWN_ANSWER_NONCE);
    expect(answer).toMatchObject({ jobHandle: katHandle, chipIndex: 0, coreId: 33, version: 1 });
    expect(hashToDisplayHex(headerHash({ ...knownAnswerJob(), nonce: answer!.nonce, version: answer!.version }))).toBe(KNOWN_ANSWER_HASH_DISPLAY);

    await board.stopHashing();
    expect(board.chipAddresses).toEqual([0x00, 0x80]);
    const count = nonces.length;
    chain().runHashes(50_000);
    await settle();
    expect(nonces.length).toBe(count); // quiet ticket, no live job: nothing more reaches diagnostics
    expect((await board.readRegister(1, 0x00))! >>> 16).toBe(0x1366);

    const next = await board.sendJob(job(2), 0);
    await settle();
    chain().runHashes(100_000);
    await settle();
    const fresh = nonces.slice(count);
    expect(fresh.length).toBeGreaterThan(10);
    expect(fresh.every((n) => n.jobHandle === next && n.chipIndex <= 1)).toBe(true);
  });

  it('refuses work before the chain is initialised and when the port is gone, with a sentence', async () => {
    const { board, chain } = rig(1);
    await board.open();
    await expect(board.sendJob(job(1), 0)).rejects.toThrow(/not initialised/);
    await board.enumerate();
    chain().unplug();
    await new Promise((r) => setTimeout(r, 50));
    await expect(board.sendJob(job(1), 0)).rejects.toThrow(/serial port is gone/);
    await board.stopHashing(); // never throws
  });
});
