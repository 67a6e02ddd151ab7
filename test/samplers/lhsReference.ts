// The Audze–Eglais fitness of LatinHypercubeSampling.jl with all its options,
// written plainly (pair by pair, no scratch arrays): the tests check the
// production `planFitness` and the GA's reported fitness against it. The
// options beyond Julia's defaults (periodic distances, another power, per-level
// terms) live only here: no sampler uses them.
import type { Plan, PlanColumn } from '../../src/samplers/internal/lhsPlan.js';
import { allContinuous } from '../../src/samplers/internal/lhsPlan.js';

/** A plan column, with Julia's per-level weight for a categorical one. */
export type ReferenceColumn = PlanColumn & { readonly weight?: number };

export interface FitnessOptions {
  /** Column kinds. @default every column continuous */
  readonly columns?: readonly ReferenceColumn[];
  /** Weight of the term over all rows. @default 1 */
  readonly interSampleWeight?: number;
  /** Measure each coordinate difference on a circle of circumference n: min(|Δ|, n − |Δ|). @default false */
  readonly periodic?: boolean;
  /** p in 1 / D^(p/2), D the squared Euclidean distance. @default 2 */
  readonly aePower?: number;
}

/**
 * `interSampleWeight · AE(all rows)` plus, for each categorical column with a
 * weight, `weight · AE(rows at level v)` for each level v, where
 * `AE = 1 / Σ_{i<j} 1 / D_ij^(p/2)` and D_ij is the squared distance between
 * rows on the integer grid. A per-level AE over fewer than two rows counts as
 * 0. Sums run over i ascending, then j < i ascending, as Julia's do.
 */
export function audzeEglais(plan: Plan, options: FitnessOptions = {}): number {
  const { rows: n, columns: d, data } = plan;
  const { columns = allContinuous(d), interSampleWeight = 1, periodic = false, aePower = 2 } = options;
  const term = (D: number): number => (aePower === 2 ? 1 / D : 1 / D ** (aePower / 2));
  const distance = (i: number, j: number): number => {
    let D = 0;
    for (let k = 0; k < d; k++) {
      let t = Math.abs(data[k * n + i] - data[k * n + j]);
      if (periodic) t = Math.min(t, n - t);
      D += t * t;
    }
    return D;
  };
  let sum = 0;
  for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) sum += term(distance(i, j));
  let out = (1 / sum) * interSampleWeight;
  columns.forEach((column: ReferenceColumn, k) => {
    if (column.kind !== 'categorical') return;
    for (let level = 0; level < column.levels; level++) {
      let levelSum = 0;
      for (let i = 1; i < n; i++) {
        if (data[k * n + i] !== level) continue;
        for (let j = 0; j < i; j++) if (data[k * n + j] === level) levelSum += term(distance(i, j));
      }
      const ae = 1 / levelSum;
      out += (ae === Infinity ? 0 : ae) * (column.weight ?? 0);
    }
  });
  return out;
}
