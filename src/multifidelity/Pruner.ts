/**
 * Asked after each intermediate value of a streaming objective: `i` is the
 * configuration, `value` its latest value, `step` how many values it has
 * emitted (1-based, one per unit of resource such as an epoch). `true`
 * stops it: the trial is unsubscribed, its signal aborts, and it is recorded
 * as 'pruned' with that value.
 */
export type PruneRule = (i: number, value: number, step: number) => boolean;

/**
 * A pruning rule for streaming objectives (`SuccessiveHalvingPruner`,
 * `MedianPruner`). Configuration only: `start()` makes the state of one run
 * (the values seen so far), so one pruner can serve many runs. Attach it with
 * the `prune` operator or `withPruner(sampler, pruner)`. A rule minimizes:
 * under `direction: 'maximize'` (of the run, or of `prune`) it is asked with
 * the negated value, so a pruner never needs a direction of its own.
 */
export interface Pruner {
  /** Shown in summaries and journals. */
  readonly name: string;
  /** A fresh rule with empty state, for one run. */
  start(): PruneRule;
  /** Serialisable description. */
  toJSON?(): object;
}
