/** One evaluation of a multi-fidelity run: [configuration index, budget, noisy loss, noise-free loss]. */
export type Evaluation = readonly [number, number, number, number];

/**
 * Regret (noise-free loss − fStar) of the incumbent once `spent` budget has
 * been used, for each value of `spent`, under HpBandSter's rule: the
 * incumbent is the evaluation with the largest budget so far, the lowest
 * noisy loss among those; an evaluation counts once its whole budget is
 * spent. NaN before the first evaluation.
 */
export function incumbentRegret(evals: readonly Evaluation[], spent: readonly number[], fStar: number): number[] {
  const out: number[] = [];
  let used = 0;
  let k = 0;
  let inc: Evaluation | undefined;
  for (const limit of spent) {
    while (k < evals.length && used + evals[k][1] <= limit) {
      const e = evals[k++];
      used += e[1];
      if (!inc || e[1] > inc[1] || (e[1] === inc[1] && e[2] < inc[2])) inc = e;
    }
    out.push(inc ? inc[3] - fStar : NaN);
  }
  return out;
}
