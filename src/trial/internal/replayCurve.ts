import type { Trial } from '../Trial.js';

/**
 * Hands a finished trial's curve to a pruning rule as it was reported live:
 * value k at step k + 1. Only when the curve's positions are its steps (its
 * length is `steps`, as in the loop; an ask/tell client may report steps with
 * gaps, whose numbers the curve does not keep), and without its NaN entries
 * (an emission with no readable value, which no rule was asked about).
 */
export function replayCurve(trial: Pick<Trial, 'curve' | 'steps'>, report: (value: number, step: number) => void): void {
  const { curve, steps } = trial;
  if (curve === undefined || (steps !== undefined && steps !== curve.length)) return;
  curve.forEach((value, k) => {
    if (!Number.isNaN(value)) report(value, k + 1);
  });
}
