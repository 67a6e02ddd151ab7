import type { Dimension } from './Dimension.js';
import { checkPositiveInteger } from '../base/check.js';

/** A categorical dimension whose `levels` have no order (Hyperopt.jl's `UnorderedCategorical(L)`). */
export function unorderedCategorical(levels: number): Dimension {
  return { kind: 'unorderedCategorical', levels: checkPositiveInteger('unorderedCategorical.levels', levels) };
}
