/** CHIP_ID (register 0x00) of every chip found, plus any extra registers the caller names. */
import { formatIdList } from '../core-coverage.js';
import { outcome, type StepContext, type StepOutcome } from './step-context.js';

const CHIP_ID_REGISTER = 0x00;

export async function registerReadbackStep(ctx: StepContext, found: number): Promise<StepOutcome> {
  if (found === 0) return outcome('skipped', 'No chips to read.');
  const problems: string[] = [];
  const silent: number[] = [];
  const expectedId = ctx.board.expectedChipId;
  for (let chip = 0; chip < found; chip++) {
    ctx.progress(chip / found, `chip ${chip + 1}`);
    let value: number | null;
    try {
      value = await ctx.board.readRegister(chip, CHIP_ID_REGISTER);
    } catch (err) {
      problems.push(`Chip ${chip + 1}: reading CHIP_ID failed (${(err as Error).message}).`);
      continue;
    }
    if (value === null) silent.push(chip + 1);
    else if (value >>> 16 !== expectedId) {
      problems.push(`Chip ${chip + 1} reports chip id 0x${(value >>> 16).toString(16)}, expected 0x${expectedId.toString(16)}.`);
    }
    for (const check of ctx.options.registerChecks) {
      const v = await ctx.board.readRegister(chip, check.register).catch(() => null);
      const mask = check.mask ?? 0xffffffff;
      if (v === null) problems.push(`Chip ${chip + 1}: ${check.label} (0x${check.register.toString(16)}) did not answer.`);
      else if ((v & mask) >>> 0 !== (check.expected & mask) >>> 0) {
        problems.push(`Chip ${chip + 1}: ${check.label} reads 0x${(v >>> 0).toString(16)}, expected 0x${(check.expected >>> 0).toString(16)}.`);
      }
    }
  }
  if (silent.length > 0) problems.unshift(`Chip${silent.length > 1 ? 's' : ''} ${formatIdList(silent)} did not answer a register read.`);
  const figures = { chipsRead: found, expectedChipId: `0x${expectedId.toString(16)}`, extraRegisters: ctx.options.registerChecks.length };
  if (problems.length > 0) return outcome('fail', problems.join(' '), figures);
  return outcome('pass', `Every chip answered with chip id 0x${expectedId.toString(16)}.`, figures);
}
