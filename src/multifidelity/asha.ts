import type { OperatorFunction } from 'rxjs';
import type { Objective } from '../trial/Objective.js';
import type { Candidate, Trial } from '../trial/Trial.js';
import { ArgumentError } from '../base/ArgumentError.js';
import { checkFiniteNumber, checkFunction, checkKnownKeys, checkOneOf, checkPositiveInteger, show } from '../base/check.js';
import { maxBracket } from './internal/hyperbandBrackets.js';
import { evaluateHalving } from './internal/evaluateHalving.js';
import type { OnError } from '../trial/internal/startTrial.js';
import type { Direction } from '../trial/Direction.js';
import { checkDirection } from '../trial/internal/lossView.js';

export interface AshaOptions {
  /** The budget of the first rung (r); rung k gets `r * eta^k`, passed as `trial.resources`. Positive. */
  readonly minResource: number;
  /** The largest budget: the top rung is the last `r * eta^k` that does not exceed it. At least `minResource`. */
  readonly maxResource: number;
  /** `eta` (η, the reduction factor): a configuration is promoted once it is in the top 1/eta of its rung so far. Above 1. @default 3 */
  readonly eta?: number;
  /** Objectives in flight at once; ASHA keeps them all busy. @default 1 */
  readonly concurrency?: number;
  /** 'fail': the stream errors with the objective's error; 'skip': the trial is recorded as failed (and ranked last). @default 'fail' */
  readonly onError?: OnError;
  /** 'maximize': the top 1/eta are the largest values (accuracy); trials keep your value. @default 'minimize' */
  readonly direction?: Direction;
}

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020) as an operator:
 * whenever a slot is free, the best not-yet-promoted configuration in the top
 * `floor(m / eta)` of the `m` results of the highest rung that has one goes
 * on with `eta` times the resources and its `state`; otherwise the next
 * configuration of the source starts at rung 0. Nothing waits for a rung to
 * fill, so no slot idles while there is work. The source's candidates are
 * buffered until a slot takes them (give it a finite source, e.g.
 * `candidates(sampler, space, { iterations })`); the stream completes once
 * the source has completed and no promotion is left. In `hyperopt`, the same
 * schedule per bracket is `new Hyperband({ maxResource, eta, asynchronous: true })`.
 *
 * ## Example
 * ```ts
 * import { candidates, asha, RandomSampler, linrange } from 'hyperopt-rx';
 * candidates(new RandomSampler({ seed: 1 }), { lr: linrange(0.01, 1, 100) }, { iterations: 27 })
 *   .pipe(asha(async ({ lr }, { resources, state }) => {
 *     const epochs = ((state as number | undefined) ?? 0) + resources!;
 *     return { value: Math.abs(lr - 0.3) + 1 / epochs, state: epochs };
 *   }, { minResource: 1, maxResource: 9, eta: 3, concurrency: 4 }))
 *   .subscribe((t) => console.log(t.rung, t.i, t.value));
 * ```
 * @see successiveHalving
 * @see Hyperband
 */
export function asha<P, S = unknown>(objective: Objective<P, S>, options: AshaOptions): OperatorFunction<Candidate<P, unknown>, Trial<P, S>> {
  checkFunction('objective', objective);
  if (options === null || typeof options !== 'object')
    throw new ArgumentError('minResource', `is required: asha(objective, { minResource, maxResource }), got ${show(options)}`);
  checkKnownKeys('asha', options, ['minResource', 'maxResource', 'eta', 'concurrency', 'onError', 'direction']);
  const minResource = checkFiniteNumber('minResource', options.minResource);
  if (!(minResource > 0)) throw new ArgumentError('minResource', `must be positive, got ${show(minResource)}`);
  const maxResource = checkFiniteNumber('maxResource', options.maxResource);
  if (!(maxResource >= minResource)) throw new ArgumentError('maxResource', `must be at least minResource (${show(minResource)}), got ${show(maxResource)}`);
  const eta = checkFiniteNumber('eta', options.eta ?? 3);
  if (!(eta > 1)) throw new ArgumentError('eta', `must be greater than 1, got ${show(eta)}`);
  const concurrency = checkPositiveInteger('concurrency', options.concurrency ?? 1);
  const onError = checkOneOf('onError', options.onError ?? 'fail', ['fail', 'skip'] as const);
  const direction = checkDirection(options.direction ?? 'minimize');
  // Same float guard as Hyperband's bracket count: maxResource / minResource = 243, eta = 3 is 5 steps up, not 4.
  const rungs = maxBracket(maxResource / minResource, eta) + 1;

  return evaluateHalving({ n: Infinity, rungs, r: minResource, eta, asynchronous: true }, objective, { concurrency, onError, slots: true, direction });
}
