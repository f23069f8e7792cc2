/** `hashdeck emulate --pty`: a virtual board behind a pseudo-terminal for another process to open. */
import type { EmulateOptions } from './args.js';

export async function runEmulate(opts: EmulateOptions): Promise<number> {
  const { emulateCommand } = await import('../emulator/pty.js');
  return emulateCommand(
    {
      chips: opts.chips,
      model: opts.model,
      scaleBits: opts.scaleBits,
      hashRateHs: opts.hashrateHs ?? undefined,
      noiseRate: opts.noiseRate,
      missingChips: opts.missingChips,
      deadCores: opts.deadCores,
    },
    process.stdout,
  );
}
