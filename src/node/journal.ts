import { defer, finalize, tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { Trial } from '../trial/Trial.js';
import { trialEncoder } from '../sinks/internal/trialCodec.js';
import { failedTrialOf } from '../trial/internal/startTrial.js';
import { checkJournalDirection, checkJournalSpace, type JournalHeader, type JournalWriter } from './internal/journalFile.js';
import type { JournalOptions } from './JournalOptions.js';
import { checkJournalOptions, runLine, type CheckedJournalOptions } from './internal/journalOptions.js';
import { openLockedJournal } from './internal/openLockedJournal.js';

/**
 * Appends each trial that passes through to a JSON-lines journal, one line
 * per trial, written before the trial goes on downstream: a process killed
 * at any moment loses only the trials still in flight. A new file starts
 * with a header line (format, space, sampler, direction); an existing journal must
 * have been written for the same space (else an ArgumentError('journal')
 * errors the stream) and direction (else an ArgumentError('direction')) and
 * is appended to, after a run line. While
 * subscribed, the journal is locked (`<path>.lock`, holding the pid): a
 * second writer gets an ArgumentError('journal') naming the holder, and a
 * lock left by a dead process is taken over. A path that is not a regular
 * file is an ArgumentError('journal'); a failed write (a full disk) errors
 * the stream after the trials before it are on disk.
 *
 * Candidate-vector values are written as `{ "index": k }`, range values as
 * numbers, NaN as null, errors as their message, and `state` when JSON can
 * carry it. Read it back with `loadJournal`; `hyperopt({ journal })` from
 * `hyperopt-rx/node` resumes from it.
 *
 * ## Example
 * ```ts
 * import { hyperopt$, RandomSampler, linrange } from 'hyperopt-rx';
 * import { journal } from 'hyperopt-rx/node';
 * const space = { x: linrange(-2, 2, 101) };
 * const sampler = new RandomSampler({ seed: 1 });
 * hyperopt$({ space, sampler, iterations: 20 }, ({ x }) => x * x)
 *   .pipe(journal('run.jsonl', { space, sampler }))
 *   .subscribe();
 * ```
 * @see loadJournal
 */
export function journal<T extends Trial>(path: string, options: JournalOptions): MonoTypeOperatorFunction<T> {
  const checked = checkJournalOptions(path, options);
  return (trials$) =>
    defer(() => {
      const writer = openLocked(checked);
      const encode = trialEncoder(checked.space);
      return trials$.pipe(
        tap({
          next: (trial) => writer.append(encode(trial)),
          // onError 'fail': the trial that failed travels with the error; it finished, so it is journaled too.
          error: (error) => {
            const failed = failedTrialOf(error);
            try {
              if (failed) writer.append(encode(failed));
            } catch {
              // the journal cannot take it (a full disk): the objective's error is the one to report
            }
          },
        }),
        finalize(() => writer.close()),
      );
    });
}

/** Opens the journal through its one read (checking the space); an existing one gets a run line first. */
function openLocked(options: CheckedJournalOptions): JournalWriter {
  const decoder = (header: JournalHeader) => (checkJournalSpace(options.path, { header }, options.space), () => undefined);
  return openLockedJournal(options, { decoder }, (contents) => {
    if (contents) checkJournalDirection(options.path, contents, options.direction ?? 'minimize');
    return { ...options, continuing: contents && runLine(options.sampler, options.iterations, undefined, options.direction) };
  }).writer;
}
