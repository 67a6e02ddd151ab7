import { concat, defer, Observable, type OperatorFunction } from 'rxjs';
import type { Objective } from '../../trial/Objective.js';
import type { Candidate, Trial } from '../../trial/Trial.js';
import type { OnError } from '../../trial/internal/startTrial.js';
import { Feed } from '../../trial/internal/Feed.js';
import { Trampoline } from '../../trial/internal/Trampoline.js';
import { evaluate } from '../../operators/evaluate.js';
import { halving, type HalvingPlan } from './halving.js';
import { Slot } from './Slot.js';
import type { Direction } from '../../trial/Direction.js';
import { lossView } from '../../trial/internal/lossView.js';

export interface EvaluateHalvingOptions {
  readonly concurrency: number;
  readonly onError: OnError;
  /**
   * True: a free slot (one per concurrency, one more per finished trial) takes
   * work only when it frees, so promotions are decided as late as possible
   * (ASHA). False: every candidate goes to `evaluate` at once.
   */
  readonly slots: boolean;
  /** The rungs rank losses: under 'maximize' the bracket gets each result negated (downstream gets it as it is). */
  readonly direction: Direction;
}

/**
 * A `halving` bracket closed through `evaluate`: the source's candidates are
 * its fresh configurations, each finished trial goes downstream and back to
 * the bracket. One trampoline carries every event, so a synchronous
 * objective never re-enters the bracket and the stack stays flat.
 */
export function evaluateHalving<P, S>(
  plan: HalvingPlan,
  objective: Objective<P, S>,
  { concurrency, onError, slots, direction }: EvaluateHalvingOptions,
): OperatorFunction<Candidate<P, unknown>, Trial<P, S>> {
  return (source) =>
    new Observable<Trial<P, S>>((subscriber) => {
      const trampoline = new Trampoline((error) => subscriber.error(error));
      const results$ = new Feed<Trial>((error) => trampoline.fail(error));
      const freed$ = new Feed<Slot>((error) => trampoline.fail(error));
      // `concurrency` slots at subscription, before the source's first candidate; then one per finished trial.
      const slots$ = slots
        ? concat(
            defer(() => Array.from({ length: concurrency }, () => new Slot())),
            freed$,
          )
        : undefined;
      const maximize = direction === 'maximize';
      const onTrial = (trial: Trial<P, S>): void => {
        subscriber.next(trial);
        results$.next(maximize ? lossView(trial) : trial); // before the slot it frees, as in the loop
        if (slots) freed$.next(new Slot());
      };
      const bracket$ = halving(plan)({ fresh: source as Observable<Candidate>, results$, slots$, trampoline }) as Observable<Candidate<P, S>>;
      const subscription = bracket$.pipe(evaluate(objective, { concurrency, onError })).subscribe({
        next: (trial) => trampoline.run(onTrial, trial),
        error: (error) => trampoline.run((e: unknown) => subscriber.error(e), error),
        complete: () => trampoline.run(() => subscriber.complete()),
      });
      return () => {
        subscription.unsubscribe();
        results$.complete();
        freed$.complete();
      };
    });
}
