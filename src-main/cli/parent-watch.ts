/**
 * Under `npm run hashdeck` (or `npm exec`) the engine is a grandchild of npm, with a shell between
 * them on POSIX: a SIGTERM that a supervisor sends to npm reaches the shell, which dies without
 * passing it on, and the engine would go on mining as an orphan. So when npm started us, the
 * process that started us going away means "stop" (docs/cli.md §7). A process started any other
 * way (a shell, systemd, nohup, setsid) is never stopped for losing its parent.
 */

export interface ParentWatchOptions {
  env?: NodeJS.ProcessEnv;
  intervalMs?: number;
  /** The current parent pid (process.ppid is read live). */
  ppid?: () => number;
  isAlive?: (pid: number) => boolean;
}

/** Calls `onGone` once if npm started us and our parent disappears; returns the stopper. */
export function watchParentUnderNpm(onGone: (parentPid: number) => void, options: ParentWatchOptions = {}): () => void {
  const env = options.env ?? process.env;
  if (env.npm_execpath === undefined) return () => {};
  const ppid = options.ppid ?? (() => process.ppid);
  const isAlive = options.isAlive ?? alive;
  const parent = ppid();
  const timer = setInterval(() => {
    // Re-parented (POSIX) or the parent pid no longer exists (Windows keeps the old ppid).
    if (ppid() === parent && isAlive(parent)) return;
    clearInterval(timer);
    onGone(parent);
  }, options.intervalMs ?? 1000);
  timer.unref();
  return () => clearInterval(timer);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
