import { defer, reduce, type OperatorFunction } from 'rxjs';
import type { Trial } from '../trial/Trial.js';
import type { Sampler } from '../samplers/Sampler.js';
import type { Space } from '../space/Space.js';
import { checkSpace } from '../space/checkSpace.js';
import { checkOptions, checkPositiveInteger } from '../base/check.js';
import { Hyperoptimizer } from './Hyperoptimizer.js';
import { checkSampler } from '../samplers/internal/checkSampler.js';
import type { Direction } from '../trial/Direction.js';
import { checkDirection } from '../trial/internal/lossView.js';

export interface ToHyperoptimizerOptions {
  /** Recorded as the optimizer's sampler (used when it is iterated or continued). @default new RandomSampler() */
  readonly sampler?: Sampler;
  /** Planned iterations. @default the number of trials received */
  readonly iterations?: number;
  /** Which way the value is better: `best` follows it. @default 'minimize' */
  readonly direction?: Direction;
}

/**
 * Folds trials into a fresh Hyperoptimizer per subscription and emits it
 * once, when the source completes.
 *
 * ## Example
 * ```ts
 * import { candidates, evaluate, toHyperoptimizer, RandomSampler } from 'hyperopt-rx';
 * const space = { x: [1, 2, 3, 4] };
 * candidates(new RandomSampler({ seed: 3 }), space, { iterations: 10 })
 *   .pipe(evaluate(({ x }) => (x - 3) ** 2), toHyperoptimizer(space))
 *   .subscribe((ho) => console.log(ho.minimum)); // Logs: 0
 * ```
 */
export function toHyperoptimizer<P = any>(space: Space, options: ToHyperoptimizerOptions = {}): OperatorFunction<Trial<P>, Hyperoptimizer<P>> {
  checkOptions('toHyperoptimizer', options, ['sampler', 'iterations', 'direction']);
  checkSpace(space);
  if (options.iterations !== undefined) checkPositiveInteger('iterations', options.iterations);
  if (options.sampler !== undefined) checkSampler('sampler', options.sampler);
  const direction = checkDirection(options.direction ?? 'minimize');
  return (trials$) =>
    defer(() => {
      const trials: Trial<P>[] = [];
      return trials$.pipe(
        reduce((acc, trial) => (acc.push(trial), acc), trials),
        // The planned size defaults to what arrived, so the summary reads "n of n".
        reduce(
          (_, all) => {
            const ho = new Hyperoptimizer<P>({ space, iterations: options.iterations ?? Math.max(1, all.length), sampler: options.sampler, direction });
            for (const t of all) ho.record(t);
            return ho;
          },
          undefined as unknown as Hyperoptimizer<P>,
        ),
      );
    });
}
