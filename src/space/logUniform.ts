import { ArgumentError } from '../base/ArgumentError.js';
import type { Range } from './Range.js';
import { checkBounds } from '../base/check.js';

/**
 * Positive reals whose logarithm is uniform on `[log lo, log hi]`: learning
 * rates, regularisation strengths.
 *
 * ## Example
 * ```ts
 * const space = { lr: logUniform(1e-5, 1e-1) };
 * ```
 */
export function logUniform(lo: number, hi: number): Range<number> {
  checkBounds('logUniform', lo, hi);
  if (lo <= 0) throw new ArgumentError('logUniform.lo', `must be > 0, got ${lo}`);
  return Object.freeze({ kind: 'logUniform', lo, hi });
}
