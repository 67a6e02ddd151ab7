import { checkFiniteNumber } from '../base/check.js';
import { ArgumentError } from '../base/ArgumentError.js';
import { linrange } from './linrange.js';

/**
 * `base ** linrange(start, stop, length)`: a log-spaced grid, Hyperopt.jl's
 * `exp10.(LinRange(start, stop, length))` for the default base. Ends whose
 * power overflows to Infinity or underflows to 0 are refused.
 *
 * ## Example
 * ```ts
 * explinrange(-1, 3, 5); // [0.1, 1, 10, 100, 1000]
 * ```
 */
export function explinrange(start: number, stop: number, length: number, base = 10): number[] {
  checkFiniteNumber('explinrange.base', base);
  if (base <= 0 || base === 1) throw new ArgumentError('explinrange.base', `must be > 0 and !== 1, got ${base}`);
  const grid = linrange(start, stop, length);
  // The grid is monotone, so its ends bound every value: each must be a finite number > 0.
  for (const [option, e] of [
    ['explinrange.start', start],
    ['explinrange.stop', stop],
  ] as const) {
    const v = base ** e;
    if (!Number.isFinite(v) || v === 0) throw new ArgumentError(option, `gives ${base} ** ${e} = ${v}, outside the finite positive numbers`);
  }
  return grid.map((e) => base ** e);
}
