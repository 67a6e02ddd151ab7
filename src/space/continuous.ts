import type { Dimension } from './Dimension.js';

/** A continuous (ordered) dimension: a sorted numeric vector or a range. */
export function continuous(): Dimension {
  return { kind: 'continuous' };
}
