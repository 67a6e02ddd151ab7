import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { ArgumentError } from '../../base/ArgumentError.js';

/** What a lock file holds: who writes the journal. */
interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
}

/**
 * Takes the journal's lock, `<path>.lock`, for this process: one writer per
 * journal, so two runs never interleave lines or redo each other's trials.
 * The file holds the holder's pid and host; a lock whose process is gone
 * (killed, crashed) is taken over. A lock held by a live process (this one
 * included) is an ArgumentError('journal') naming the holder's pid. Returns
 * the release, which also runs should the process exit without it.
 */
export function lockJournal(path: string): () => void {
  const lockPath = `${path}.lock`;
  const mine: LockHolder = { pid: process.pid, hostname: hostname() };
  const content = `${JSON.stringify(mine)}\n`;
  for (let attempt = 0; attempt < 8; attempt++) {
    // The lock appears whole (link of a written file), so a reader never sees it half-written.
    const temp = `${lockPath}.${process.pid}.${attempt}.tmp`;
    try {
      writeFileSync(temp, content, { flag: 'w' });
      linkSync(temp, lockPath);
      unlinkSync(temp);
      return releaser(lockPath);
    } catch (error) {
      safeUnlink(temp);
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new ArgumentError('journal', `cannot be locked (${lockPath}): ${(error as Error).message}`);
      }
    }
    const holder = readHolder(lockPath);
    if (holder === undefined) continue; // released meanwhile: try again
    // A lock that is not ours to read (no pid: written by hand, or damaged) counts as stale.
    if (holder !== null && (holder.hostname !== mine.hostname || isAlive(holder.pid))) {
      const where = holder.hostname === mine.hostname ? '' : ` on host ${holder.hostname}`;
      throw new ArgumentError(
        'journal',
        `${path} is in use by process ${holder.pid}${where} (lock file ${lockPath}): one run writes a journal at a time. ` +
          'Wait for it to finish, or stop it; if that process is not a hyperopt-rx run, delete the lock file.',
      );
    }
    // Stale: move it aside atomically, and make sure what was moved is the dead holder's lock, not a fresh one.
    const aside = `${lockPath}.${process.pid}.stale`;
    try {
      renameSync(lockPath, aside);
    } catch {
      continue; // someone else took it over first
    }
    const moved = readHolder(aside);
    if (moved && moved.pid !== holder?.pid) {
      try {
        linkSync(aside, lockPath); // a live holder's lock, moved by mistake: put it back
      } catch {
        // already replaced: the next attempt reads who holds it now
      }
    }
    safeUnlink(aside);
  }
  throw new ArgumentError('journal', `cannot be locked (${lockPath}): other processes kept taking the lock`);
}

function releaser(lockPath: string): () => void {
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    try {
      if (readHolder(lockPath)?.pid === process.pid) safeUnlink(lockPath);
    } catch {
      // unreadable now: leave it; a later run sees this process gone and takes it over
    }
  };
  // A process that exits without closing the journal (process.exit) leaves no lock behind.
  process.on('exit', release);
  return release;
}

/** The lock's holder; undefined when there is no lock file, null when it names no holder. */
function readHolder(lockPath: string): LockHolder | null | undefined {
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ArgumentError('journal', `cannot be locked (${lockPath}): ${(error as Error).message}`);
  }
  try {
    const holder = JSON.parse(text) as Partial<LockHolder> | null;
    if (typeof holder?.pid !== 'number' || !Number.isInteger(holder.pid) || holder.pid <= 0) return null;
    return { pid: holder.pid, hostname: typeof holder.hostname === 'string' ? holder.hostname : '' };
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

function safeUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // gone already
  }
}
