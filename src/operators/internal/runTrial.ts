import { asyncScheduler, isObservable, Observable, type Subscription } from 'rxjs';
import type { Objective, TrialContext } from '../../Objective.js';
import type { Candidate, Trial } from '../../Trial.js';
import { show } from '../../internal/check.js';

export type OnError = 'fail' | 'skip';

/** The failed trial behind an error that `onError: 'fail'` sent down the stream. */
const failedTrials = new WeakMap<object, Trial>();

export function failedTrialOf(error: unknown): Trial | undefined {
  return error !== null && typeof error === 'object' ? failedTrials.get(error) : undefined;
}

/**
 * One evaluation as a cold Observable: emits the trial once and completes.
 * Synchronous objectives finish inside subscribe (no microtask per trial).
 * Unsubscribing before the end aborts the trial's signal and stops a
 * streaming objective; a candidate's `prune` rule does the same and records
 * the trial as pruned with its last value.
 */
export function runTrial<P, S>(objective: Objective<P, S>, candidate: Candidate<P, S>, onError: OnError): Observable<Trial<P, S>> {
  return new Observable<Trial<P, S>>((subscriber) => {
    const t0 = asyncScheduler.now();
    let controller: AbortController | undefined;
    let aborted = false;
    let done = false;
    let inner: Subscription | undefined;
    const { i, params, resources, state, bracket, rung } = candidate;
    const context: TrialContext<S> = {
      i,
      resources,
      state,
      // Created on first use: most objectives never look at it, and an AbortController per trial is measurable.
      get signal() {
        if (!controller) {
          controller = new AbortController();
          if (aborted) controller.abort(new Error('trial cancelled'));
        }
        return controller.signal;
      },
    };
    const base = (): Pick<Trial<P, S>, 'i' | 'params' | 'resources' | 'bracket' | 'rung'> => {
      const t: { i: number; params: P; resources?: number; bracket?: number; rung?: number } = { i, params };
      if (resources !== undefined) t.resources = resources;
      if (bracket !== undefined) t.bracket = bracket;
      if (rung !== undefined) t.rung = rung;
      return t;
    };
    const emit = (trial: Trial<P, S>): void => {
      done = true;
      subscriber.next(trial);
      subscriber.complete();
    };
    const succeed = (value: number, newState: S | undefined, steps?: number, status: 'ok' | 'pruned' = 'ok'): void => {
      const trial: { -readonly [K in keyof Trial<P, S>]: Trial<P, S>[K] } = { ...base(), value, status, durationMs: asyncScheduler.now() - t0 };
      if (newState !== undefined) trial.state = newState;
      if (steps !== undefined) trial.steps = steps;
      emit(trial);
    };
    const fail = (error: unknown, steps?: number): void => {
      const trial: { -readonly [K in keyof Trial<P, S>]: Trial<P, S>[K] } = { ...base(), value: NaN, status: 'failed', error, durationMs: asyncScheduler.now() - t0 };
      if (steps !== undefined) trial.steps = steps;
      if (onError === 'skip') return emit(trial);
      const err = error !== null && typeof error === 'object' ? error : new Error(`objective threw ${show(error)}`, { cause: error });
      failedTrials.set(err, trial);
      done = true;
      subscriber.error(err);
    };
    const settle = (result: unknown, steps?: number): void => {
      if (typeof result === 'number') return succeed(result, undefined, steps);
      const value = resultValue(result);
      if (value === undefined) return fail(new TypeError(`objective returned ${show(result)}; expected a number or { value: number }`), steps);
      succeed(value, (result as { state?: S }).state, steps);
    };

    let out: unknown;
    try {
      out = objective(params, context);
    } catch (error) {
      fail(error);
      return;
    }
    if (typeof out === 'number') {
      succeed(out, undefined);
    } else if (isObservable(out)) {
      let last: unknown;
      let steps = 0;
      inner = out.subscribe({
        next: (result) => {
          last = result;
          steps++;
          if (candidate.prune) {
            const value = typeof result === 'number' ? result : resultValue(result);
            if (value !== undefined && candidate.prune(value, steps)) {
              inner?.unsubscribe();
              aborted = true;
              controller?.abort(new Error('trial pruned'));
              succeed(value, typeof result === 'number' ? undefined : (result as { state?: S }).state, steps, 'pruned');
            }
          }
        },
        error: (error) => fail(error, steps),
        complete: () => {
          if (done) return;
          if (steps === 0) fail(new TypeError('objective returned an Observable that completed without a value'));
          else settle(last, steps);
        },
      });
      // A synchronous prune happens before `inner` is assigned.
      if (done) inner.unsubscribe();
    } else if (isPromiseLike(out)) {
      out.then(
        (result) => {
          if (!subscriber.closed) settle(result);
        },
        (error) => {
          if (!subscriber.closed) fail(error);
        },
      );
    } else {
      settle(out);
    }
    return () => {
      inner?.unsubscribe();
      if (!done) {
        aborted = true;
        controller?.abort(new Error('trial cancelled'));
      }
    };
  });
}

function resultValue(result: unknown): number | undefined {
  if (result !== null && typeof result === 'object' && typeof (result as { value?: unknown }).value === 'number') {
    return (result as { value: number }).value;
  }
  return undefined;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';
}
