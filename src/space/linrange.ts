import { ArgumentError } from '../base/ArgumentError.js';
import { checkFiniteNumber, checkPositiveInteger } from '../base/check.js';
import { MAX_GRID_LENGTH } from '../base/limits.js';

/**
 * `length` evenly spaced numbers from `start` to `stop`, both included, as
 * Julia's `LinRange` computes them (`start + (stop - start) * k / (length - 1)`
 * interpolated from both ends). `length` is at most 1e7 (`MAX_GRID_LENGTH`);
 * use `uniform(start, stop)` for a continuum.
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
  if (length > MAX_GRID_LENGTH) {
    throw new ArgumentError('linrange.length', `must be at most ${MAX_GRID_LENGTH} (MAX_GRID_LENGTH), got ${length}: use uniform(start, stop) for a continuum`);
  }
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
