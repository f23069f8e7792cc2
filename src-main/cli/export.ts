/**
 * `hashdeck export --what shares|samples|blocks [--from <ISO time>] [--to <ISO time>] [--data-dir <dir>]`:
 * CSV of the ledger on stdout (docs/cli.md §10). Reading works while an engine mines on the same data
 * directory (the ledger is SQLite in WAL mode), so it takes no lock.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defaultDataDir } from '../engine/data-dir.js';
import { Ledger, LEDGER_FILE_NAME } from '../stats/ledger.js';
import type { ExportOptions } from './args.js';
import { UsageError } from './usage-error.js';

export function runExport(opts: ExportOptions, out: NodeJS.WritableStream = process.stdout): number {
  const dataDir = path.resolve(opts.dataDir ?? defaultDataDir());
  if (!existsSync(path.join(dataDir, LEDGER_FILE_NAME))) throw new UsageError(`there is no ledger in ${dataDir} (mine with --data-dir there first)`);
  const ledger = Ledger.open(dataDir, { flushIntervalMs: 0 });
  try {
    out.write(ledger.exportCsv(opts.what, opts.fromMs ?? 0, opts.toMs ?? Date.now() + 1));
  } finally {
    ledger.close();
  }
  return 0;
}
