import type { Objective, TrialContext } from '../../Objective.js';
import type { Space } from '../../space/Space.js';
import type { Executor } from '../Executor.js';
import { encodeTask } from './encodeTask.js';
import type { Runner } from './Runner.js';

/** An Objective that sends each trial to `runner`, honouring the trial's signal. */
export function toExecutor<P, S>(runner: Runner, space: Space | undefined, concurrency: number): Executor<P, S> {
  const objective: Objective<P, S> = (params: P, context: TrialContext<S>) => runner.run(encodeTask(space, false, params, context), context.signal) as Promise<number | { value: number; state?: S }>;
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= runner.close());
  return Object.assign(objective, {
    concurrency,
    ready: () => runner.probe(),
    close,
    [Symbol.asyncDispose]: close,
  });
}
