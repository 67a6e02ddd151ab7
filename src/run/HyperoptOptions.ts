import type { Sampler } from '../samplers/Sampler.js';
import type { Space, ParamsOf } from '../space/Space.js';
import type { Hyperoptimizer } from '../sinks/Hyperoptimizer.js';
import type { Progress } from '../sinks/Progress.js';

export interface HyperoptOptions<S extends Space = Space> {
  /** The search space: candidate vectors and ranges by parameter name. Optional when continuing `ho` (its space). */
  readonly space: S;
  /** Configurations to evaluate; required, except with Hyperband where it counts whole Hyperband iterations (default 1). */
  readonly iterations?: number;
  /** @default new RandomSampler() */
  readonly sampler?: Sampler;
  /** Objectives in flight at once. @default 1 */
  readonly concurrency?: number;
  /** Continue this optimizer: its trials are extended in place and it is returned; `i` goes on counting. */
  readonly ho?: Hyperoptimizer<ParamsOf<S>>;
  /** 'fail': reject with an error whose `cause` is the objective's error (partial optimizer as `error.ho`); 'skip': record a failed trial and go on. @default 'fail' */
  readonly onError?: 'fail' | 'skip';
  /** Abort: trials in flight are aborted and not recorded; the run resolves with what finished. */
  readonly signal?: AbortSignal;
  /**
   * Your own progress display, or none. The platform-neutral core has no terminal: the progress bar on stderr
   * (`progress: true`, on by default under a terminal) comes with `hyperopt-rx/node`'s `hyperopt`.
   * @default false
   */
  readonly progress?: false | Progress;
}
