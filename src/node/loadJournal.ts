import { ArgumentError } from '../base/ArgumentError.js';
import type { Sampler } from '../samplers/Sampler.js';
import type { Space } from '../space/Space.js';
import { checkSpace } from '../space/checkSpace.js';
import { checkSampler } from '../samplers/internal/checkSampler.js';
import { checkFunction, checkOptions } from '../base/check.js';
import type { Trial } from '../trial/Trial.js';
import { Hyperoptimizer } from '../sinks/Hyperoptimizer.js';
import { decodeTrial } from '../sinks/internal/trialCodec.js';
import { spaceFromDescription } from '../space/describeSpace.js';
import { checkJournalSpace, readJournal, recordedDirection, recordedSampler } from './internal/journalFile.js';
import { checkJournalPath } from './internal/journalOptions.js';
import { samplerFromJSON } from './internal/samplerFromJSON.js';

export interface LoadJournalOptions<S extends Space = Space> {
  /**
   * The space the journal was written for: params come back as the very
   * elements of its vectors (functions and objects included). Another space
   * is an ArgumentError('journal').
   * @default the space rebuilt from the journal's header (JSON values; functions only by name)
   */
  readonly space?: S;
  /** The returned optimizer's sampler. @default rebuilt from the journal (same class and seed), else a RandomSampler */
  readonly sampler?: Sampler;
  /** Where warnings go (a skipped truncated last line). @default console.warn */
  readonly onWarning?: (message: string) => void;
}

/**
 * Reads a journal (see `journal`) into a Hyperoptimizer (in its recorded direction) to inspect, plot or
 * continue (`hyperopt({ ho })`). A truncated last line is skipped with a
 * warning, and a trial written twice (two runs on one journal) is kept once;
 * a missing file, a file that is not a journal, a path that is not a
 * regular file, a trial index outside 0..1e12, or a journal of another
 * space is an ArgumentError('journal'). The file is read line by line, so
 * a journal of any size loads.
 *
 * ## Example
 * ```ts
 * import { loadJournal } from 'hyperopt-rx/node';
 * const ho = await loadJournal('run.jsonl');
 * console.log(ho.toString());
 * ```
 */
export async function loadJournal<S extends Space = Space>(path: string, options: LoadJournalOptions<S> = {}): Promise<Hyperoptimizer> {
  checkJournalPath(path);
  checkOptions('loadJournal', options, ['space', 'sampler', 'onWarning']);
  const given = options.space === undefined ? undefined : checkSpace(options.space);
  const sampler = options.sampler === undefined ? undefined : checkSampler('sampler', options.sampler);
  if (options.onWarning !== undefined) checkFunction('onWarning', options.onWarning);
  let space: Space | undefined;
  // Each trial line is decoded as it is read: the encoded lines are never all in memory.
  const contents = readJournal<Trial>(path, options.onWarning ?? console.warn, {
    decoder: (header) => {
      if (given !== undefined) checkJournalSpace(path, { header }, given);
      const s = given ?? checkSpace(spaceFromDescription(header.space, 'journal.space'), 'journal.space');
      space = s;
      return (record, where) => decodeTrial(s, record, where);
    },
  });
  if (contents === undefined || space === undefined) throw new ArgumentError('journal', `${path} does not exist or holds no journal`);
  // The runs' planned sizes add up (a later run continues an earlier one).
  let planned = 0;
  let count = 0;
  for (const run of contents.runs) {
    planned += run.iterations ?? run.trials.length;
    count += run.trials.length;
  }
  const ho = new Hyperoptimizer({
    space,
    iterations: Math.max(1, planned, count),
    sampler: sampler ?? samplerFromJSON(recordedSampler(contents)),
    direction: recordedDirection(contents),
  });
  for (const run of contents.runs) for (const t of run.trials) ho.record(t);
  return ho;
}
