import { checkBounds } from '../base/check.js';
import type { Range } from './Range.js';

/**
 * Real numbers drawn uniformly from `[lo, hi]`.
 *
 * ## Example
 * ```ts
 * const space = { dropout: uniform(0, 0.5) };
 * ```
 */
export function uniform(lo: number, hi: number): Range<number> {
  checkBounds('uniform', lo, hi);
  return Object.freeze({ kind: 'uniform', lo, hi });
}
