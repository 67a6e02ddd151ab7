import type { Observable } from 'rxjs';
import type { HyperoptOptions } from '../run/HyperoptOptions.js';
import type { Objective } from '../trial/Objective.js';
import type { Trial } from '../trial/Trial.js';
import type { ParamsOf, Space } from '../space/Space.js';
import { hyperopt$ as coreHyperopt$ } from '../run/hyperopt$.js';
import { terminalProgress, type TerminalProgressOption } from './internal/terminalProgress.js';

/** `hyperopt$`'s options, where `progress: true` draws the terminal bar on stderr. */
export interface NodeHyperopt$Options<S extends Space = Space> extends Omit<HyperoptOptions<S>, 'progress'> {
  /** The progress bar on stderr (`true`), none (`false`) or your own display. A stream's consumer rarely wants one. @default false */
  readonly progress?: TerminalProgressOption;
}

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
export function hyperopt$<S extends Space, St = unknown>(options: NodeHyperopt$Options<S>, objective: Objective<ParamsOf<S>, St>): Observable<Trial<ParamsOf<S>, St>> {
  if (options === null || typeof options !== 'object') return coreHyperopt$(options, objective);
  return coreHyperopt$({ ...options, progress: terminalProgress(options.progress, false) } as HyperoptOptions<S>, objective);
}
