import { availableParallelism } from 'node:os';
import { ArgumentError } from '../base/ArgumentError.js';
import { checkPositiveInteger, show } from '../base/check.js';
import type { Executor } from './Executor.js';
import { processRunner } from './internal/processRunner.js';
import { toExecutor } from './internal/toExecutor.js';
import { checkModuleOptions } from './internal/checkModuleOptions.js';
import type { ObjectiveModuleOptions } from './ObjectiveModuleOptions.js';

export interface ProcessesOptions extends ObjectiveModuleOptions {
  /** Child processes in the pool, started on demand. @default os.availableParallelism() */
  readonly processes?: number;
  /** Node flags for the children. @default process.execArgv */
  readonly execArgv?: readonly string[];
  /** Environment of the children. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Runs the objective in child processes (`child_process.fork`), for native
 * bindings that refuse worker threads or objectives that may crash: same
 * contract as `threads`. A child that dies mid-trial fails that trial (per
 * `onError`) and is replaced; aborting a trial fires its objective's `signal`
 * and kills the child if it is still busy `abortGraceMs` later. Idle
 * children do not keep Node alive.
 *
 * ## Example
 * ```ts
 * import { hyperopt } from 'hyperopt-rx';
 * import { processes } from 'hyperopt-rx/node';
 * import { space } from './train.mjs';
 * await using objective = processes({ module: './train.mjs', space, processes: 4 });
 * const ho = await hyperopt({ space, iterations: 100, concurrency: 4, onError: 'skip' }, objective);
 * ```
 * @see threads
 */
export function processes<P = any, S = unknown>(options: ProcessesOptions): Executor<P, S> {
  const { spec, space, stream, graceMs } = checkModuleOptions(options, ['processes', 'execArgv', 'env']);
  const count = checkPositiveInteger('processes', options.processes ?? availableParallelism());
  const { execArgv, env } = options;
  if (execArgv !== undefined && (!Array.isArray(execArgv) || !execArgv.every((a) => typeof a === 'string'))) {
    throw new ArgumentError('execArgv', `must be an array of strings, got ${show(execArgv)}`);
  }
  if (env !== undefined && (env === null || typeof env !== 'object')) throw new ArgumentError('env', `must be an object, got ${show(env)}`);
  return toExecutor(processRunner(spec, { processes: count, execArgv, env, graceMs }), { space, concurrency: count, stream });
}
