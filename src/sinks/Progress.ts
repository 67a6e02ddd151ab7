import type { Observer } from 'rxjs';
import type { Trial } from '../trial/Trial.js';
import type { Direction } from '../trial/Direction.js';

/** What a progress display knows when a run starts. */
export interface ProgressInfo {
  /** Planned evaluations, when known. */
  readonly total?: number;
  /** The sampler's name. */
  readonly sampler: string;
  readonly params: readonly string[];
  /** The run's direction: which value a display shows as the best so far. */
  readonly direction: Direction;
}

/**
 * A progress display: called once per run, it returns the observer that sees
 * each finished trial; `complete` (also on abort) or `error` ends it.
 * `hyperopt-rx/node` has `progressBar()`, a cli-progress bar on stderr.
 */
export type Progress = (info: ProgressInfo) => Partial<Observer<Trial>>;
