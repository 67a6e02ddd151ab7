import { ArgumentError } from '../base/ArgumentError.js';
import { show } from '../base/check.js';
import { isRange } from './Range.js';
import type { Space } from './Space.js';

/** Validates a space at the edge: every entry a non-empty array or a valid range. */
export function checkSpace(space: unknown, option = 'space'): Space {
  if (space === null || typeof space !== 'object' || Array.isArray(space)) {
    throw new ArgumentError(option, `must be an object of candidate vectors and ranges, got ${space === undefined ? 'undefined' : show(space)}`);
  }
  const proto: unknown = Object.getPrototypeOf(space);
  if (Array.isArray(proto) || isRange(proto)) {
    // `{ __proto__: [1, 2] }` in an object literal sets the prototype: the parameter would vanish.
    throw new ArgumentError(`${option}.__proto__`, "in an object literal sets the prototype instead of naming a parameter: write ['__proto__']: ... (a computed key)");
  }
  const keys = Object.keys(space);
  if (keys.length === 0) throw new ArgumentError(option, 'must name at least one parameter');
  for (const key of keys) {
    const entry = (space as Record<string, unknown>)[key];
    if (Array.isArray(entry)) {
      if (entry.length === 0) throw new ArgumentError(`${option}.${key}`, 'is an empty candidate vector');
      // A hole (new Array(5), [1, , 3]) would be sampled as undefined.
      for (let k = 0; k < entry.length; k++) {
        if (!(k in entry)) throw new ArgumentError(`${option}.${key}`, `has a hole at index ${k} (a sparse array): fill every element`);
      }
    } else if (isRange(entry)) {
      const { kind, lo, hi } = entry;
      if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
        throw new ArgumentError(`${option}.${key}`, `needs finite bounds lo < hi, got ${kind}(${lo}, ${hi})`);
      }
      if (kind === 'logUniform' && lo <= 0) throw new ArgumentError(`${option}.${key}`, `needs lo > 0 for logUniform, got ${lo}`);
      if (kind === 'intUniform' && (!Number.isInteger(lo) || !Number.isInteger(hi))) {
        throw new ArgumentError(`${option}.${key}`, `needs integer bounds for intUniform, got ${lo}, ${hi}`);
      }
      if (kind === 'intUniform') checkSafeIntegers(`${option}.${key}`, lo, hi);
    } else {
      throw new ArgumentError(`${option}.${key}`, `must be a candidate vector (array) or a range (uniform, logUniform, intUniform), got ${show(entry)}`);
    }
  }
  return space as Space;
}

/** intUniform bounds must be safe integers: beyond 2^53 neighbouring integers share a double, and hi - lo + 1 may overflow. */
export function checkSafeIntegers(option: string, lo: number, hi: number): void {
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) {
    throw new ArgumentError(option, `needs safe integer bounds (|x| <= ${Number.MAX_SAFE_INTEGER}), got lo = ${lo}, hi = ${hi}`);
  }
}
