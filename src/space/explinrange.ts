import { checkFiniteNumber } from '../internal/check.js';
import { ArgumentError } from '../ArgumentError.js';
import { linrange } from './linrange.js';

/**
 * `base ** linrange(start, stop, length)`: a log-spaced grid, Hyperopt.jl's
 * `exp10.(LinRange(start, stop, length))` for the default base.
 *
 * ## Example
 * ```ts
 * explinrange(-1, 3, 5); // [0.1, 1, 10, 100, 1000]
 * ```
 */
export function explinrange(start: number, stop: number, length: number, base = 10): number[] {
  checkFiniteNumber('explinrange.base', base);
  if (base <= 0 || base === 1) throw new ArgumentError('explinrange.base', `must be > 0 and !== 1, got ${base}`);
  return linrange(start, stop, length).map((e) => base ** e);
}
