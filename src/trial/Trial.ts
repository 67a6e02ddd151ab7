/** One evaluation of the objective: the only record of what happened. */
export interface Trial<P = any, S = unknown> {
  /** 0-based index of the configuration, in sampling order (promoted configurations keep theirs). */
  readonly i: number;
  readonly params: P;
  /** The objective's value; NaN where there is none (failed, or the objective returned NaN). */
  readonly value: number;
  readonly status: 'ok' | 'failed' | 'pruned';
  /** What the objective threw, for a failed trial. */
  readonly error?: unknown;
  /** The budget of this evaluation, under Hyperband / ASHA. */
  readonly resources?: number;
  /** What the objective returned as `state` (Hyperband passes it to the next rung). */
  readonly state?: S;
  /** Under Hyperband: the bracket (s) and the rung within it. */
  readonly bracket?: number;
  readonly rung?: number;
  /** How many intermediate values a streaming objective had emitted (its last one is `value`). */
  readonly steps?: number;
  /**
   * Those values in order, as the objective gave them (NaN for an emission
   * with no readable value): the learning curve behind `value`.
   */
  readonly curve?: readonly number[];
  readonly durationMs: number;
}

/** A configuration to evaluate, as samplers emit it. */
export interface Candidate<P = any, S = unknown> {
  readonly i: number;
  readonly params: P;
  /** Set by multi-fidelity samplers: the budget for this evaluation. */
  readonly resources?: number;
  /** Set by multi-fidelity samplers for a promoted configuration. */
  readonly state?: S;
  readonly bracket?: number;
  readonly rung?: number;
  /**
   * Asked after each intermediate value of a streaming objective (step is
   * 1-based); `true` stops it by unsubscription and records it as pruned.
   */
  readonly prune?: (value: number, step: number) => boolean;
}
