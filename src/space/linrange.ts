import { ArgumentError } from '../ArgumentError.js';
import { checkFiniteNumber, checkPositiveInteger } from '../internal/check.js';

/**
 * `length` evenly spaced numbers from `start` to `stop`, both included, as
 * Julia's `LinRange` computes them (`start + (stop - start) * k / (length - 1)`
 * interpolated from both ends).
 *
 * ## Example
 * ```ts
 * linrange(1, 5, 5); // [1, 2, 3, 4, 5]
 * ```
 */
export function linrange(start: number, stop: number, length: number): number[] {
  checkFiniteNumber('linrange.start', start);
  checkFiniteNumber('linrange.stop', stop);
  checkPositiveInteger('linrange.length', length);
  if (length === 1) {
    if (start !== stop) throw new ArgumentError('linrange.length', `must be > 1 when start !== stop, got 1`);
    return [start];
  }
  const lendiv = length - 1;
  const out = new Array<number>(length);
  for (let k = 0; k < length; k++) {
    // Julia's lerpi: (1 - t) * start + t * stop with t = k / lendiv; exact endpoints.
    const t = k / lendiv;
    out[k] = (1 - t) * start + t * stop;
  }
  out[0] = start;
  out[length - 1] = stop;
  return out;
}
