import type { Sampler } from '../samplers/Sampler.js';
import type { Space, ParamsOf } from '../space/Space.js';
import type { Hyperoptimizer } from '../sinks/Hyperoptimizer.js';
import type { Progress } from '../sinks/Progress.js';
import type { Direction } from '../trial/Direction.js';

/**
 * What a run searches: a space, an optimizer to continue (`ho`, whose space
 * it takes), or both when they are the same space. Neither does not compile.
 */
export type SpaceOrHo<S extends Space = Space, P = ParamsOf<S>> =
  | {
      /** The search space: candidate vectors and ranges by parameter name. Optional when continuing `ho` (its space). */
      readonly space: S;
      /** Continue this optimizer: its trials are extended in place and it is returned; `i` goes on counting. */
      readonly ho?: Hyperoptimizer<P>;
    }
  | {
      /** Omitted: the space of `ho`. */
      readonly space?: undefined;
      /** Continue this optimizer: its trials are extended in place and it is returned; `i` goes on counting. */
      readonly ho: Hyperoptimizer<P>;
    };

/** `hyperopt`'s options besides the space. */
export interface HyperoptRunOptions {
  /** Configurations to evaluate; required, except with Hyperband where it counts whole Hyperband iterations (default 1). */
  readonly iterations?: number;
  /** @default new RandomSampler() */
  readonly sampler?: Sampler;
  /** Objectives in flight at once. @default 1 */
  readonly concurrency?: number;
  /** 'fail': reject with an error whose `cause` is the objective's error (partial optimizer as `error.ho`); 'skip': record a failed trial and go on. @default 'fail' */
  readonly onError?: 'fail' | 'skip';
  /** Abort: trials in flight are aborted and not recorded; the run resolves with what finished. */
  readonly signal?: AbortSignal;
  /**
   * Whether the objective's value is a loss to minimize or a score (accuracy, reward) to maximize. Every sampler,
   * pruner and Hyperband honours it (they are handed the negated value); trials keep your own value, and `best`
   * is the largest under 'maximize'. Continuing `ho` takes its direction; another one is an ArgumentError.
   * @default 'minimize' (the direction of `ho` when continuing one)
   */
  readonly direction?: Direction;
  /**
   * Your own progress display, or none. The platform-neutral core has no terminal: the progress bar on stderr
   * (`progress: true`, on by default under a terminal) comes with `hyperopt-rx/node`'s `hyperopt`.
   * @default false
   */
  readonly progress?: false | Progress;
}

/** The options of `hyperopt` and `hyperopt$`: `space` or `ho` (or both), and the rest. */
export type HyperoptOptions<S extends Space = Space, P = ParamsOf<S>> = SpaceOrHo<S, P> & HyperoptRunOptions;

/**
 * The params of a run, for `hyperopt`'s signature: those of its space `S`;
 * with no space more precise than `Space` (none given), those of the
 * optimizer `H` it continues.
 */
export type RunParams<S extends Space, H> = Space extends S ? (H extends Hyperoptimizer<infer P> ? P : ParamsOf<S>) : ParamsOf<S>;
