import { ArgumentError } from '../base/ArgumentError.js';
import { checkOptions, show } from '../base/check.js';
import type { Pruner, PruneRule } from './Pruner.js';
import { insertSorted } from './internal/insertSorted.js';

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
 * import { hyperopt, RandomSampler, withPruner, MedianPruner, linrange } from 'hyperopt-rx';
 * import { range, map } from 'rxjs';
 * const ho = await hyperopt(
 *   { space: { x: linrange(0, 1, 101) }, iterations: 30,
 *     sampler: withPruner(new RandomSampler({ seed: 1 }), new MedianPruner({ startupTrials: 3 })) },
 *   ({ x }) => range(1, 20).pipe(map((epoch) => x + 1 / epoch)),
 * );
 * console.log(ho.trials.filter((t) => t.status === 'pruned').length, 'pruned');
 * ```
 * @see SuccessiveHalvingPruner
 */
export class MedianPruner implements Pruner {
  readonly name = 'MedianPruner';
  readonly startupTrials: number;
  readonly warmupSteps: number;

  constructor(options: MedianPrunerOptions = {}) {
    checkOptions('MedianPruner', options, ['startupTrials', 'warmupSteps']);
    this.startupTrials = nonNegativeInteger('startupTrials', options.startupTrials ?? 5);
    this.warmupSteps = nonNegativeInteger('warmupSteps', options.warmupSteps ?? 0);
  }

  start(): PruneRule {
    const { warmupSteps } = this;
    const startupTrials = Math.max(1, this.startupTrials);
    const reported: number[] = []; // how many values were reported at each step, NaN included
    const sorted: number[][] = []; // the numbers reported at each step, ascending: the median in O(1)
    const best = new Map<number, number>();
    return (i, value, step) => {
      const own = Math.min(best.get(i) ?? Infinity, value);
      best.set(i, Number.isNaN(value) ? NaN : own);
      const others = reported[step] ?? 0;
      const numbers = (sorted[step] ??= []);
      const prune = Number.isNaN(value) || (step > warmupSteps && others >= startupTrials && own > median(numbers));
      reported[step] = others + 1;
      if (!Number.isNaN(value)) insertSorted(numbers, value);
      return prune;
    };
  }

  toJSON(): object {
    return { name: this.name, startupTrials: this.startupTrials, warmupSteps: this.warmupSteps };
  }
}

/** The median of ascending numbers; NaN for none. */
function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const half = n >> 1;
  return n % 2 === 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
}

function nonNegativeInteger(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new ArgumentError(option, `must be a non-negative integer, got ${show(value)}`);
  return value;
}
