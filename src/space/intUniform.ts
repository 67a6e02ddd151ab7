import { ArgumentError } from '../base/ArgumentError.js';
import type { Range } from './Range.js';
import { checkBounds } from '../base/check.js';
import { checkSafeIntegers } from './checkSpace.js';

/**
 * Integers drawn uniformly from `lo..hi`, both included; bounds are safe
 * integers (|x| ≤ 2^53 − 1), where every integer is a distinct double.
 *
 * ## Example
 * ```ts
 * const space = { layers: intUniform(1, 8) };
 * ```
 */
export function intUniform(lo: number, hi: number): Range<number> {
  checkBounds('intUniform', lo, hi);
  if (!Number.isInteger(lo) || !Number.isInteger(hi)) {
    throw new ArgumentError('intUniform', `needs integer bounds, got lo = ${lo}, hi = ${hi}`);
  }
  checkSafeIntegers('intUniform', lo, hi);
  return Object.freeze({ kind: 'intUniform', lo, hi });
}
