import type { Dimension, Dimensions } from './Dimension.js';
import { isRange } from './Range.js';
import type { Space } from './Space.js';
import { ArgumentError } from '../base/ArgumentError.js';
import { show } from '../base/check.js';
import { checkSpace } from './checkSpace.js';

/**
 * Dimension kinds inferred from a space: a range or a sorted numeric vector
 * is `continuous`; any other vector (booleans, strings, functions, unsorted
 * numbers) is `unorderedCategorical` with one level per element.
 */
export function inferDimensions(space: Space): Dimension[] {
  checkSpace(space);
  return Object.keys(space).map((key) => inferDimension(space[key]));
}

function inferDimension(entry: Space[string]): Dimension {
  if (isRange(entry)) return { kind: 'continuous' };
  const numeric = entry.every((v) => typeof v === 'number' && !Number.isNaN(v));
  if (numeric && entry.length > 1) {
    let sorted = true;
    for (let k = 1; k < entry.length && sorted; k++) sorted = (entry[k - 1] as number) <= (entry[k] as number);
    if (sorted) return { kind: 'continuous' };
  }
  return { kind: 'unorderedCategorical', levels: entry.length };
}

/** A sampler's `dims` option before any space is known: omitted, an array in key order or a record by name. */
export function checkDims(dims: unknown, option = 'dims'): Dimensions | undefined {
  if (dims !== undefined && (dims === null || typeof dims !== 'object')) {
    throw new ArgumentError(option, `must be an array of dimensions or a record by parameter name, got ${show(dims)}`);
  }
  return dims as Dimensions | undefined;
}

/**
 * Resolves user-given `dims` (array in key order, or record by name; missing
 * entries inferred) against the space, as an array in key order. Count,
 * names and levels must match: a categorical dim needs as many levels as the
 * vector has candidates; a range cannot be categorical.
 */
export function resolveDimensions(space: Space, dims: Dimensions | undefined, option = 'dims'): Dimension[] {
  const keys = Object.keys(space);
  const inferred = inferDimensions(space);
  if (dims === undefined) return inferred;
  let list: (Dimension | undefined)[];
  if (Array.isArray(dims)) {
    if (dims.length !== keys.length) {
      throw new ArgumentError(option, `has ${dims.length} entries but the space has ${keys.length} parameters (${keys.join(', ')})`);
    }
    list = (dims as readonly Dimension[]).slice(); // Array.isArray widens a readonly array to any[]
  } else {
    const record = dims as Readonly<Record<string, Dimension>>;
    for (const name of Object.keys(record)) {
      if (!keys.includes(name)) throw new ArgumentError(`${option}.${name}`, `names no parameter of the space (${keys.join(', ')})`);
    }
    list = keys.map((k) => record[k]);
  }
  return keys.map((key, j) => {
    const dim = list[j] ?? inferred[j];
    const where = Array.isArray(dims) ? `${option}[${j}]` : `${option}.${key}`;
    const entry = space[key];
    if (dim === null || typeof dim !== 'object' || !['continuous', 'categorical', 'unorderedCategorical'].includes(dim.kind)) {
      throw new ArgumentError(where, 'must be continuous(), categorical(L) or unorderedCategorical(L)');
    }
    if (dim.kind !== 'continuous') {
      if (isRange(entry)) throw new ArgumentError(where, `is categorical but space.${key} is a continuous range`);
      if (dim.levels !== entry.length) {
        throw new ArgumentError(where, `has ${dim.levels} levels but space.${key} has ${entry.length} candidates`);
      }
    } else if (!isRange(entry) && !entry.every((v) => typeof v === 'number')) {
      throw new ArgumentError(where, `is continuous but space.${key} holds non-numeric candidates`);
    }
    return dim;
  });
}
