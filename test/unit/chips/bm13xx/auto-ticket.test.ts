import { describe, expect, it } from 'vitest';
import { autoTicketDifficulty, autoTicketForRate, lineBudgetPerS, resolveTicket } from '../../../../src-main/chips/bm13xx/auto-ticket.js';
import { chipDriver } from '../../../../src-main/chips/index.js';
import type { CHIP_MODELS } from '@shared/chip-model.js';

describe('--ticket-difficulty auto', () => {
  it('budgets 2 % of the line: 181.8 eleven-byte replies a second at 1 Mbaud, 694 nine-byte ones at 3.125 Mbaud', () => {
    expect(lineBudgetPerS(1_000_000, 11)).toBeCloseTo(181.82, 2);
    expect(lineBudgetPerS(3_125_000, 9)).toBeCloseTo(694.44, 2);
  });

  it('picks per model and chip count at the default frequency (docs/bm13xx-protocol.md §4.4)', () => {
    const at = (model: (typeof CHIP_MODELS)[number], chips: number) => autoTicketDifficulty(chipDriver(model), chips, chipDriver(model).defaultFrequencyMhz);
    expect(at('bm1366', 1)).toBe(1); // 433.6 GH/s: 101 replies/s
    expect(at('bm1366', 6)).toBe(4); // 2.6 TH/s: 151/s
    expect(at('bm1368', 1)).toBe(1);
    expect(at('bm1370', 1)).toBe(2); // 1.07 TH/s: 125/s
    expect(at('bm1370', 4)).toBe(8);
    expect(at('bm1397', 1)).toBe(1);
  });

  it('is the lowest power of two within the budget, for rates from 1 GH/s to 1 PH/s', () => {
    for (let hs = 1e9; hs <= 1e15; hs *= 1.7) {
      const t = autoTicketForRate(hs, 1_000_000, 11);
      expect(Number.isInteger(Math.log2(t))).toBe(true);
      const rate = (d: number) => hs / (d * 2 ** 32);
      expect(rate(t)).toBeLessThanOrEqual(lineBudgetPerS(1_000_000, 11));
      if (t > 1) expect(rate(t / 2)).toBeGreaterThan(lineBudgetPerS(1_000_000, 11));
    }
  });

  it("follows the frequency, and a number stays the chip's power of two", () => {
    const d = chipDriver('bm1370');
    expect(resolveTicket('auto', d, 1, 300)).toBe(1);
    expect(resolveTicket('auto', d, 1, 900)).toBe(4);
    expect(resolveTicket(1000, d, 1, 525)).toBe(512);
    expect(resolveTicket(256, d, 4, 525)).toBe(256);
  });
});
