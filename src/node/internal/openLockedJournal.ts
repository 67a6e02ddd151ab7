import type { Sampler } from '../../samplers/Sampler.js';
import type { Direction } from '../../trial/Direction.js';
import { checkRegularFile, readJournal, type JournalContents, type JournalRun, type JournalWriter, type ReadJournalOptions } from './journalFile.js';
import { lockJournal } from './journalLock.js';
import { openJournalFor, type CheckedJournalOptions } from './journalOptions.js';

/** What a new journal's header records: decided once the journal is read (a resumed run may rebuild its sampler). */
export interface JournalPlan {
  readonly sampler?: Sampler;
  readonly iterations?: number;
  /** The run's direction, once known (a resumed run takes the journal's). @default the options' */
  readonly direction?: Direction;
  /** The line to start this call's part of an existing journal with. @default none */
  readonly continuing?: JournalRun;
}

export interface LockedJournal<T, P> {
  /** The journal as read; undefined for a new one. */
  readonly contents: JournalContents<T> | undefined;
  /** What `plan` returned. */
  readonly plan: P;
  /** Appends to the journal; closing it releases the lock. */
  readonly writer: JournalWriter;
}

/**
 * The one read of a journal that a run writes: locks it (one writer per
 * journal), reads it, lets `plan` decide from what was read, and opens it
 * for appending, a new one with its header (an existing one with
 * `plan`'s `continuing` line, if any). The lock is held until the
 * writer closes and this process cannot take it twice, so nothing can read
 * the journal again for the same run. A path that is not a regular file is
 * refused before the lock (no lock file beside a FIFO or a device); on any
 * failure the lock is given back.
 */
export function openLockedJournal<T, P extends JournalPlan>(
  options: CheckedJournalOptions,
  read: ReadJournalOptions<T>,
  plan: (contents: JournalContents<T> | undefined) => P,
): LockedJournal<T, P> {
  checkRegularFile(options.path);
  const release = lockJournal(options.path);
  try {
    const contents = readJournal<T>(options.path, options.onWarning, read);
    const planned = plan(contents);
    const writer = openJournalFor(
      { ...options, sampler: planned.sampler, iterations: planned.iterations, direction: planned.direction ?? options.direction },
      contents,
      release,
      planned.continuing,
    );
    return { contents, plan: planned, writer };
  } catch (error) {
    release();
    throw error;
  }
}
