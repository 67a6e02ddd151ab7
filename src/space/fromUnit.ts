import type { Range } from './Range.js';
import { isRange } from './Range.js';

/**
 * Maps u in [0, 1) to a value of one space entry. A candidate vector of
 * length L gives each element an equal cell `[k/L, (k+1)/L)`, so a uniform u
 * is a uniform draw of candidates; ranges map linearly, on the log axis, or to
 * integers with equal cells. The same map serves random, Latin hypercube and
 * model-based samplers.
 */
export function fromUnit(entry: readonly unknown[] | Range, u: number): unknown {
  if (!isRange(entry)) {
    const n = entry.length;
    return entry[Math.min(n - 1, Math.floor(u * n))];
  }
  const { lo, hi } = entry;
  switch (entry.kind) {
    case 'uniform': {
      const width = hi - lo;
      // A width beyond the largest double (uniform(-1e308, 1e308)) overflows: interpolate from both ends instead.
      return Number.isFinite(width) ? Math.min(hi, lo + u * width) : lo * (1 - u) + hi * u;
    }
    case 'logUniform':
      return Math.min(hi, Math.max(lo, Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo)))));
    case 'intUniform':
      return Math.min(hi, lo + Math.floor(u * (hi - lo + 1)));
  }
}
