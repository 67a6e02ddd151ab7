import { ArgumentError } from '../ArgumentError.js';
import type { Range } from './Range.js';
import { checkBounds } from '../internal/check.js';

/**
 * Integers drawn uniformly from `lo..hi`, both included.
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
  return Object.freeze({ kind: 'intUniform', lo, hi });
}
