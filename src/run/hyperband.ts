import type { Objective } from '../trial/Objective.js';
import { ArgumentError } from '../base/ArgumentError.js';
import { hyperopt } from './hyperopt.js';
import type { Progress } from '../sinks/Progress.js';
import type { Hyperoptimizer } from '../sinks/Hyperoptimizer.js';
import type { ParamsOf, Space } from '../space/Space.js';
import { Hyperband } from '../multifidelity/Hyperband.js';
import type { Sampler } from '../samplers/Sampler.js';
import { checkKnownKeys, show } from '../base/check.js';
import type { Direction } from '../trial/Direction.js';

export interface HyperbandRunOptions<S extends Space = Space> {
  /** The largest budget one configuration gets. At least 1. */
  readonly maxResource: number;
  /** Reduction factor η, above 1. @default 3 */
  readonly eta?: number;
  /** Draws fresh configurations. @default new RandomSampler() */
  readonly inner?: Sampler;
  /** Asynchronous successive halving (ASHA) instead of synchronous rungs. @default false */
  readonly asynchronous?: boolean;
  /** Whole Hyperband iterations (all brackets). @default 1 */
  readonly iterations?: number;
  /** Objectives in flight at once. @default 1 */
  readonly concurrency?: number;
  /** Abort: in-flight trials are cancelled and the promise resolves with what finished. */
  readonly signal?: AbortSignal;
  /** Continue this optimizer with another Hyperband iteration. */
  readonly ho?: Hyperoptimizer<ParamsOf<S>>;
  /** 'fail': reject on the objective's error; 'skip': record a failed trial. @default 'fail' */
  readonly onError?: 'fail' | 'skip';
  /** 'maximize': the rungs keep the largest values (accuracy); trials keep your value. @default 'minimize' */
  readonly direction?: Direction;
  /** Your own progress display, or none (the terminal bar comes with `hyperopt-rx/node`'s `hyperband`). @default false */
  readonly progress?: false | Progress;
}

/**
 * Hyperopt.jl's function interface to Hyperband: `objective(params, trial)`
 * gets `trial.resources` and, for a promoted configuration, the `trial.state`
 * it returned at its previous rung; it returns `{ value, state }` (or a
 * number). Same as `hyperopt({ space, sampler: new Hyperband({ maxResource, eta, inner }) }, objective)`.
 *
 * ## Example
 * ```ts
 * import { hyperband, linrange } from 'hyperopt-rx';
 * const ho = await hyperband(
 *   ({ a }, { resources, state }) => {
 *     let x = (state as number | undefined) ?? a; // resume from the state, or start at the sampled a
 *     for (let k = 0; k < resources!; k++) x -= 0.1 * 2 * (x - 3); // `resources` gradient steps on (x - 3)^2
 *     return { value: (x - 3) ** 2, state: x };
 *   },
 *   { a: linrange(-10, 10, 201) },
 *   { maxResource: 50, eta: 3 },
 * );
 * console.log(ho.trials.length, ho.minimum); // 69 evaluations, close to 0
 * ```
 * @see Hyperband
 */
export async function hyperband<S extends Space, St = unknown>(
  objective: Objective<ParamsOf<S>, St>,
  space: S,
  options: HyperbandRunOptions<S>,
): Promise<Hyperoptimizer<ParamsOf<S>>> {
  if (options === null || typeof options !== 'object')
    throw new ArgumentError('maxResource', `is required: hyperband(objective, space, { maxResource }), got options ${show(options)}`);
  checkKnownKeys('options', options, ['maxResource', 'eta', 'inner', 'asynchronous', 'iterations', 'concurrency', 'signal', 'ho', 'onError', 'progress', 'direction']);
  const { maxResource, eta, inner, asynchronous, ...run } = options;
  const sampler = new Hyperband({ maxResource, eta, inner, asynchronous });
  return hyperopt({ ...run, space, sampler }, objective);
}
