import { mergeMap, type OperatorFunction } from 'rxjs';
import type { Objective } from '../trial/Objective.js';
import type { Candidate, Trial } from '../trial/Trial.js';
import { checkConcurrency, checkFunction, checkOneOf, checkOptions } from '../base/check.js';
import { runTrial } from '../trial/internal/runTrial.js';
import type { OnError } from '../trial/internal/startTrial.js';

export interface EvaluateOptions {
  /** Objectives in flight at once. @default 1 */
  readonly concurrency?: number;
  /** 'fail': the stream errors with the objective's error; 'skip': the trial is recorded as failed. @default 'fail' */
  readonly onError?: OnError;
}

/**
 * Runs the objective on each candidate, at most `concurrency` at once
 * (`mergeMap`), and emits each finished trial. The objective may return a
 * number, `{ value, state }`, a promise, or an Observable of intermediate
 * values; each trial gets an AbortSignal that fires when it is unsubscribed.
 *
 * ## Example
 * ```ts
 * import { candidates, evaluate, RandomSampler } from 'hyperopt-rx';
 * candidates(new RandomSampler({ seed: 1 }), { x: [1, 2, 3] }, { iterations: 3 })
 *   .pipe(evaluate(({ x }) => (x - 2) ** 2, { concurrency: 2 }))
 *   .subscribe((t) => console.log(t.params.x, t.value));
 * ```
 * @see candidates
 * @see toHyperoptimizer
 */
export function evaluate<P, S = unknown>(objective: Objective<P, S>, options: EvaluateOptions = {}): OperatorFunction<Candidate<P, S>, Trial<P, S>> {
  checkFunction('objective', objective);
  checkOptions('evaluate', options, ['concurrency', 'onError']);
  const { concurrency = 1, onError = 'fail' } = options;
  checkConcurrency('concurrency', concurrency);
  checkOneOf('onError', onError, ['fail', 'skip'] as const);
  return mergeMap((candidate) => runTrial(objective, candidate, onError), concurrency);
}
