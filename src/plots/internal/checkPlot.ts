import { ArgumentError } from '../../ArgumentError.js';
import { show } from '../../internal/check.js';
import type { Hyperoptimizer } from '../../sinks/Hyperoptimizer.js';

export function checkHo(ho: unknown): asserts ho is Hyperoptimizer {
  if (ho === null || typeof ho !== 'object' || !Array.isArray((ho as Hyperoptimizer).trials) || !Array.isArray((ho as Hyperoptimizer).params)) {
    throw new ArgumentError('ho', `must be a Hyperoptimizer, got ${show(ho)}`);
  }
}
