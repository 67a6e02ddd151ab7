import { closeSync, existsSync, fdatasyncSync, openSync, readFileSync, statSync, truncateSync, writeSync } from 'node:fs';
import { ArgumentError } from '../../ArgumentError.js';
import type { Space } from '../../space/Space.js';
import { describeSpace, sameSpace, spaceDifference } from '../../sinks/internal/trialCodec.js';

/** Marks the first line of a journal, so another JSON-lines file is never mistaken for one. */
export const JOURNAL_FORMAT = 'hyperopt-rx journal';

/** The first line: what the journal was written for. */
export interface JournalHeader {
  readonly format: typeof JOURNAL_FORMAT;
  readonly version: 1;
  readonly space: Record<string, unknown>;
  readonly sampler?: Record<string, unknown>;
  readonly iterations?: number;
  readonly created: string;
}

/** A line written when a new run continues the journal (more iterations): its sampler, size and first index. */
export interface JournalRun {
  readonly run: { readonly sampler?: Record<string, unknown>; readonly iterations?: number; readonly start?: number; readonly started: string };
}

/** One run as recorded: the header's, then one per run line, with the trial lines that follow it. */
export interface RecordedRun {
  readonly sampler?: Record<string, unknown>;
  readonly iterations?: number;
  /** The run's first index (the header's run starts at 0). */
  readonly start?: number;
  readonly trials: Record<string, unknown>[];
}

export interface JournalContents {
  readonly header: JournalHeader;
  /** Trial lines, still encoded, in the order they were written. */
  readonly trials: readonly Record<string, unknown>[];
  /** The runs in order; the first is the header's. */
  readonly runs: readonly RecordedRun[];
  /** Bytes up to the end of the last complete line: appending starts there. */
  readonly validBytes: number;
  /** True when the last complete line lacks its newline (appending adds one first). */
  readonly missingNewline: boolean;
}

/**
 * Reads a journal; undefined when the file does not exist or is empty. A
 * truncated last line (the process died while writing it) is skipped with a
 * warning; any other unreadable line is an ArgumentError('journal').
 */
export function readJournal(path: string, warn: (message: string) => void): JournalContents | undefined {
  if (!existsSync(path)) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ArgumentError('journal', `cannot be read (${path}): ${(error as Error).message}`);
  }
  if (text.trim() === '') return undefined;
  let header: JournalHeader | undefined;
  const trials: Record<string, unknown>[] = [];
  const runs: RecordedRun[] = [];
  let offset = 0;
  let validBytes = 0;
  let missingNewline = false;
  let lineNumber = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    const complete = end >= 0;
    const line = text.slice(offset, complete ? end : text.length);
    const next = complete ? end + 1 : text.length;
    lineNumber++;
    if (line.trim() !== '') {
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        record = undefined;
      }
      const isLast = text.slice(next).trim() === '';
      if (record === null || typeof record !== 'object' || Array.isArray(record)) {
        if (isLast && header !== undefined) {
          warn(`hyperopt-rx: journal ${path}: skipped the truncated last line ${lineNumber} (the run was killed while writing it)`);
          break;
        }
        throw new ArgumentError('journal', `${path} line ${lineNumber} is not a JSON object${header === undefined ? ' (not a hyperopt-rx journal?)' : ''}`);
      }
      const r = record as Record<string, unknown>;
      if (header === undefined) {
        if (r.format !== JOURNAL_FORMAT) throw new ArgumentError('journal', `${path} is not a hyperopt-rx journal (its first line has no "format": "${JOURNAL_FORMAT}")`);
        if (r.version !== 1) throw new ArgumentError('journal', `${path} has journal version ${JSON.stringify(r.version)}; this hyperopt-rx reads version 1`);
        header = r as unknown as JournalHeader;
        runs.push({ sampler: header.sampler, iterations: header.iterations, start: 0, trials: [] });
      } else if (r.run !== undefined) runs.push({ ...(r.run as JournalRun['run']), trials: [] });
      else if (typeof r.i === 'number') {
        trials.push(r);
        runs[runs.length - 1].trials.push(r);
      }
      else throw new ArgumentError('journal', `${path} line ${lineNumber} is neither a trial nor a run record`);
    }
    offset = next;
    validBytes += Buffer.byteLength(line, 'utf8') + (complete ? 1 : 0);
    missingNewline = !complete;
  }
  if (header === undefined) return undefined;
  return { header, trials, runs, validBytes, missingNewline };
}

/** Throws ArgumentError('journal') when the journal was written for another space. */
export function checkJournalSpace(path: string, contents: JournalContents, space: Space): void {
  const current = describeSpace(space);
  if (!sameSpace(contents.header.space, current)) {
    throw new ArgumentError('journal', `${path} was written for another space: ${spaceDifference(contents.header.space, current)}`);
  }
}

/** The latest recorded sampler description: that of the last resumed run, else the header's. */
export function recordedSampler(contents: JournalContents): Record<string, unknown> | undefined {
  for (let k = contents.runs.length - 1; k >= 0; k--) if (contents.runs[k].sampler) return contents.runs[k].sampler;
  return contents.header.sampler;
}

/** An open journal: one line per call, on disk when the call returns. */
export interface JournalWriter {
  append(record: object): void;
  close(): void;
}

/**
 * Opens a journal for appending: a truncated last line is cut off first, so
 * the next line starts clean. Each line is one `write(2)` of the whole line;
 * with `fsync` each is also flushed to the device (survives a power loss, not
 * only a killed process).
 */
export function openJournal(path: string, contents: JournalContents | undefined, fsync: boolean): JournalWriter {
  let fd: number;
  try {
    if (contents) {
      // Cut a torn tail off, so the next line does not glue onto half a record.
      if (statSync(path).size > contents.validBytes) truncateSync(path, contents.validBytes);
    }
    fd = openSync(path, contents ? 'a' : 'w');
  } catch (error) {
    throw new ArgumentError('journal', `cannot be opened for writing (${path}): ${(error as Error).message}`);
  }
  if (contents?.missingNewline) writeSync(fd, '\n');
  let open = true;
  return {
    append(record: object): void {
      if (!open) return;
      writeSync(fd, JSON.stringify(record) + '\n');
      if (fsync) fdatasyncSync(fd);
    },
    close(): void {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}
