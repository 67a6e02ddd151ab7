import type { Sampler } from '../../samplers/Sampler.js';
import type { Space } from '../../space/Space.js';
import type { Direction } from '../../trial/Direction.js';
import type { ListenOptions } from '../dashboard/ListenOptions.js';

/** Options of `serve` (and of `hyperopt-rx serve`). */
export interface ServeOptions extends ListenOptions {
  readonly space: Space;
  /** The journal every ask and told trial is written to before the answer; an existing one is resumed. */
  readonly journal: string | { readonly path: string; readonly fsync?: boolean };
  /** @default the journal's own sampler, rebuilt (same class and seed), else new RandomSampler() */
  readonly sampler?: Sampler;
  /**
   * Configurations to hand out in all, counted across restarts. An ArgumentError with Hyperband, whose iterations
   * are whole Hyperband iterations, not configurations. @default endless (a sampler that needs a plan size refuses)
   */
  readonly iterations?: number;
  /** Milliseconds after which an ask not told is recorded as a failed trial. @default never */
  readonly askTimeout?: number;
  /** Whether a told value is a loss or a score; a journal keeps one direction. @default 'minimize' */
  readonly direction?: Direction;
  /** Asks expected outstanding at once: the concurrency the sampler plans for. @default 1 */
  readonly concurrency?: number;
  /** How long an ask waits for a sampler that waits for results (a Hyperband rung), before a 503 to ask again. @default 30000 */
  readonly askWait?: number;
  /** Shown as the dashboard's heading. @default the journal's file name */
  readonly title?: string;
  /** Where warnings go (a skipped truncated journal line). @default console.warn */
  readonly onWarning?: (message: string) => void;
}
