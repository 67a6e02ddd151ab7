import type { RunParams } from '../run/HyperoptOptions.js';
import type { Objective } from '../trial/Objective.js';
import type { ParamsOf, Space } from '../space/Space.js';
import type { Hyperoptimizer } from '../sinks/Hyperoptimizer.js';
import { hyperoptWithJournal } from './internal/hyperoptWithJournal.js';
import type { NodeHyperoptOptions } from './NodeHyperoptOptions.js';

export type { NodeHyperoptOptions } from './NodeHyperoptOptions.js';

/**
 * `hyperopt` with a journal (Node only; re-exported by `hyperopt-rx/node`).
 * Without `journal` it is the core `hyperopt`. With it, each trial is
 * appended to the file as it finishes, and the same call on an existing
 * journal resumes: `iterations` counts the whole journaled run, so the rerun
 * does only what is left. Resuming runs the recorded run again with the
 * recorded sampler (class and seed, rebuilt from the journal) and answers
 * every evaluation the journal holds from it instead of calling the
 * objective: RandomSampler and LHSampler draw the same sequence, Hyperband
 * goes through the same brackets, rungs and promotions (mid-bracket
 * included), BOHB refits its model on the recorded results, and only what
 * never finished (or was in flight when the process died) is evaluated.
 * More `iterations` than recorded starts a new run after it (`i` goes on
 * counting, like `ho` continuation). A journal written for another space is
 * an ArgumentError('journal').
 *
 * ## Example
 * ```ts
 * import { hyperopt } from 'hyperopt-rx/node';
 * import { linrange } from 'hyperopt-rx';
 * // Kill it and run it again: it continues where it stopped.
 * const ho = await hyperopt(
 *   { space: { x: linrange(-2, 2, 401) }, iterations: 100, journal: 'run.jsonl' },
 *   async ({ x }) => x * x,
 * );
 * console.log(ho.trials.length); // Logs: 100
 * ```
 * @see loadJournal
 */
export async function hyperopt<S extends Space = Space, St = unknown, H extends Hyperoptimizer = Hyperoptimizer<ParamsOf<S>>>(
  options: NodeHyperoptOptions<S, NoInfer<RunParams<S, H>>> & { readonly ho?: H },
  objective: Objective<RunParams<S, H>, St>,
): Promise<Hyperoptimizer<RunParams<S, H>>> {
  return hyperoptWithJournal(options as NodeHyperoptOptions, objective as Objective) as Promise<Hyperoptimizer<RunParams<S, H>>>;
}
