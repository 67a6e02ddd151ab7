import { closeSync, constants, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, statSync, writeSync, type Stats } from 'node:fs';
import { ArgumentError } from '../../base/ArgumentError.js';
import { checkTrialIndex } from '../../base/check.js';
import type { Space } from '../../space/Space.js';
import { describeSpace, sameSpace, spaceDifference } from '../../space/describeSpace.js';
import type { Direction } from '../../trial/Direction.js';

/** Marks the first line of a journal, so another JSON-lines file is never mistaken for one. */
export const JOURNAL_FORMAT = 'hyperopt-rx journal';

/** The first line: what the journal was written for. */
export interface JournalHeader {
  readonly format: typeof JOURNAL_FORMAT;
  readonly version: 1;
  readonly space: Record<string, unknown>;
  readonly sampler?: Record<string, unknown>;
  readonly iterations?: number;
  /** Which way the run's value is better; absent (older journals): 'minimize'. */
  readonly direction?: Direction;
  readonly created: string;
}

/** A line written when a new run continues the journal (more iterations): its sampler, size and first index. */
export interface JournalRun {
  readonly run: {
    readonly sampler?: Record<string, unknown>;
    readonly iterations?: number;
    readonly start?: number;
    readonly direction?: Direction;
    readonly started: string;
  };
}

/** One run as recorded: the header's, then one per run line, with the trial lines that follow it. */
export interface RecordedRun<T = Record<string, unknown>> {
  readonly sampler?: Record<string, unknown>;
  readonly iterations?: number;
  /** The run's first index (the header's run starts at 0). */
  readonly start?: number;
  /** Its direction as recorded (absent: the header's, else 'minimize'). */
  readonly direction?: unknown;
  /** Its trial lines, in the order written, each once (see `readJournal`), as `decode` made them. */
  readonly trials: T[];
}

export interface JournalContents<T = Record<string, unknown>> {
  readonly header: JournalHeader;
  /** The runs in order; the first is the header's. */
  readonly runs: readonly RecordedRun<T>[];
  /** Bytes up to the end of the last complete line: appending starts there. */
  readonly validBytes: number;
  /** True when the last complete line lacks its newline (appending adds one first). */
  readonly missingNewline: boolean;
}

export interface ReadJournalOptions<T> {
  /**
   * Called once with the header, before any trial line: returns what each
   * trial line is kept as (decoding it as it is read, so the encoded lines
   * are never all in memory at once). Throw to refuse the journal.
   * @default each trial line is kept as its parsed JSON object
   */
  readonly decoder?: (header: JournalHeader) => (record: Record<string, unknown>, where: string) => T;
  /**
   * The extension point: called with each line that is a JSON object but
   * neither a trial (`i`) nor a run (`run`) line, in file order. Such lines
   * are otherwise skipped, so a journal written with newer record kinds
   * stays readable; a new kind should name itself with a `"kind"` key.
   */
  readonly onRecord?: (record: Record<string, unknown>, lineNumber: number) => void;
  /** Bytes read at a time (tests read with tiny chunks). @default 1 MiB */
  readonly chunkBytes?: number;
}

/**
 * Reads a journal line by line, never holding more of the file than a
 * chunk and the line being read: a journal of any size resumes. Undefined
 * when the file does not exist or holds no line. A truncated last line (the
 * process died while writing it) is skipped with a warning; any other
 * unreadable line, a trial index outside 0..MAX_TRIAL_INDEX (1e12), or a path
 * that is not a regular file (a FIFO, a device) is an
 * ArgumentError('journal'). A trial line written twice for the same
 * evaluation of one run (same `i`, `resources` and `rung`: two processes
 * resumed the journal at once) is kept once, the first, with a warning.
 */
export function readJournal<T = Record<string, unknown>>(path: string, warn: (message: string) => void, options: ReadJournalOptions<T> = {}): JournalContents<T> | undefined {
  let fd: number;
  try {
    // Non-blocking: opening a FIFO must not wait for a writer before fstat can refuse it.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ArgumentError('journal', `cannot be read (${path}): ${(error as Error).message}`);
  }
  try {
    checkRegularFile(path, fstatSync(fd));
    const reader = new JournalReader<T>(path, warn, options);
    forEachLine(fd, options.chunkBytes ?? 1 << 20, path, (line, bytes, complete) => reader.line(line, bytes, complete));
    return reader.finish();
  } finally {
    closeSync(fd);
  }
}

/** Refuses a journal path that is not a regular file: a FIFO blocks, a device never ends (/dev/zero) or never takes a write (/dev/full). */
export function checkRegularFile(path: string, stats: Stats | undefined = statIfAny(path)): void {
  if (stats === undefined || stats.isFile()) return;
  const kind = stats.isFIFO()
    ? 'a FIFO'
    : stats.isDirectory()
      ? 'a directory'
      : stats.isCharacterDevice() || stats.isBlockDevice()
        ? 'a device'
        : stats.isSocket()
          ? 'a socket'
          : 'not a file';
  throw new ArgumentError('journal', `must be a regular file, but ${path} is ${kind}`);
}

function statIfAny(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined; // missing (created later) or unreadable (the open says why)
  }
}

/** Calls `onLine` with each line (without its newline), decoded as UTF-8 only once whole, so a character split across chunks is intact. */
function forEachLine(fd: number, chunkBytes: number, path: string, onLine: (line: string, bytes: number, complete: boolean) => void): void {
  const chunk = Buffer.allocUnsafe(Math.max(1, chunkBytes));
  let pieces: Buffer[] = []; // the start of a line that goes on in the next chunk
  let pieceBytes = 0;
  for (;;) {
    let got: number;
    try {
      got = readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      throw new ArgumentError('journal', `cannot be read (${path}): ${(error as Error).message}`);
    }
    if (got === 0) break;
    const data = chunk.subarray(0, got);
    let from = 0;
    for (let end = data.indexOf(10, from); end >= 0; end = data.indexOf(10, from)) {
      const tail = data.subarray(from, end);
      const line = pieces.length === 0 ? tail : Buffer.concat([...pieces, tail], pieceBytes + tail.length);
      pieces = [];
      pieceBytes = 0;
      onLine(line.toString('utf8'), line.length + 1, true);
      from = end + 1;
    }
    if (from < got) {
      pieces.push(Buffer.from(data.subarray(from))); // a copy: the chunk is reused
      pieceBytes += got - from;
    }
  }
  if (pieces.length > 0) onLine(Buffer.concat(pieces, pieceBytes).toString('utf8'), pieceBytes, false);
}

/** The reading state: each line as it comes. */
class JournalReader<T> {
  private header: JournalHeader | undefined;
  private readonly runs: RecordedRun<T>[] = [];
  private decode: ((record: Record<string, unknown>, where: string) => T) | undefined;
  private readonly seen = new Set<number | string>();
  private duplicates = 0;
  private lineNumber = 0;
  private validBytes = 0;
  private missingNewline = false;
  /** An unreadable line: fine only if nothing but blank lines follows it (a torn last line). */
  private torn: { lineNumber: number; error: ArgumentError } | undefined;

  constructor(
    private readonly path: string,
    private readonly warn: (message: string) => void,
    private readonly options: ReadJournalOptions<T>,
  ) {}

  line(line: string, bytes: number, complete: boolean): void {
    this.lineNumber++;
    const blank = line.trim() === '';
    if (this.torn) {
      if (blank) return;
      throw this.torn.error;
    }
    if (!blank) {
      const record = parseObject(line);
      if (record === undefined) {
        const error = new ArgumentError(
          'journal',
          `${this.path} line ${this.lineNumber} is not a JSON object${this.header === undefined ? ' (not a hyperopt-rx journal?)' : ''}`,
        );
        if (this.header === undefined) throw error;
        this.torn = { lineNumber: this.lineNumber, error };
        return;
      }
      this.record(record);
    }
    this.validBytes += bytes;
    this.missingNewline = !complete;
  }

  finish(): JournalContents<T> | undefined {
    if (this.torn) this.warn(`hyperopt-rx: journal ${this.path}: skipped the truncated last line ${this.torn.lineNumber} (the run was killed while writing it)`);
    if (this.duplicates > 0) {
      this.warn(
        `hyperopt-rx: journal ${this.path}: skipped ${this.duplicates} trial line(s) written twice for the same evaluation (two processes resumed this journal at once); the first of each stands`,
      );
    }
    if (this.header === undefined) return undefined;
    return { header: this.header, runs: this.runs, validBytes: this.validBytes, missingNewline: this.missingNewline };
  }

  private record(r: Record<string, unknown>): void {
    const path = this.path;
    if (this.header === undefined) {
      if (r.format !== JOURNAL_FORMAT) throw new ArgumentError('journal', `${path} is not a hyperopt-rx journal (its first line has no "format": "${JOURNAL_FORMAT}")`);
      if (r.version !== 1) throw new ArgumentError('journal', `${path} has journal version ${JSON.stringify(r.version)}; this hyperopt-rx reads version 1`);
      this.header = r as unknown as JournalHeader;
      this.decode = this.options.decoder?.(this.header);
      this.runs.push({ sampler: this.header.sampler, iterations: this.header.iterations, start: 0, direction: this.header.direction, trials: [] });
    } else if (Object.hasOwn(r, 'i')) {
      let i: number;
      try {
        // A resume replays the sampler up to the first index: 1e15 would hang it.
        i = checkTrialIndex('i', r.i);
      } catch (error) {
        throw new ArgumentError('journal', `${path} line ${this.lineNumber}: ${(error as Error).message}`);
      }
      // Keyed by number in the common case (no budget): a set of a million small integers is cheap.
      const key = r.resources === undefined && r.rung === undefined ? i : `${i}@${String(r.resources)}@${String(r.rung)}`;
      if (this.seen.has(key)) {
        this.duplicates++;
        return;
      }
      this.seen.add(key);
      const trial = this.decode ? this.decode(r, `journal line ${this.lineNumber}`) : (r as T);
      this.runs[this.runs.length - 1].trials.push(trial);
    } else if (Object.hasOwn(r, 'run')) {
      const run = r.run;
      if (run === null || typeof run !== 'object') throw new ArgumentError('journal', `${path} line ${this.lineNumber}: "run" must be an object`);
      const { sampler, iterations, start, direction } = run as JournalRun['run'];
      this.runs.push({ sampler, iterations, start, direction, trials: [] });
      this.seen.clear(); // a run of the journal() operator may count i from 0 again
    } else this.options.onRecord?.(r, this.lineNumber);
  }
}

function parseObject(line: string): Record<string, unknown> | undefined {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  return record !== null && typeof record === 'object' && !Array.isArray(record) ? (record as Record<string, unknown>) : undefined;
}

/** Throws ArgumentError('journal') when the journal was written for another space. */
export function checkJournalSpace(path: string, contents: { readonly header: JournalHeader }, space: Space): void {
  checkHeaderSpace(path, contents.header, space);
}

/** The same check on a header alone (as a `decoder` sees it, before any trial is read). */
export function checkHeaderSpace(path: string, header: JournalHeader, space: Space): void {
  const current = describeSpace(space);
  if (!sameSpace(header.space, current)) {
    throw new ArgumentError('journal', `${path} was written for another space: ${spaceDifference(header.space, current)}`);
  }
}

/** The latest recorded sampler description: that of the last resumed run, else the header's. */
export function recordedSampler(contents: JournalContents<unknown>): Record<string, unknown> | undefined {
  for (let k = contents.runs.length - 1; k >= 0; k--) if (contents.runs[k].sampler) return contents.runs[k].sampler;
  return contents.header.sampler;
}

/** The direction the journal's runs were made in: the last one recorded, else 'minimize' (journals before the option). */
export function recordedDirection(contents: JournalContents<unknown>): Direction {
  for (let k = contents.runs.length - 1; k >= 0; k--) {
    const direction = contents.runs[k].direction;
    if (direction === 'minimize' || direction === 'maximize') return direction;
  }
  return 'minimize';
}

/** Throws ArgumentError('direction') when the journal was written by runs of the other direction: their values would be ranked backwards. */
export function checkJournalDirection(path: string, contents: JournalContents<unknown>, direction: Direction): void {
  const recorded = recordedDirection(contents);
  if (recorded !== direction) {
    throw new ArgumentError(
      'direction',
      `is '${direction}', but ${path} was written by a run with direction '${recorded}': a journal keeps one direction (pass direction: '${recorded}', or use another journal)`,
    );
  }
}

/** An open journal: one line per call, on disk when the call returns. */
export interface JournalWriter {
  /** Appends one record as a line. Any JSON object: trial and run lines, or another kind (see `onRecord`). */
  append(record: object): void;
  /** Closes the file and releases the lock; idempotent. */
  close(): void;
}

/**
 * Opens a journal for appending; the caller holds its lock (`lockJournal`),
 * and `release` (which closing calls) gives it back. A truncated last line is cut off first, so
 * the next line starts clean. Each line is written whole before `append`
 * returns (a short write is continued); with `fsync` it is also flushed to
 * the device (survives a power loss, not only a killed process). A failed
 * write (a full disk) throws an error naming the journal, and every later
 * append throws it again.
 */
export function openJournal(path: string, contents: JournalContents<unknown> | undefined, fsync: boolean, release: () => void): JournalWriter {
  let fd: number;
  try {
    checkRegularFile(path);
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    release();
    if (error instanceof ArgumentError) throw error;
    throw new ArgumentError('journal', `cannot be opened for writing (${path}): ${(error as Error).message}`);
  }
  let failure: Error | undefined;
  const write = (text: string): void => {
    if (failure) throw failure;
    try {
      const bytes = Buffer.from(text, 'utf8');
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
      if (fsync) fdatasyncSync(fd);
    } catch (error) {
      failure = new Error(`hyperopt-rx: cannot write the journal ${path}: ${(error as Error).message}`, { cause: error });
      throw failure;
    }
  };
  let open = true;
  const close = (): void => {
    if (!open) return;
    open = false;
    try {
      closeSync(fd);
    } finally {
      release();
    }
  };
  try {
    checkRegularFile(path, fstatSync(fd));
    // Cut a torn tail off, so the next line does not glue onto half a record.
    if (contents && fstatSync(fd).size > contents.validBytes) ftruncateSync(fd, contents.validBytes);
    if (contents?.missingNewline) write('\n');
  } catch (error) {
    close();
    throw error instanceof ArgumentError ? error : new ArgumentError('journal', `cannot be opened for writing (${path}): ${(error as Error).message}`);
  }
  return {
    append(record: object): void {
      if (open) write(JSON.stringify(record) + '\n');
    },
    close,
  };
}
