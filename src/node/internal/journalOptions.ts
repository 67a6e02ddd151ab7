import { ArgumentError } from '../../ArgumentError.js';
import { checkSpace } from '../../space/checkSpace.js';
import type { Sampler } from '../../samplers/Sampler.js';
import type { Space } from '../../space/Space.js';
import { checkPositiveInteger, show } from '../../internal/check.js';
import { describeSpace } from '../../sinks/internal/trialCodec.js';
import type { JournalOptions } from '../journal.js';
import { checkJournalSpace, JOURNAL_FORMAT, openJournal, type JournalContents, type JournalWriter } from './journalFile.js';

export interface CheckedJournalOptions {
  readonly path: string;
  readonly space: Space;
  readonly sampler?: Sampler;
  readonly iterations?: number;
  readonly fsync: boolean;
  readonly onWarning: (message: string) => void;
}

export function checkJournalOptions(path: unknown, options: JournalOptions): CheckedJournalOptions {
  if (typeof path !== 'string' || path === '') throw new ArgumentError('journal', `must be a file path, got ${show(path)}`);
  if (options === null || typeof options !== 'object') throw new ArgumentError('options', `must be an object with the space, got ${show(options)}`);
  const space = checkSpace(options.space);
  if (options.iterations !== undefined) checkPositiveInteger('iterations', options.iterations);
  if (options.fsync !== undefined && typeof options.fsync !== 'boolean') throw new ArgumentError('fsync', `must be a boolean, got ${show(options.fsync)}`);
  if (options.onWarning !== undefined && typeof options.onWarning !== 'function') throw new ArgumentError('onWarning', `must be a function, got ${show(options.onWarning)}`);
  return { path, space, sampler: options.sampler, iterations: options.iterations, fsync: options.fsync ?? false, onWarning: options.onWarning ?? console.warn };
}

/**
 * Opens the journal for one run: a new file gets its header; an existing one
 * (checked against the space) gets a run line when a new run starts
 * (`newRun`, with its first index when known), nothing when the last run
 * resumes.
 */
export function openJournalFor(options: CheckedJournalOptions, contents: JournalContents | undefined, newRun: { start?: number } | false = {}): JournalWriter {
  if (contents) checkJournalSpace(options.path, contents, options.space);
  const writer = openJournal(options.path, contents, options.fsync);
  const sampler = options.sampler?.toJSON?.() ?? (options.sampler ? { name: options.sampler.name } : undefined);
  const now = new Date().toISOString();
  if (contents) {
    if (newRun) writer.append({ run: { sampler, iterations: options.iterations, start: newRun.start, started: now } });
  } else writer.append({ format: JOURNAL_FORMAT, version: 1, space: describeSpace(options.space), sampler, iterations: options.iterations, created: now });
  return writer;
}
