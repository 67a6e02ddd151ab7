import type { OperatorFunction } from 'rxjs';
import type { Objective } from '../trial/Objective.js';
import type { Candidate, Trial } from '../trial/Trial.js';
import { ArgumentError } from '../base/ArgumentError.js';
import { checkConcurrency, checkFiniteNumber, checkFunction, checkKnownKeys, checkOneOf, checkPositiveInteger, show } from '../base/check.js';
import { evaluateHalving } from './internal/evaluateHalving.js';
import type { OnError } from '../trial/internal/startTrial.js';
import type { Direction } from '../trial/Direction.js';
import { checkDirection } from '../trial/internal/lossView.js';

export interface SuccessiveHalvingOptions {
  /** The budget of the first rung (r); rung k gets `r * eta^k`, passed as `trial.resources`. Positive. */
  readonly minResource: number;
  /** `eta` (η, the reduction factor): each rung keeps `floor(n_k / eta)`. Above 1. @default 3 */
  readonly eta?: number;
  /** How many rungs. @default as many as keep at least one configuration (`floor(n / eta^k) >= 1`) */
  readonly rungs?: number;
  /** Objectives in flight at once. @default 1 */
  readonly concurrency?: number;
  /** 'fail': the stream errors with the objective's error; 'skip': the trial is recorded as failed (and ranked last). @default 'fail' */
  readonly onError?: OnError;
  /** A bracket index to stamp on every trial (as Hyperband does). @default none */
  readonly bracket?: number;
  /** 'maximize': each rung keeps its largest values (accuracy); trials keep your value. @default 'minimize' */
  readonly direction?: Direction;
}

/**
 * Synchronous successive halving as an operator: the source's candidates are
 * the first rung; each is evaluated with `minResource`, and once the source
 * has completed and the whole rung has finished, the best `floor(n / eta)` (the smallest values, or the largest with `direction: 'maximize'`)
 * (stable order: ties keep their order, NaN, pruned and failed trials last)
 * are evaluated again with `eta` times the resources and the `state` they
 * returned; and so on. Emits every trial as it finishes, each with its
 * `resources` and `rung`.
 *
 * ## Example
 * ```ts
 * import { candidates, successiveHalving, RandomSampler, linrange } from 'hyperopt-rx';
 * candidates(new RandomSampler({ seed: 1 }), { lr: linrange(0.01, 1, 100) }, { iterations: 9 })
 *   .pipe(successiveHalving(({ lr }, { resources, state }) => {
 *     const epochs = ((state as number | undefined) ?? 0) + resources!;
 *     return { value: Math.abs(lr - 0.3) + 1 / epochs, state: epochs };
 *   }, { minResource: 1, eta: 3 }))
 *   .subscribe((t) => console.log(t.rung, t.i, t.value)); // 9 trials at rung 0, 3 at rung 1, 1 at rung 2
 * ```
 * @see Hyperband
 */
export function successiveHalving<P, S = unknown>(objective: Objective<P, S>, options: SuccessiveHalvingOptions): OperatorFunction<Candidate<P, unknown>, Trial<P, S>> {
  checkFunction('objective', objective);
  if (options === null || typeof options !== 'object')
    throw new ArgumentError('minResource', `is required: successiveHalving(objective, { minResource }), got ${show(options)}`);
  checkKnownKeys('successiveHalving', options, ['minResource', 'eta', 'rungs', 'concurrency', 'onError', 'bracket', 'direction']);
  const minResource = checkFiniteNumber('minResource', options.minResource);
  if (!(minResource > 0)) throw new ArgumentError('minResource', `must be positive, got ${show(minResource)}`);
  const eta = checkFiniteNumber('eta', options.eta ?? 3);
  if (!(eta > 1)) throw new ArgumentError('eta', `must be greater than 1, got ${show(eta)}`);
  const rungs = options.rungs === undefined ? undefined : checkPositiveInteger('rungs', options.rungs);
  const concurrency = checkConcurrency('concurrency', options.concurrency ?? 1);
  const onError = checkOneOf('onError', options.onError ?? 'fail', ['fail', 'skip'] as const);
  const bracket = options.bracket === undefined ? undefined : checkFiniteNumber('bracket', options.bracket);
  const direction = checkDirection(options.direction ?? 'minimize');

  return evaluateHalving({ bracket, n: Infinity, rungs, r: minResource, eta, asynchronous: false }, objective, { concurrency, onError, slots: false, direction });
}
