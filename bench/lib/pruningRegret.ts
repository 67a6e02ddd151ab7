/**
 * One evaluation of a pruning run, in finishing order: the epochs it cost,
 * whether it ran to the last epoch unpruned (only those can be the incumbent),
 * the last noisy loss it reported, and its noise-free loss after all epochs.
 */
export interface EpochEvaluation {
  readonly epochs: number;
  readonly complete: boolean;
  readonly noisy: number;
  readonly clean: number;
}

/**
 * Regret (noise-free final loss − fStar) of the incumbent once `spent`
 * epochs have been used, for each value of `spent`: the incumbent is the
 * complete evaluation with the lowest noisy final loss (Optuna's
 * `study.best_trial`, which ignores pruned trials); an evaluation counts once
 * all its epochs are spent. NaN before the first complete evaluation, and
 * for a `spent` beyond what the run used (it did not get that far).
 */
export function pruningRegret(evals: readonly EpochEvaluation[], spent: readonly number[], fStar: number): number[] {
  const total = evals.reduce((sum, e) => sum + e.epochs, 0);
  const out: number[] = [];
  let used = 0;
  let k = 0;
  let inc: EpochEvaluation | undefined;
  for (const limit of spent) {
    while (k < evals.length && used + evals[k].epochs <= limit) {
      const e = evals[k++];
      used += e.epochs;
      if (e.complete && (!inc || e.noisy < inc.noisy)) inc = e;
    }
    out.push(inc && limit <= total ? inc.clean - fStar : NaN);
  }
  return out;
}

/**
 * Noise-free regret (clean final loss − fStar) of the best configuration the
 * run evaluated to the end: the smallest `clean` over its complete
 * evaluations, which its incumbent would have if the final loss had no noise.
 * Pruned and partial evaluations do not count. NaN with no complete one.
 */
export function bestEvaluatedRegret(evals: readonly EpochEvaluation[], fStar: number): number {
  let best = Infinity;
  for (const e of evals) if (e.complete && e.clean < best) best = e.clean;
  return best === Infinity ? NaN : best - fStar;
}
