import { availableParallelism } from 'node:os';
import { checkPositiveInteger } from '../base/check.js';
import type { Executor } from './Executor.js';
import { checkModuleOptions } from './internal/checkModuleOptions.js';
import type { ObjectiveModuleOptions } from './ObjectiveModuleOptions.js';
import { threadRunner } from './internal/threadRunner.js';
import { toExecutor } from './internal/toExecutor.js';

export interface ThreadsOptions extends ObjectiveModuleOptions {
  /** Worker threads in the pool. @default os.availableParallelism() */
  readonly threads?: number;
}

/**
 * Runs a CPU-bound objective on worker threads (piscina): an Objective you
 * pass to `hyperopt` with `concurrency: pool.concurrency`. Sampling stays in
 * the calling thread; each trial's params are copied to a free thread, which
 * loaded the objective module once. Aborting the run (or pruning a trial)
 * fires the objective's `signal` in its thread, and terminates the thread if
 * it is still busy `abortGraceMs` later; a fresh one takes its place. The objective
 * may return a number, `{ value, state }`, a promise, an Observable or an
 * async iterable (its last value counts).
 *
 * ## Example
 * ```ts
 * // objective.mjs: export const space = { x: linrange(-5, 5, 1001), act: [Math.tanh, Math.sin] };
 * //                export default ({ x, act }) => heavy(x, act);
 * import { hyperopt } from 'hyperopt-rx';
 * import { threads } from 'hyperopt-rx/node';
 * import { space } from './objective.mjs';
 * await using objective = threads({ module: new URL('./objective.mjs', import.meta.url), space });
 * const ho = await hyperopt({ space, iterations: 300, concurrency: objective.concurrency }, objective);
 * ```
 * @see processes for objectives that cannot run on threads
 * @see queue to spread the trials over machines
 */
export function threads<P = any, S = unknown>(options: ThreadsOptions): Executor<P, S> {
  const { spec, space, stream, graceMs } = checkModuleOptions(options, ['threads']);
  const threads = checkPositiveInteger('threads', options.threads ?? availableParallelism());
  return toExecutor(threadRunner(spec, threads, graceMs), { space, concurrency: threads, stream });
}
