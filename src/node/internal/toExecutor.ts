import { Observable } from 'rxjs';
import type { Objective, ObjectiveResult, TrialContext } from '../../trial/Objective.js';
import type { Space } from '../../space/Space.js';
import type { Executor } from '../Executor.js';
import { encodeTask } from './encodeTask.js';
import type { Runner } from './Runner.js';

/**
 * An Objective that sends each trial to `runner`, honouring the trial's
 * signal; with `stream`, an Observable of the values the worker emits, whose
 * unsubscription (a prune) stops the trial.
 */
export function toExecutor<P, S>(runner: Runner, space: Space | undefined, concurrency: number, stream = false): Executor<P, S> {
  const objective: Objective<P, S> = stream
    ? (params: P, context: TrialContext<S>) =>
        new Observable<ObjectiveResult<S>>((subscriber) => {
          const controller = new AbortController();
          runner.run(encodeTask(space, false, params, context), controller.signal, (step) => subscriber.next(step as ObjectiveResult<S>)).then(
            () => subscriber.complete(),
            (error) => subscriber.error(error),
          );
          return () => controller.abort(new Error('trial stopped'));
        })
    : (params: P, context: TrialContext<S>) => runner.run(encodeTask(space, false, params, context), context.signal) as Promise<ObjectiveResult<S>>;
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= runner.close());
  return Object.assign(objective, {
    concurrency,
    ready: () => runner.probe(),
    close,
    [Symbol.asyncDispose]: close,
  });
}
