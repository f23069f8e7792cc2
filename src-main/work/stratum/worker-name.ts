/**
 * Per-board worker names (`--worker`, default the board id). Pools credit shares by the user in
 * mining.submit and commonly read `<account>.<worker>` (docs/stratum-and-gbt.md §1.3): a pool user
 * without a worker part gets `.<name>` appended per board; a user that already names a worker is
 * sent as given. Each name used must be authorized on the connection before its first share.
 */

/** The user a board's shares are submitted as. */
export function poolWorkerUser(user: string, workerName: string): string {
  return user.includes('.') ? user : `${user}.${workerName}`;
}

export class WorkerNames {
  private readonly names: ReadonlyMap<string, string>;

  constructor(names: Record<string, string> = {}) {
    this.names = new Map(Object.entries(names));
  }

  /** The worker name of a board: its `--worker`, else its id. */
  nameOf(boardId: string): string {
    return this.names.get(boardId) ?? boardId;
  }

  userFor(user: string, boardId: string): string {
    return poolWorkerUser(user, this.nameOf(boardId));
  }
}
