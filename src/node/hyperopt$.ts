import type { Observable } from 'rxjs';
import type { HyperoptRunOptions, RunParams, SpaceOrHo } from '../run/HyperoptOptions.js';
import type { Hyperoptimizer } from '../sinks/Hyperoptimizer.js';
import type { Objective } from '../trial/Objective.js';
import type { Trial } from '../trial/Trial.js';
import type { ParamsOf, Space } from '../space/Space.js';
import { hyperopt$ as coreHyperopt$ } from '../run/hyperopt$.js';
import { terminalProgress, type TerminalProgressOption } from './internal/terminalProgress.js';

/** `hyperopt$`'s options, where `progress: true` draws the terminal bar on stderr. */
export type NodeHyperopt$Options<S extends Space = Space, P = ParamsOf<S>> = SpaceOrHo<S, P> &
  Omit<HyperoptRunOptions, 'progress'> & {
    /** The progress bar on stderr (`true`), none (`false`) or your own display. A stream's consumer rarely wants one. @default false */
    readonly progress?: TerminalProgressOption;
  };

/**
 * The core `hyperopt$` (re-exported by `hyperopt-rx/node`), where
 * `progress: true` draws the progress bar on stderr.
 *
 * ## Example
 * ```ts
 * import { hyperopt$, linrange } from 'hyperopt-rx/node';
 * hyperopt$({ space: { x: linrange(-2, 2, 101) }, iterations: 20, progress: true }, ({ x }) => x * x)
 *   .subscribe((trial) => console.log(trial.i, trial.value));
 * ```
 */
export function hyperopt$<S extends Space = Space, St = unknown, H extends Hyperoptimizer = Hyperoptimizer<ParamsOf<S>>>(
  options: NodeHyperopt$Options<S, NoInfer<RunParams<S, H>>> & { readonly ho?: H },
  objective: Objective<RunParams<S, H>, St>,
): Observable<Trial<RunParams<S, H>, St>> {
  if (options === null || typeof options !== 'object') return coreHyperopt$(options, objective);
  return coreHyperopt$({ ...options, progress: terminalProgress(options.progress, false) }, objective);
}
