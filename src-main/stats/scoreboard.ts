/** The top-N best shares, highest difficulty first (ties: earliest first). */

export interface ScoredShare {
  atMs: number;
  boardId: string;
  chipIndex: number | null;
  pool: string;
  difficulty: number;
  /** Display hex of the hash, when known. */
  hash: string | null;
}

export class Scoreboard {
  private entries: ScoredShare[] = [];

  constructor(readonly size = 20) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`scoreboard size must be a positive integer, got ${size}`);
  }

  /** The difficulty a share must beat to enter (0 while not full). */
  get threshold(): number {
    return this.entries.length < this.size ? 0 : this.entries[this.entries.length - 1]!.difficulty;
  }

  /** Inserts the share if it ranks; returns whether it did. */
  offer(share: ScoredShare): boolean {
    if (!(share.difficulty > this.threshold)) return false;
    let i = this.entries.length;
    while (i > 0 && this.entries[i - 1]!.difficulty < share.difficulty) i--;
    this.entries.splice(i, 0, share);
    if (this.entries.length > this.size) this.entries.length = this.size;
    return true;
  }

  top(): ScoredShare[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
