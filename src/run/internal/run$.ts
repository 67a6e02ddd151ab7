import { defer, tap, type MonoTypeOperatorFunction, type Observable } from 'rxjs';
import type { Objective } from '../../trial/Objective.js';
import type { Trial } from '../../trial/Trial.js';
import { loop } from './loop.js';
import { failedTrialOf } from '../../trial/internal/startTrial.js';
import type { Hyperoptimizer } from '../../sinks/Hyperoptimizer.js';
import type { Progress } from '../../sinks/Progress.js';
import type { CheckedOptions } from './checkHyperoptOptions.js';

/**
 * The run behind `hyperopt`, `hyperopt$` and `hyperband`, for checked
 * options. Each subscription starts from the state of `checked.ho` at that
 * moment (its next `i` and its trials). Trials are recorded into `sink` as
 * they finish, and so is the failed trial behind an `onError: 'fail'` error:
 * nothing finished is lost.
 */
export function run$<P, St>(checked: CheckedOptions, objective: Objective<P, St>, sink?: Hyperoptimizer): Observable<Trial<P, St>> {
  const trials$ = defer(() => {
    const { ho, signal } = checked;
    const looped$ = loop<P, St>(
      {
        space: checked.space,
        sampler: checked.sampler,
        iterations: checked.iterations,
        concurrency: checked.concurrency,
        onError: checked.onError,
        start: ho?.nextIndex ?? 0,
        past: ho ? ho.trials.slice() : [],
        signal,
        direction: checked.direction,
      },
      objective,
    );
    if (!sink) return looped$;
    // A continued optimizer plans more only when the run really starts.
    if (ho && !signal?.aborted) ho.extend(checked.iterations);
    return looped$.pipe(recordInto<Trial<P, St>>(sink));
  });
  const { progress } = checked;
  if (progress === undefined) return trials$;
  const info = {
    total: checked.sampler.evaluations?.(checked.space, checked.iterations) ?? checked.iterations,
    sampler: checked.sampler.name,
    params: Object.keys(checked.space),
    direction: checked.direction,
  };
  // One display per subscription, started when the run starts.
  return defer(() => trials$.pipe(withProgress(progress(info))));
}

function recordInto<T extends Trial>(sink: Hyperoptimizer): MonoTypeOperatorFunction<T> {
  return tap<T>({
    next: (trial) => sink.record(trial),
    error: (error) => {
      const failed = failedTrialOf(error);
      if (failed) sink.record(failed);
    },
  });
}

function withProgress<T extends Trial>(observer: ReturnType<Progress>): MonoTypeOperatorFunction<T> {
  let ended = false;
  const end = () => {
    if (!ended) {
      ended = true;
      observer.complete?.();
    }
  };
  return tap<T>({
    next: (trial) => observer.next?.(trial),
    error: (error) => {
      ended = true;
      observer.error?.(error);
    },
    complete: end,
    finalize: end,
  });
}
