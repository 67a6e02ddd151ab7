import { defer, map, type MonoTypeOperatorFunction } from 'rxjs';
import type { Candidate, Trial } from '../trial/Trial.js';
import { ArgumentError } from '../base/ArgumentError.js';
import { checkOptions, show } from '../base/check.js';
import type { Pruner } from './Pruner.js';
import type { Direction } from '../trial/Direction.js';
import { checkDirection } from '../trial/internal/lossView.js';
import { replayCurve } from '../trial/internal/replayCurve.js';

export interface PruneOptions {
  /**
   * Which way the objective's values are better. Pruners rank losses, so under 'maximize' the rule is asked with
   * the negated value (a candidate's earlier rule still gets yours). Inside `hyperopt`, leave it out: the run's own
   * `direction` already hands the rule of `withPruner` negated values.
   * @default 'minimize'
   */
  readonly direction?: Direction;
  /**
   * Finished trials whose curves the rule takes in before the first candidate (a continued or resumed run's), so
   * it prunes as if it had seen them: a MedianPruner needs no new startup trials. Their values are in your
   * direction, like the candidates'. Value k of a curve is step k + 1; a trial whose `steps` is not its curve's length
   * (steps reported with gaps) is left out, and NaN entries are skipped. `withPruner` passes the run's earlier trials.
   * @default []
   */
  readonly past?: readonly Trial[];
}

/**
 * Attaches a pruning rule to each candidate (`candidate.prune`), so that
 * `evaluate` stops a streaming objective by unsubscription as soon as the
 * rule says so: the trial is recorded as 'pruned' with its last value, its
 * signal aborts, and its slot takes the next candidate. The rule's state is
 * made per subscription. A rule the candidate already had still applies.
 * With `{ direction: 'maximize' }` the rule prunes the lowest values.
 *
 * ## Example
 * ```ts
 * import { candidates, evaluate, prune, SuccessiveHalvingPruner, RandomSampler, linrange } from 'hyperopt-rx';
 * import { interval, map, take } from 'rxjs';
 * candidates(new RandomSampler({ seed: 1 }), { x: linrange(0, 1, 11) }, { iterations: 9 })
 *   .pipe(
 *     prune(new SuccessiveHalvingPruner({ eta: 3 })),
 *     evaluate(({ x }) => interval(1).pipe(take(9), map((epoch) => x + 1 / (epoch + 1))), { concurrency: 3 }),
 *   )
 *   .subscribe((t) => console.log(t.i, t.status, t.steps, t.value));
 * ```
 * @see withPruner
 */
export function prune<C extends Candidate>(pruner: Pruner, options: PruneOptions = {}): MonoTypeOperatorFunction<C> {
  checkPruner('pruner', pruner);
  checkOptions('prune', options, ['direction', 'past']);
  const sign = checkDirection(options.direction ?? 'minimize') === 'maximize' ? -1 : 1;
  if (options.past !== undefined && !Array.isArray(options.past)) throw new ArgumentError('past', `must be an array of trials, got ${show(options.past)}`);
  const past: readonly Trial[] = options.past ?? [];
  return (source) =>
    defer(() => {
      const rule = pruner.start();
      for (const trial of past) replayCurve(trial, (value, step) => rule(trial.i, sign * value, step));
      return source.pipe(
        map((candidate): C => {
          const { i, prune: before } = candidate;
          const decide = before
            ? (value: number, step: number) => {
                const ours = rule(i, sign * value, step); // always asked, so its state sees every value
                return before(value, step) || ours;
              }
            : (value: number, step: number) => rule(i, sign * value, step);
          return { ...candidate, prune: decide };
        }),
      );
    });
}

export function checkPruner(option: string, pruner: unknown): Pruner {
  if (pruner === null || typeof pruner !== 'object' || typeof (pruner as Pruner).start !== 'function') {
    throw new ArgumentError(option, `must be a pruner (SuccessiveHalvingPruner, MedianPruner or an object with start()), got ${show(pruner)}`);
  }
  return pruner as Pruner;
}
