import { median as ssMedian } from 'simple-statistics';
import { ArgumentError } from '../base/ArgumentError.js';
import { checkOptions, show } from '../base/check.js';
import type { Pruner, PruneRule } from './Pruner.js';

export interface MedianPrunerOptions {
  /** No pruning until a step has values from this many other configurations. @default 5 */
  readonly startupTrials?: number;
  /** No pruning at steps up to this one (early values are noisy). @default 0 */
  readonly warmupSteps?: number;
}

/**
 * The median rule for streaming objectives: at each step, a configuration
 * whose best value so far is worse than the median of the values other
 * configurations had at the same step is pruned. Every configuration that
 * reached the step counts, finished or still running (Optuna's
 * `MedianPruner` counts finished ones only), so under concurrency it can
 * prune from the first wave on. NaN is pruned.
 *
 * ## Example
 * ```ts
 * import { hyperopt, RandomSampler, withPruner, medianPruner, linrange } from 'hyperopt-rx';
 * import { range, map } from 'rxjs';
 * const ho = await hyperopt(
 *   { space: { x: linrange(0, 1, 101) }, iterations: 30,
 *     sampler: withPruner(new RandomSampler({ seed: 1 }), medianPruner({ startupTrials: 3 })) },
 *   ({ x }) => range(1, 20).pipe(map((epoch) => x + 1 / epoch)),
 * );
 * console.log(ho.trials.filter((t) => t.status === 'pruned').length, 'pruned');
 * ```
 * @see successiveHalvingPruner
 */
export function medianPruner(options: MedianPrunerOptions = {}): Pruner {
  checkOptions('medianPruner', options, ['startupTrials', 'warmupSteps']);
  const startupTrials = nonNegativeInteger('startupTrials', options.startupTrials ?? 5);
  const warmupSteps = nonNegativeInteger('warmupSteps', options.warmupSteps ?? 0);
  return {
    name: 'medianPruner',
    toJSON: () => ({ name: 'medianPruner', startupTrials, warmupSteps }),
    start(): PruneRule {
      const atStep: number[][] = []; // values reported at each step, by any configuration
      const best = new Map<number, number>();
      return (i, value, step) => {
        const own = Math.min(best.get(i) ?? Infinity, value);
        best.set(i, Number.isNaN(value) ? NaN : own);
        const others = (atStep[step] ??= []);
        const prune = Number.isNaN(value) || (step > warmupSteps && others.length >= Math.max(1, startupTrials) && own > median(others));
        others.push(value);
        return prune;
      };
    },
  };
}

/** The median of the values that are numbers; NaN for none (simple-statistics throws on an empty list). */
function median(values: readonly number[]): number {
  const numbers = values.filter((v) => !Number.isNaN(v));
  return numbers.length === 0 ? NaN : ssMedian(numbers);
}

function nonNegativeInteger(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new ArgumentError(option, `must be a non-negative integer, got ${show(value)}`);
  return value;
}
