/** Chip count against the expected count; a missing chip is named (chips answer in chain order). */
import { outcome, type StepContext, type StepOutcome } from './step-context.js';

export async function enumerationStep(ctx: StepContext): Promise<{ result: StepOutcome; found: number }> {
  const expected = ctx.board.chipsExpected;
  let found: number;
  try {
    found = (await ctx.board.enumerate()).found;
  } catch (err) {
    return { found: 0, result: outcome('fail', `Enumeration failed: ${(err as Error).message}.`, { expected, found: 0 }) };
  }
  const figures = { expected, found };
  if (found === expected) return { found, result: outcome('pass', `All ${expected} chip${expected === 1 ? '' : 's'} answered.`, figures) };
  if (found > expected) {
    return { found, result: outcome('fail', `${found} chips answered but ${expected} were expected; check the board type.`, figures) };
  }
  const first = found + 1;
  const missing = expected - found;
  const detail =
    found === 0
      ? `No chip answered (expected ${expected}). Check power, reset and the serial link.`
      : missing === 1
        ? `Chip ${first} of ${expected} did not answer.`
        : `Chips ${first}–${expected} of ${expected} did not answer; the chain is broken at or just before chip ${first}.`;
  return { found, result: outcome('fail', detail, figures) };
}
