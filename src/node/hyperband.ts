import type { Objective } from '../trial/Objective.js';
import type { Hyperoptimizer } from '../sinks/Hyperoptimizer.js';
import type { ParamsOf, Space } from '../space/Space.js';
import { hyperband as coreHyperband, type HyperbandRunOptions } from '../run/hyperband.js';
import { terminalProgress, type TerminalProgressOption } from './internal/terminalProgress.js';

/** `hyperband`'s options, where `progress: true` draws the terminal bar on stderr. */
export interface NodeHyperbandRunOptions<S extends Space = Space> extends Omit<HyperbandRunOptions<S>, 'progress'> {
  /** The progress bar on stderr (`true`), none (`false`) or your own display. @default stderr is a terminal */
  readonly progress?: TerminalProgressOption;
}

/**
 * The core `hyperband` (re-exported by `hyperopt-rx/node`), with the
 * progress bar on stderr when stderr is a terminal, or with `progress: true`.
 *
 * ## Example
 * ```ts
 * import { hyperband, linrange } from 'hyperopt-rx/node';
 * const ho = await hyperband(({ a }, { resources }) => (a - 3) ** 2 + 1 / resources!, { a: linrange(-10, 10, 201) }, { maxResource: 27 });
 * console.log(ho.trials.length); // Logs: 98
 * ```
 */
export function hyperband<S extends Space, St = unknown>(
  objective: Objective<ParamsOf<S>, St>,
  space: S,
  options: NodeHyperbandRunOptions<S>,
): Promise<Hyperoptimizer<ParamsOf<S>>> {
  if (options === null || typeof options !== 'object') return coreHyperband(objective, space, options);
  return coreHyperband(objective, space, { ...options, progress: terminalProgress(options.progress, true) });
}
