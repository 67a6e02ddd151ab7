import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
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
const PROGRAMS_KIND = Buffer.from('"kind":"programs"');

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

/**
 * Before a resume: kills what the last ProgramsRecord of the journal lists
 * as running, when the run that wrote it is gone and each process is really
 * that program (same pid, same start time, still leading its own group):
 * programs a kill -9 of the CLI left running. Returns how many groups it
 * killed. A program whose leader had exited is not chased.
 */
export function stopLeftoverPrograms(path: string): number {
  const last = lastProgramsRecord(path);
  if (last === undefined || !Array.isArray(last.running) || last.running.length === 0) return 0;
  if (isSame(last.by)) return 0; // the run that wrote it is alive: its programs are not leftovers
  let killed = 0;
  for (const program of last.running) {
    if (isSame(program) && inspect(program.pid)?.pgrp === program.pid && killGroup(program.pid, 'SIGKILL')) killed++;
  }
  return killed;
}

/** The journal's last ProgramsRecord, read backwards from the end in chunks (it is near the end; the file may be large). */
function lastProgramsRecord(path: string): ProgramsRecord | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined; // the run itself says why it cannot read the journal
  }
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    const chunk = Buffer.allocUnsafe(1 << 16);
    let position = fstatSync(fd).size;
    let rest = Buffer.alloc(0); // the start of a line whose beginning is in an earlier chunk
    while (position > 0) {
      const length = Math.min(chunk.length, position);
      position -= length;
      readSync(fd, chunk, 0, length, position);
      const data = Buffer.concat([chunk.subarray(0, length), rest]);
      let end = data.length;
      for (let nl = data.lastIndexOf(10, end - 1); nl >= 0; nl = data.lastIndexOf(10, end - 1)) {
        const record = parsePrograms(data.subarray(nl + 1, end));
        if (record) return record;
        end = nl;
        if (end === 0) break;
      }
      rest = Buffer.from(data.subarray(0, end));
    }
    return parsePrograms(rest);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function parsePrograms(line: Buffer): ProgramsRecord | undefined {
  if (line.indexOf(PROGRAMS_KIND) < 0) return undefined;
  try {
    const record = JSON.parse(line.toString('utf8')) as ProgramsRecord | null;
    return record !== null && typeof record === 'object' && record.kind === 'programs' ? record : undefined;
  } catch {
    return undefined; // a torn last line
  }
}

function isSame(recorded: ProcessIdentity | undefined): boolean {
  if (recorded === null || typeof recorded !== 'object' || !Number.isSafeInteger(recorded.pid) || recorded.pid <= 0) return false;
  return inspect(recorded.pid)?.start === String(recorded.start);
}
