import type { Range } from './Range.js';
import { isRange } from './Range.js';

/**
 * The inverse of `fromUnit`: a value's position in [0, 1]. A candidate-vector
 * element maps to the centre of its cell (found by identity, `Object.is`);
 * -1 when the value is not a candidate.
 */
export function toUnit(entry: readonly unknown[] | Range, value: unknown): number {
  if (!isRange(entry)) {
    const k = indexOfCandidate(entry, value);
    return k < 0 ? -1 : (k + 0.5) / entry.length;
  }
  const v = value as number;
  const { lo, hi } = entry;
  switch (entry.kind) {
    case 'uniform':
      // Halved where the width overflows (uniform(-1e308, 1e308)).
      return Number.isFinite(hi - lo) ? (v - lo) / (hi - lo) : (v / 2 - lo / 2) / (hi / 2 - lo / 2);
    case 'logUniform':
      return (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo));
    case 'intUniform':
      return (v - lo + 0.5) / (hi - lo + 1);
  }
}

/** Index of a value in a candidate vector by identity (NaN finds NaN). */
export function indexOfCandidate(vector: readonly unknown[], value: unknown): number {
  for (let k = 0; k < vector.length; k++) if (Object.is(vector[k], value)) return k;
  return -1;
}
