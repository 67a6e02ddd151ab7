import type { Observable } from 'rxjs';
import type { Candidate, Trial } from '../trial/Trial.js';
import type { Space } from '../space/Space.js';

/**
 * What a sampler is given for one run. It never sees the optimizer: only the
 * space (passed beside this), these streams and the trials of earlier runs.
 */
export interface SamplerContext {
  /**
   * How many configurations to draw (for Hyperband: whole Hyperband
   * iterations). Undefined: endless (only where `requiresIterations` is false).
   */
  readonly iterations?: number;
  /** The `i` of the first configuration this run draws (continuation goes on counting). */
  readonly start: number;
  /** Trials recorded before this run (continuation, journal): refit models from them. */
  readonly past: readonly Trial[];
  /**
   * Every trial of this run as it finishes (failed ones too), emitted before
   * the demand tick it causes. Adaptive samplers subscribe to it.
   */
  readonly results$: Observable<Trial>;
  /**
   * One tick each time an evaluation slot is free (first `concurrency`
   * ticks at subscription). Emit at most one candidate per tick to stay
   * demand-driven; a sampler may also emit without a tick (a whole rung at
   * once): the loop queues those until slots free. Derive candidates from it
   * with operators (`take`, `map`, `concatMap`) so that completing or
   * unsubscribing stops the ticks, even a synchronous endless tick source.
   */
  readonly demand$: Observable<void>;
  /** Objectives in flight at once in this run. */
  readonly concurrency: number;
}

/**
 * A sampler turns a space into an Observable of candidates. Samplers hold
 * configuration only; all run state lives inside each subscription, so one
 * instance can serve many runs.
 */
export interface Sampler {
  /** Shown in summaries and journals. */
  readonly name: string;
  /** When `iterations` is omitted in `hyperopt`: a default (Hyperband: 1), else it is required. */
  readonly defaultIterations?: number;
  /** True when even `candidates()` cannot run without `iterations` (a plan of fixed size). */
  readonly requiresIterations?: boolean;
  /** Planned evaluations for `iterations` (Hyperband counts rungs), for progress displays. @default iterations */
  evaluations?(space: Space, iterations: number): number | undefined;
  /** Checks the space against the sampler's options; throws ArgumentError. */
  validate?(space: Space, iterations: number | undefined): void;
  /** The run's candidates; subscribe once per run. */
  candidates(space: Space, context: SamplerContext): Observable<Candidate>;
  /** Serialisable description (seed included) for journals and `toJSON`. */
  toJSON?(): object;
}
