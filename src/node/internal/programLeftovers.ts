import { closeSync, constants, openSync, readFileSync, writeSync } from 'node:fs';
import { killGroup, watchProgramGroups } from './programGroups.js';

/** A process as the journal names it: its pid and its start time (clock ticks after boot, from /proc), which a reused pid does not share. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly start: string;
}

/**
 * The journal line that lists the programs running now:
 * `{"kind": "programs", "by": <the CLI>, "running": [<leaders of their process groups>]}`.
 * Written whenever that set changes; the last one is what a kill -9 left running.
 */
export interface ProgramsRecord {
  readonly kind: 'programs';
  readonly by: ProcessIdentity;
  readonly running: readonly ProcessIdentity[];
}

/** Where /proc is (Linux) the identity of a live process, with its process group; undefined elsewhere or once it is gone. */
function inspect(pid: number): { readonly start: string; readonly pgrp: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = fields[19];
  return start === undefined ? undefined : { start, pgrp: Number(fields[2]) };
}

function identity(pid: number): ProcessIdentity | undefined {
  const seen = inspect(pid);
  return seen && { pid, start: seen.start };
}

/**
 * Appends a ProgramsRecord to the journal at `path` each time the programs
 * running change (programObjective's process groups), so a resume after a
 * kill -9 knows what was left running. Returns the stop, which records that
 * none is left. Without /proc (not Linux) it records nothing.
 */
export function recordPrograms(path: string): () => void {
  const by = identity(process.pid);
  if (by === undefined) return () => {};
  let fd: number | undefined;
  const write = (pids: readonly number[]) => {
    const running = pids.map(identity).filter((p): p is ProcessIdentity => p !== undefined);
    const record: ProgramsRecord = { kind: 'programs', by, running };
    try {
      // Opened at the first program: the run has written the journal's header by then. One write(2) per line, appended.
      fd ??= openSync(path, constants.O_WRONLY | constants.O_APPEND);
      writeSync(fd, `${JSON.stringify(record)}\n`);
    } catch {
      // The journal's own writer reports a journal it cannot write; this record only helps a later resume.
    }
  };
  const unwatch = watchProgramGroups(write);
  return () => {
    unwatch();
    if (fd === undefined) return;
    write([]);
    closeSync(fd);
  };
}

/** A journal record that lists programs (as `readJournal` hands over records of other kinds). */
export function isProgramsRecord(record: Record<string, unknown>): record is Record<string, unknown> & ProgramsRecord {
  return record.kind === 'programs';
}

/**
 * Before a resume: kills what `last`, the journal's last ProgramsRecord,
 * lists as running, when the run that wrote it is gone and each process is
 * really that program (same pid, same start time, still leading its own
 * group): programs a kill -9 of the CLI left running. Returns how many
 * groups it killed. A program whose leader had exited is not chased.
 */
export function stopLeftoverPrograms(last: ProgramsRecord | undefined): number {
  // Read from a file: `running` may be anything.
  const running: unknown = last?.running;
  if (last === undefined || !Array.isArray(running) || running.length === 0) return 0;
  if (isSame(last.by)) return 0; // the run that wrote it is alive: its programs are not leftovers
  let killed = 0;
  for (const program of running as (ProcessIdentity | undefined)[]) {
    if (isSame(program) && inspect(program.pid)?.pgrp === program.pid && killGroup(program.pid, 'SIGKILL')) killed++;
  }
  return killed;
}

function isSame(recorded: ProcessIdentity | undefined): recorded is ProcessIdentity {
  if (recorded === null || typeof recorded !== 'object' || !Number.isSafeInteger(recorded.pid) || recorded.pid <= 0) return false;
  return inspect(recorded.pid)?.start === String(recorded.start);
}
