import type { Observable } from 'rxjs';
import type { HyperoptOptions, RunParams } from './HyperoptOptions.js';
import type { Hyperoptimizer } from '../sinks/Hyperoptimizer.js';
import type { Objective } from '../trial/Objective.js';
import type { Trial } from '../trial/Trial.js';
import type { ParamsOf, Space } from '../space/Space.js';
import { checkHyperoptOptions } from './internal/checkHyperoptOptions.js';
import { run$ } from './internal/run$.js';

/**
 * The optimization as a stream: each finished trial, as it finishes. The
 * sampler draws a candidate only when a slot is free and after seeing every
 * result so far. Throws ArgumentError synchronously for bad options. With
 * `ho`, each trial is also recorded into it as it finishes (continuation),
 * and each subscription goes on from where `ho` is at that moment.
 *
 * ## Example
 * ```ts
 * import { hyperopt$, linrange } from 'hyperopt-rx';
 * hyperopt$({ space: { x: linrange(-2, 2, 101) }, iterations: 20, progress: false }, ({ x }) => x * x)
 *   .subscribe((trial) => console.log(trial.i, trial.params.x, trial.value));
 * ```
 * @see hyperopt
 */
export function hyperopt$<S extends Space = Space, St = unknown, H extends Hyperoptimizer = Hyperoptimizer<ParamsOf<S>>>(
  options: HyperoptOptions<S, NoInfer<RunParams<S, H>>> & { readonly ho?: H },
  objective: Objective<RunParams<S, H>, St>,
): Observable<Trial<RunParams<S, H>, St>> {
  const checked = checkHyperoptOptions(options, objective as Objective);
  return run$(checked, objective, checked.ho);
}
