/**
 * The process groups of the programs that programObjective started and that
 * may still hold processes. This is process-wide on purpose: whatever way
 * this process exits (the CLI's second Ctrl-C calls process.exit, an
 * uncaught exception), they are killed then, not orphaned.
 */
const groups = new Set<number>();
const listeners = new Set<(pids: readonly number[]) => void>();
const waiting: (() => void)[] = [];

const killAll = () => {
  for (const pid of groups) killGroup(pid, 'SIGKILL');
  groups.clear();
};

/** Sends `signal` to the group; false when it has no process left. */
export function killGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** A program started in its own group (leader `pid`). */
export function addProgramGroup(pid: number): void {
  if (groups.size === 0) process.on('exit', killAll);
  groups.add(pid);
  changed();
}

/** The group is gone (or killed for good). */
export function removeProgramGroup(pid: number): void {
  if (!groups.delete(pid)) return;
  if (groups.size === 0) process.off('exit', killAll);
  changed();
  if (groups.size === 0) for (const done of waiting.splice(0)) done();
}

/**
 * Resolves once no group is left: each one stopping is gone within its
 * killGraceMs. Keeps Node alive meanwhile (the CLI keeps its Ctrl-C handler
 * until then, so a second Ctrl-C still kills them).
 */
export function programGroupsGone(): Promise<void> {
  if (groups.size === 0) return Promise.resolve();
  const keepAlive = setInterval(() => {}, 1 << 30);
  return new Promise<void>((resolve) => waiting.push(resolve)).finally(() => clearInterval(keepAlive));
}

/** Calls `listener` with the live groups' leader pids whenever they change (the CLI records them in its journal); returns the unsubscribe. */
export function watchProgramGroups(listener: (pids: readonly number[]) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function changed(): void {
  if (listeners.size === 0) return;
  const pids = [...groups];
  for (const listener of listeners) listener(pids);
}
