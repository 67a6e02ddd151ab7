import { ArgumentError } from '../base/ArgumentError.js';
import { checkFiniteNumber, checkOptions, show } from '../base/check.js';
import type { Pruner, PruneRule } from './Pruner.js';
import { insertSorted } from './internal/insertSorted.js';

export interface SuccessiveHalvingPrunerOptions {
  /** The step of the first rung (r). Positive. @default 1 */
  readonly minResource?: number;
  /** `eta` (η): a configuration goes on past a rung only in the top 1/eta of the values recorded there. Above 1. @default 3 */
  readonly eta?: number;
  /** `s`: the first rung is at `minResource * eta^s`. A non-negative integer. @default 0 */
  readonly minEarlyStoppingRate?: number;
}

/**
 * Asynchronous successive halving for streaming objectives, in its stopping
 * form (as Optuna's `SuccessiveHalvingPruner` and Ray Tune's ASHA scheduler
 * apply it): rung k sits at step `minResource * eta^(s + k)`; a configuration
 * reaching a rung records its value there and continues only if that value
 * is within the best `max(1, floor(m / eta))` of the `m` values the rung has
 * recorded so far (its own included); otherwise it is pruned. No rung waits
 * to fill: the first configuration to reach a rung always continues, so no
 * slot idles. NaN is pruned.
 *
 * ## Example
 * ```ts
 * import { hyperopt, RandomSampler, withPruner, SuccessiveHalvingPruner, explinrange } from 'hyperopt-rx';
 * import { interval, map, take } from 'rxjs';
 * const ho = await hyperopt(
 *   { space: { lr: explinrange(-3, 0, 50) }, iterations: 20, concurrency: 4,
 *     sampler: withPruner(new RandomSampler({ seed: 1 }), new SuccessiveHalvingPruner({ eta: 3 })) },
 *   ({ lr }) => interval(1).pipe(take(27), map((epoch) => Math.abs(Math.log10(lr) + 1.5) + 1 / (epoch + 1))),
 * );
 * console.log(ho.trials.filter((t) => t.status === 'pruned').length, 'pruned');
 * ```
 * @see MedianPruner
 */
export class SuccessiveHalvingPruner implements Pruner {
  readonly name = 'SuccessiveHalvingPruner';
  readonly minResource: number;
  readonly eta: number;
  readonly minEarlyStoppingRate: number;

  constructor(options: SuccessiveHalvingPrunerOptions = {}) {
    checkOptions('SuccessiveHalvingPruner', options, ['minResource', 'eta', 'minEarlyStoppingRate']);
    const minResource = checkFiniteNumber('minResource', options.minResource ?? 1);
    if (!(minResource > 0)) throw new ArgumentError('minResource', `must be positive, got ${show(minResource)}`);
    const eta = checkFiniteNumber('eta', options.eta ?? 3);
    if (!(eta > 1)) throw new ArgumentError('eta', `must be greater than 1, got ${show(eta)}`);
    const rate = options.minEarlyStoppingRate ?? 0;
    if (typeof rate !== 'number' || !Number.isInteger(rate) || rate < 0) {
      throw new ArgumentError('minEarlyStoppingRate', `must be a non-negative integer, got ${show(rate)}`);
    }
    this.minResource = minResource;
    this.eta = eta;
    this.minEarlyStoppingRate = rate;
  }

  start(): PruneRule {
    const { minResource, eta, minEarlyStoppingRate: rate } = this;
    const recorded: number[][] = []; // values recorded at each rung, ascending
    const passed = new Map<number, number>(); // configuration -> rungs it has passed
    return (i, value, step) => {
      let rung = passed.get(i) ?? 0;
      // One report may cross several rungs (a value every 10 steps, say): judge each in turn.
      while (step >= minResource * eta ** (rate + rung)) {
        if (Number.isNaN(value)) return true;
        const values = (recorded[rung] ??= []);
        insertSorted(values, value);
        const kept = Math.max(1, Math.floor(values.length / eta));
        if (value > values[kept - 1]) return true;
        passed.set(i, ++rung);
      }
      return false;
    };
  }

  toJSON(): object {
    return { name: this.name, minResource: this.minResource, eta: this.eta, minEarlyStoppingRate: this.minEarlyStoppingRate };
  }
}
