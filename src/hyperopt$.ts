import { defer, from, mergeMap, Observable, tap } from 'rxjs';
import type { HyperoptOptions } from './HyperoptOptions.js';
import type { Objective } from './Objective.js';
import type { Trial } from './Trial.js';
import type { ParamsOf, Space } from './space/Space.js';
import { checkHyperoptOptions, type CheckedOptions } from './internal/checkHyperoptOptions.js';
import { loadDefaultProgress, stderrIsTTY } from './internal/loadDefaultProgress.js';
import { loop } from './operators/internal/loop.js';
import type { Progress } from './sinks/Progress.js';
import type { Hyperoptimizer } from './sinks/Hyperoptimizer.js';

/**
 * The optimization as a stream: each finished trial, as it finishes. The
 * sampler draws a candidate only when a slot is free and after seeing every
 * result so far. Throws ArgumentError synchronously for bad options. With
 * `ho`, each trial is also recorded into it as it finishes (continuation).
 *
 * ## Example
 * ```ts
 * import { hyperopt$, linrange } from 'hyperopt-rx';
 * hyperopt$({ space: { x: linrange(-2, 2, 101) }, iterations: 20, progress: false }, ({ x }) => x * x)
 *   .subscribe((trial) => console.log(trial.i, trial.params.x, trial.value));
 * ```
 * @see hyperopt
 */
export function hyperopt$<S extends Space, St = unknown>(
  options: HyperoptOptions<S>,
  objective: Objective<ParamsOf<S>, St>,
): Observable<Trial<ParamsOf<S>, St>> {
  const checked = checkHyperoptOptions(options, objective as Objective);
  return run$(checked, objective, checked.ho);
}

/**
 * The run for already-checked options (shared with `hyperopt`). Trials are
 * recorded into `sink` as they finish; a continued optimizer (`checked.ho`)
 * grows its planned iterations when the run starts.
 */
export function run$<P, St>(checked: CheckedOptions, objective: Objective<P, St>, sink?: Hyperoptimizer): Observable<Trial<P, St>> {
  const { ho } = checked;
  const looped$ = loop<P, St>(
    {
      space: checked.space,
      sampler: checked.sampler,
      iterations: checked.iterations,
      concurrency: checked.concurrency,
      onError: checked.onError,
      start: ho?.nextIndex ?? 0,
      past: ho?.trials ?? [],
      signal: checked.signal,
    },
    objective,
  );
  const trials$ = sink
    ? defer(() => {
        if (ho) ho.extend(checked.iterations);
        return looped$.pipe(tap((trial) => sink.record(trial)));
      })
    : looped$;
  const { progress } = checked;
  if (progress === false || (progress === undefined && !stderrIsTTY())) return trials$;
  const info = {
    total: checked.sampler.evaluations?.(checked.space, checked.iterations) ?? checked.iterations,
    sampler: checked.sampler.name,
    params: Object.keys(checked.space),
  };
  const display$ = typeof progress === 'function' ? from([progress]) : defer(() => from(loadDefaultProgress(progress === true)));
  return display$.pipe(mergeMap((display: Progress | undefined) => (display ? trials$.pipe(withProgress(display(info))) : trials$)));
}

function withProgress<T extends Trial>(observer: ReturnType<Progress>) {
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
