import { ArgumentError } from '../../base/ArgumentError.js';
import { checkSpace } from '../../space/checkSpace.js';
import type { Sampler } from '../../samplers/Sampler.js';
import type { Space } from '../../space/Space.js';
import { checkOptions, checkPositiveInteger, show } from '../../base/check.js';
import { describeSpace } from '../../space/describeSpace.js';
import type { JournalOptions } from '../JournalOptions.js';
import type { Direction } from '../../trial/Direction.js';
import { checkDirection } from '../../trial/internal/lossView.js';
import { JOURNAL_FORMAT, openJournal, type JournalContents, type JournalHeader, type JournalRun, type JournalWriter } from './journalFile.js';

export interface CheckedJournalOptions {
  readonly path: string;
  readonly space: Space;
  readonly sampler?: Sampler;
  readonly iterations?: number;
  /** Recorded in the header and run lines. @default 'minimize' */
  readonly direction?: Direction;
  readonly fsync: boolean;
  readonly onWarning: (message: string) => void;
}

/** The journal path: a non-empty string, else an ArgumentError naming `option`. */
export function checkJournalPath(path: unknown, option = 'journal'): string {
  if (typeof path !== 'string' || path === '') throw new ArgumentError(option, `must be a file path, got ${show(path)}`);
  return path;
}

/** `journal`: a path or { path, fsync }, checked once. */
export function checkJournal(journal: unknown): { path: string; fsync: boolean } {
  if (typeof journal === 'string') return { path: checkJournalPath(journal), fsync: false };
  if (journal !== null && typeof journal === 'object' && !Array.isArray(journal)) {
    checkOptions('journal', journal, ['path', 'fsync']);
    const { path, fsync } = journal as { path: unknown; fsync?: unknown };
    if (fsync !== undefined && typeof fsync !== 'boolean') throw new ArgumentError('journal.fsync', `must be a boolean, got ${show(fsync)}`);
    return { path: checkJournalPath(path, 'journal.path'), fsync: fsync ?? false };
  }
  throw new ArgumentError('journal', `must be a file path or { path, fsync }, got ${show(journal)}`);
}

export function checkJournalOptions(path: unknown, options: JournalOptions): CheckedJournalOptions {
  checkJournalPath(path);
  checkOptions('journal', options, ['space', 'sampler', 'iterations', 'direction', 'fsync', 'onWarning']);
  const space = checkSpace(options.space);
  if (options.iterations !== undefined) checkPositiveInteger('iterations', options.iterations);
  if (options.fsync !== undefined && typeof options.fsync !== 'boolean') throw new ArgumentError('fsync', `must be a boolean, got ${show(options.fsync)}`);
  if (options.onWarning !== undefined && typeof options.onWarning !== 'function') throw new ArgumentError('onWarning', `must be a function, got ${show(options.onWarning)}`);
  const direction = checkDirection(options.direction ?? 'minimize');
  return {
    path: path as string,
    space,
    sampler: options.sampler,
    iterations: options.iterations,
    direction,
    fsync: options.fsync ?? false,
    onWarning: options.onWarning ?? console.warn,
  };
}

/** A sampler as a journal records it: its `toJSON()` (seed included), else its name. */
export function describeSampler(sampler: Sampler | undefined): Record<string, unknown> | undefined {
  return (sampler?.toJSON?.() as Record<string, unknown> | undefined) ?? (sampler ? { name: sampler.name } : undefined);
}

/**
 * Opens the journal for one call (its lock held; `release` gives it back
 * on close) and writes its first line of this call: a new file gets its
 * header, from `options`' sampler and iterations; an existing one, which
 * must have been checked against the space, gets `continuing` if given (a
 * run line). A failed write closes it.
 */
export function openJournalFor(options: CheckedJournalOptions, contents: JournalContents<unknown> | undefined, release: () => void, continuing?: JournalRun): JournalWriter {
  const writer = openJournal(options.path, contents, options.fsync, release);
  const first = contents ? continuing : header(options);
  if (first) {
    try {
      writer.append(first);
    } catch (error) {
      writer.close();
      throw error;
    }
  }
  return writer;
}

function header(options: CheckedJournalOptions): JournalHeader {
  return {
    format: JOURNAL_FORMAT,
    version: 1,
    space: describeSpace(options.space),
    sampler: describeSampler(options.sampler),
    iterations: options.iterations,
    direction: options.direction ?? 'minimize',
    created: new Date().toISOString(),
  };
}

/** The line that starts a new run on an existing journal. */
export function runLine(sampler: Sampler | undefined, iterations: number | undefined, start: number | undefined, direction: Direction = 'minimize'): JournalRun {
  return { run: { sampler: describeSampler(sampler), iterations, start, direction, started: new Date().toISOString() } };
}
