import type { Dimension } from './Dimension.js';
import { checkPositiveInteger } from '../base/check.js';

/** A categorical dimension with `levels` ordered levels (Hyperopt.jl's `Categorical(L)`). */
export function categorical(levels: number): Dimension {
  return { kind: 'categorical', levels: checkPositiveInteger('categorical.levels', levels) };
}
