import type { Direction } from '../Direction.js';
import type { Candidate, Trial } from '../Trial.js';
import { checkOneOf } from '../../base/check.js';

/** The run's direction, checked: an ArgumentError naming `option` for anything but the two names. */
export function checkDirection(value: unknown, option = 'direction'): Direction {
  return checkOneOf(option, value, ['minimize', 'maximize'] as const);
}

/**
 * A trial as samplers, pruners and rung engines see it: they minimize, so
 * under 'maximize' the value and its curve are negated (NaN stays NaN: failed is still
 * worst). Only the record handed to them is a copy; the user's trial keeps
 * its own value.
 */
export function lossView<T extends Trial>(trial: T): T {
  return trial.curve === undefined ? { ...trial, value: -trial.value } : { ...trial, value: -trial.value, curve: trial.curve.map((v) => -v) };
}

/** Trials as losses: the very array when minimizing (no copy), negated copies when maximizing. */
export function lossViews<T extends Trial>(trials: readonly T[], direction: Direction): readonly T[] {
  return direction === 'maximize' ? trials.map(lossView) : trials;
}

/** Under 'maximize', a candidate whose prune rule (a minimizing one) is asked with the negated value; else the candidate itself. */
export function lossRule<C extends Candidate>(candidate: C, direction: Direction): C {
  const rule = candidate.prune;
  if (direction !== 'maximize' || rule === undefined) return candidate;
  return { ...candidate, prune: (value: number, step: number) => rule(-value, step) };
}
