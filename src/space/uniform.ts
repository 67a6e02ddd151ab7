import { ArgumentError } from '../ArgumentError.js';
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

export function checkBounds(name: string, lo: number, hi: number, option = name): void {
  if (typeof lo !== 'number' || !Number.isFinite(lo)) throw new ArgumentError(`${option}.lo`, `must be a finite number, got ${String(lo)}`);
  if (typeof hi !== 'number' || !Number.isFinite(hi)) throw new ArgumentError(`${option}.hi`, `must be a finite number, got ${String(hi)}`);
  if (!(lo < hi)) throw new ArgumentError(option, `needs lo < hi, got lo = ${lo}, hi = ${hi}`);
}
