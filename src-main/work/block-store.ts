/**
 * Found blocks on disk, written (and fsynced) before anything is submitted, so that a crash, a
 * dead node or a power cut never loses one (docs/design.md §3). The one writer of found
 * blocks: solo blocks (the whole block, resubmitted until the node answers) and pool block
 * candidates (what the pool needs to rebuild the block: header and coinbase).
 *
 * One JSON file per block under <dataDir>/blocks/: `<height>-<hash>.json` for solo blocks,
 * `pool-<height>-<hash>.json` for pool candidates. Every write is atomic: a temporary file is
 * written and fsynced, renamed over the final name, and the directory is fsynced, so a crash at
 * any step leaves either no file or a whole one under the final name.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const submitAttemptSchema = z.object({
  atMs: z.number(),
  /** 'answer': the node replied (result holds what it said); 'error': transport/RPC failure. */
  outcome: z.enum(['answer', 'error']),
  detail: z.string().nullable(),
});
export type SubmitAttempt = z.infer<typeof submitAttemptSchema>;

/** A solo block: the full serialised block, submitted with `submitblock` until the node answers. */
export const storedBlockSchema = z.object({
  format: z.literal(1),
  kind: z.literal('solo').optional(),
  height: z.number().nullable(),
  /** Display hex. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  hex: z.string().regex(/^([0-9a-f]{2})+$/),
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

/** A share that meets the network target on a pool's job: the pool submits the block, we keep the evidence. */
export const poolBlockCandidateSchema = z.object({
  format: z.literal(1),
  kind: z.literal('pool-share'),
  pool: z.string(),
  jobId: z.string(),
  height: z.number().nullable(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  headerHex: z.string().regex(/^[0-9a-f]{160}$/),
  coinbaseHex: z.string().regex(/^([0-9a-f]{2})+$/),
  extranonce2: z.string().regex(/^([0-9a-f]{2})*$/),
  boardId: z.string(),
  foundAtMs: z.number(),
});
export type PoolBlockCandidate = z.infer<typeof poolBlockCandidateSchema>;

const recordSchema = z.union([poolBlockCandidateSchema, storedBlockSchema]);
export type BlockRecord = z.infer<typeof recordSchema>;

/** The steps of a durable write, in order (a test stops the writer at each one). */
export const WRITE_STEPS = ['temp-opened', 'temp-written', 'temp-synced', 'renamed', 'dir-synced'] as const;
export type WriteStep = (typeof WRITE_STEPS)[number];

export interface BlockStoreOptions {
  /** Called after each step of a write; for crash tests only. */
  onWriteStep?: (step: WriteStep, file: string) => void;
}

export class BlockStore {
  readonly dir: string;

  constructor(
    dataDir: string,
    private readonly options: BlockStoreOptions = {},
  ) {
    this.dir = path.join(dataDir, 'blocks');
  }

  fileFor(block: BlockRecord): string {
    const prefix = block.kind === 'pool-share' ? 'pool-' : '';
    return path.join(this.dir, `${prefix}${block.height ?? 'unknown'}-${block.hash}.json`);
  }

  /** Durable write of a solo block: returns only after the bytes and the directory entry are on disk. */
  write(block: StoredBlock): string {
    return this.writeRecord(storedBlockSchema.parse(block));
  }

  /** Durable write of a pool block candidate, before the share goes to the pool. */
  writePoolCandidate(candidate: PoolBlockCandidate): string {
    return this.writeRecord(poolBlockCandidateSchema.parse(candidate));
  }

  /** Solo blocks on disk, newest first; unreadable files are reported, not fatal. */
  list(onBadFile?: (file: string, reason: string) => void): StoredBlock[] {
    return this.records(onBadFile).filter((r): r is StoredBlock => r.kind !== 'pool-share');
  }

  /** Pool block candidates on disk, newest first. */
  poolCandidates(onBadFile?: (file: string, reason: string) => void): PoolBlockCandidate[] {
    return this.records(onBadFile).filter((r): r is PoolBlockCandidate => r.kind === 'pool-share');
  }

  pending(onBadFile?: (file: string, reason: string) => void): StoredBlock[] {
    return this.list(onBadFile)
      .filter((b) => b.status === 'pending')
      .sort((a, b) => a.foundAtMs - b.foundAtMs);
  }

  private records(onBadFile?: (file: string, reason: string) => void): BlockRecord[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const out: BlockRecord[] = [];
    for (const name of names) {
      // A leftover `.tmp` is a write that never finished: the final file was not replaced.
      if (!name.endsWith('.json')) continue;
      const file = path.join(this.dir, name);
      try {
        const r = recordSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
        if (r.success) out.push(r.data);
        else onBadFile?.(file, r.error.issues[0]?.message ?? 'schema mismatch');
      } catch (err) {
        onBadFile?.(file, (err as Error).message);
      }
    }
    return out.sort((a, b) => b.foundAtMs - a.foundAtMs);
  }

  private writeRecord(record: BlockRecord): string {
    mkdirSync(this.dir, { recursive: true });
    const file = this.fileFor(record);
    const tmp = `${file}.tmp`;
    const step = this.options.onWriteStep;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      step?.('temp-opened', file);
      writeSync(fd, JSON.stringify(record, null, 1) + '\n');
      step?.('temp-written', file);
      fsyncSync(fd);
      step?.('temp-synced', file);
    } catch (err) {
      closeSync(fd);
      try {
        unlinkSync(tmp);
      } catch {
        /* already gone */
      }
      throw err;
    }
    closeSync(fd);
    renameSync(tmp, file);
    step?.('renamed', file);
    this.syncDir();
    step?.('dir-synced', file);
    return file;
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
