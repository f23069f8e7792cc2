/**
 * Tuning results remembered per board serial: `<dataDir>/tuning/<serial>.json` (written to a
 * temporary file, then renamed). What is applied (a profile or a setting made by hand) is
 * re-applied when that board is plugged in again. A file that does not parse is ignored, never
 * guessed at.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tuneResultSchema, type TuneResult } from '@shared/contract';

export class TuneStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'tuning');
  }

  fileFor(serial: string): string {
    const safe =
      serial
        .replace(/[^A-Za-z0-9_.-]+/g, '_')
        .replace(/^\.+/, '_')
        .slice(0, 100) || 'board';
    return path.join(this.dir, `${safe}.json`);
  }

  /** The remembered result for a serial; null when there is none or the file is not a result. */
  load(serial: string): TuneResult | null {
    const file = this.fileFor(serial);
    if (!existsSync(file)) return null;
    try {
      const parsed = tuneResultSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return parsed.success && parsed.data.serial === serial ? parsed.data : null;
    } catch {
      return null;
    }
  }

  save(result: TuneResult): string {
    mkdirSync(this.dir, { recursive: true });
    const file = this.fileFor(result.serial);
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(result, null, 2)}\n`);
    renameSync(tmp, file);
    return file;
  }
}
