import { ArgumentError } from '../ArgumentError.js';
import type { Sampler } from '../samplers/Sampler.js';
import type { Space } from '../space/Space.js';
import { checkSpace } from '../space/checkSpace.js';
import { checkSampler } from '../samplers/internal/checkSampler.js';
import { show } from '../internal/check.js';
import { Hyperoptimizer } from '../sinks/Hyperoptimizer.js';
import { decodeTrial, spaceFromDescription } from '../sinks/internal/trialCodec.js';
import { checkJournalSpace, readJournal, recordedSampler } from './internal/journalFile.js';
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
 * Reads a journal (see `journal`) into a Hyperoptimizer to inspect, plot or
 * continue (`hyperopt({ ho })`). A truncated last line is skipped with a
 * warning; a missing file, a file that is not a journal, or a journal of
 * another space is an ArgumentError('journal').
 *
 * ## Example
 * ```ts
 * import { loadJournal } from 'hyperopt-rx/node';
 * const ho = await loadJournal('run.jsonl');
 * console.log(ho.toString());
 * ```
 */
export async function loadJournal<S extends Space = Space>(path: string, options: LoadJournalOptions<S> = {}): Promise<Hyperoptimizer> {
  if (typeof path !== 'string' || path === '') throw new ArgumentError('journal', `must be a file path, got ${show(path)}`);
  const warn = options.onWarning ?? console.warn;
  const contents = readJournal(path, warn);
  if (contents === undefined) throw new ArgumentError('journal', `${path} does not exist or holds no journal`);
  let space: Space;
  if (options.space !== undefined) {
    space = checkSpace(options.space);
    checkJournalSpace(path, contents, space);
  } else space = checkSpace(spaceFromDescription(contents.header.space, 'journal.space'), 'journal.space');
  const sampler = options.sampler !== undefined ? checkSampler('sampler', options.sampler) : ((await samplerFromJSON(recordedSampler(contents))) ?? undefined);
  const trials = contents.trials.map((t, k) => decodeTrial(space, t, `journal trial ${k}`));
  // The runs' planned sizes add up (a later run continues an earlier one).
  const planned = contents.runs.reduce((n, r) => n + (r.iterations ?? r.trials.length), 0);
  const ho = new Hyperoptimizer({ space, iterations: Math.max(1, planned, trials.length), sampler });
  for (const t of trials) ho.record(t);
  return ho;
}
