/**
 * Found blocks on disk, written (and fsynced) before anything is submitted, so that a crash,
 * a dead node or a power cut never loses one (docs/design.md §3).
 * One JSON file per block: <dataDir>/blocks/<height>-<hash>.json. Updates replace the file
 * atomically (write temp, fsync, rename, fsync the directory).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const submitAttemptSchema = z.object({
  atMs: z.number(),
  /** 'answer': the node replied (result holds what it said); 'error': transport/RPC failure. */
  outcome: z.enum(['answer', 'error']),
  detail: z.string().nullable(),
});
export type SubmitAttempt = z.infer<typeof submitAttemptSchema>;

export const storedBlockSchema = z.object({
  format: z.literal(1),
  height: z.number().nullable(),
  /** Display hex. */
  hash: z.string(),
  hex: z.string(),
  templateKey: z.string(),
  nodeUrl: z.string(),
  boardId: z.string(),
  foundAtMs: z.number(),
  /** pending until the node gives an answer (null result = accepted). */
  status: z.enum(['pending', 'done']),
  result: z.string().nullable(),
  accepted: z.boolean().nullable(),
  attempts: z.array(submitAttemptSchema),
});
export type StoredBlock = z.infer<typeof storedBlockSchema>;

export class BlockStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'blocks');
  }

  fileFor(block: Pick<StoredBlock, 'height' | 'hash'>): string {
    return path.join(this.dir, `${block.height ?? 'unknown'}-${block.hash}.json`);
  }

  /** Durable write: returns only after the bytes and the directory entry are on disk. */
  write(block: StoredBlock): string {
    mkdirSync(this.dir, { recursive: true });
    const file = this.fileFor(block);
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, 'w', 0o644);
    try {
      writeSync(fd, JSON.stringify(block, null, 1) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    this.syncDir();
    return file;
  }

  /** Every stored block, newest first; unreadable files are reported, not fatal. */
  list(onBadFile?: (file: string, reason: string) => void): StoredBlock[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const out: StoredBlock[] = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const file = path.join(this.dir, name);
      try {
        const r = storedBlockSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
        if (r.success) out.push(r.data);
        else onBadFile?.(file, r.error.issues[0]?.message ?? 'schema mismatch');
      } catch (err) {
        onBadFile?.(file, (err as Error).message);
      }
    }
    return out.sort((a, b) => b.foundAtMs - a.foundAtMs);
  }

  pending(onBadFile?: (file: string, reason: string) => void): StoredBlock[] {
    return this.list(onBadFile)
      .filter((b) => b.status === 'pending')
      .sort((a, b) => a.foundAtMs - b.foundAtMs);
  }

  private syncDir(): void {
    // Directory fsync makes the rename durable; Windows cannot open directories, so skip there.
    if (process.platform === 'win32') return;
    let fd: number | undefined;
    try {
      fd = openSync(this.dir, 'r');
      fsyncSync(fd);
    } catch {
      /* best effort */
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}
