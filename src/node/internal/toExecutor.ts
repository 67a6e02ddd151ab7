import { Observable } from 'rxjs';
import type { Objective, ObjectiveResult, TrialContext } from '../../trial/Objective.js';
import type { Space } from '../../space/Space.js';
import type { Executor } from '../Executor.js';
import { encodeTask } from './encodeTask.js';
import type { Runner } from './Runner.js';

export interface ToExecutorOptions {
  /** The run's space: values that cannot cross by value go as their index in it (see `encodeTask`). */
  readonly space: Space | undefined;
  /** The executor's `concurrency`. */
  readonly concurrency: number;
  /** Objectives emit intermediate values: the executor returns Observables. @default false */
  readonly stream?: boolean;
  /** Tasks cross as JSON (the queue), not by structured clone. @default false */
  readonly json?: boolean;
}

/**
 * The Executor every runner shares: an Objective that sends each trial to
 * `runner`, honouring the trial's signal; with `stream`, an Observable of the
 * values the worker emits, whose unsubscription (a prune) stops the trial.
 * Closing is idempotent.
 */
export function toExecutor<P, S>(runner: Runner, { space, concurrency, stream = false, json = false }: ToExecutorOptions): Executor<P, S> {
  const objective: Objective<P, S> = stream
    ? (params: P, context: TrialContext<S>) =>
        new Observable<ObjectiveResult<S>>((subscriber) => {
          const controller = new AbortController();
          runner
            .run(encodeTask(space, json, params, context), controller.signal, (step) => subscriber.next(step as ObjectiveResult<S>))
            .then(
              () => subscriber.complete(),
              (error) => subscriber.error(error),
            );
          return () => controller.abort(new Error('trial stopped'));
        })
    : (params: P, context: TrialContext<S>) => runner.run(encodeTask(space, json, params, context), context.signal) as Promise<ObjectiveResult<S>>;
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= runner.close());
  return Object.assign(objective, {
    concurrency,
    ready: () => runner.probe(),
    close,
    [Symbol.asyncDispose]: close,
  });
}
