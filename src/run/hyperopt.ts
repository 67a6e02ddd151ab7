import { lastValueFrom } from 'rxjs';
import type { HyperoptOptions, RunParams } from './HyperoptOptions.js';
import type { Objective } from '../trial/Objective.js';
import type { ParamsOf, Space } from '../space/Space.js';
import { checkHyperoptOptions } from './internal/checkHyperoptOptions.js';
import { Hyperoptimizer } from '../sinks/Hyperoptimizer.js';
import { run$ } from './internal/run$.js';
import { runFailure } from './internal/runFailure.js';

/**
 * Minimises `objective` over `space` (maximises it with `direction: 'maximize'`) and resolves with the Hyperoptimizer.
 * Bad options reject with an ArgumentError before any objective runs. With
 * `onError: 'fail'` (default) an objective's error rejects the promise with
 * an Error of the same message whose `cause` is the objective's error and
 * whose `ho` keeps every finished trial (the failed one too); a sampler's
 * error rejects the same way. On abort the promise resolves with what
 * finished.
 *
 * ## Example
 * ```ts
 * import { hyperopt, linrange, explinrange } from 'hyperopt-rx';
 * const ho = await hyperopt(
 *   { space: { a: linrange(1, 5, 1000), b: [true, false], c: explinrange(-1, 3, 1000) }, iterations: 50 },
 *   ({ a, b, c }) => 100 + (a - 3) ** 2 + (b ? 10 : 20) + (c - 100) ** 2,
 * );
 * ho.printmin();
 * ```
 * @see hyperopt$
 */
export async function hyperopt<S extends Space = Space, St = unknown, H extends Hyperoptimizer = Hyperoptimizer<ParamsOf<S>>>(
  options: HyperoptOptions<S, NoInfer<RunParams<S, H>>> & { readonly ho?: H },
  objective: Objective<RunParams<S, H>, St>,
): Promise<Hyperoptimizer<RunParams<S, H>>> {
  const checked = checkHyperoptOptions(options, objective as Objective);
  const ho = (checked.ho ??
    new Hyperoptimizer({ space: checked.space, iterations: checked.iterations, sampler: checked.sampler, direction: checked.direction })) as Hyperoptimizer<RunParams<S, H>>;
  try {
    await lastValueFrom(run$(checked, objective, ho), { defaultValue: undefined });
  } catch (error) {
    throw runFailure(error, ho);
  }
  return ho;
}
