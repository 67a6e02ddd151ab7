import { Observable, Subject, Subscription } from 'rxjs';
import type { Objective } from '../../Objective.js';
import type { Candidate, Trial } from '../../Trial.js';
import type { Sampler } from '../../samplers/Sampler.js';
import type { Space } from '../../space/Space.js';
import { Trampoline } from '../../internal/Trampoline.js';
import { evaluate } from '../evaluate.js';
import type { OnError } from './runTrial.js';

export interface LoopPlan {
  readonly space: Space;
  readonly sampler: Sampler;
  readonly iterations: number | undefined;
  readonly concurrency: number;
  readonly onError: OnError;
  readonly start: number;
  readonly past: readonly Trial[];
  readonly signal?: AbortSignal;
}

/**
 * The closed loop: the sampler's candidates run through `evaluate`, each
 * finished trial feeds `results$` and then one `demand$` tick, so a
 * candidate is drawn only when a slot is free and after every earlier
 * result. All events pass through one trampoline (no re-entrancy, flat stack).
 * Abort completes the stream and cancels trials in flight (not emitted).
 */
export function loop<P, S>(plan: LoopPlan, objective: Objective<P, S>): Observable<Trial<P, S>> {
  return new Observable<Trial<P, S>>((subscriber) => {
    const { signal } = plan;
    if (signal?.aborted) return subscriber.complete();
    const trampoline = new Trampoline();
    const results$ = new Subject<Trial>();
    const demand$ = new Subject<void>();
    const tick = () => demand$.next();

    const candidates$ = plan.sampler.candidates(plan.space, {
      iterations: plan.iterations,
      start: plan.start,
      past: plan.past,
      results$,
      demand$,
      concurrency: plan.concurrency,
    }) as Observable<Candidate<P, S>>;

    const queued$ = new Observable<Candidate<P, S>>((inner) =>
      candidates$.subscribe({
        next: (candidate) => trampoline.run(() => inner.next(candidate)),
        error: (error) => trampoline.run(() => inner.error(error)),
        complete: () => trampoline.run(() => inner.complete()),
      }),
    );

    const subscription = new Subscription();
    const onAbort = () => {
      subscription.unsubscribe();
      subscriber.complete();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    // Subscribing inside the trampoline queues whatever a sampler emits at subscription time too.
    trampoline.run(() => {
      subscription.add(
        queued$.pipe(evaluate(objective, { concurrency: plan.concurrency, onError: plan.onError })).subscribe({
          next: (trial) =>
            trampoline.run(() => {
              subscriber.next(trial);
              results$.next(trial);
              tick();
            }),
          error: (error) => trampoline.run(() => subscriber.error(error)),
          complete: () => trampoline.run(() => subscriber.complete()),
        }),
      );
      for (let k = 0; k < plan.concurrency; k++) trampoline.run(tick);
    });

    return () => {
      signal?.removeEventListener('abort', onAbort);
      subscription.unsubscribe();
      results$.complete();
      demand$.complete();
    };
  });
}
