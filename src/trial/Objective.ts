import type { Observable } from 'rxjs';

/** What an objective may return: a number, or a value with a state to resume from. */
export type ObjectiveResult<S = unknown> = number | { readonly value: number; readonly state?: S };

/** What an objective learns about the trial it runs. */
export interface TrialContext<S = unknown> {
  /** 0-based index of the configuration, in sampling order. */
  readonly i: number;
  /** Under Hyperband: the budget for this evaluation. */
  readonly resources?: number;
  /** Under Hyperband: what this configuration returned at its previous rung. */
  readonly state?: S;
  /** Aborted when the run is cancelled or the trial is pruned. */
  readonly signal: AbortSignal;
}

/**
 * The function to minimise. Returns a number, `{ value, state }`, a promise of
 * either, or an Observable of intermediate values (the last one counts;
 * unsubscribing stops it).
 */
export type Objective<P = any, S = unknown> = (params: P, trial: TrialContext<S>) => ObjectiveResult<S> | PromiseLike<ObjectiveResult<S>> | Observable<ObjectiveResult<S>>;
