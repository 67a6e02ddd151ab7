import { defer, map, take, type Observable } from 'rxjs';
import type { Candidate } from '../trial/Trial.js';
import type { Dimension, Dimensions } from '../space/Dimension.js';
import type { Space } from '../space/Space.js';
import { checkDims, resolveDimensions } from '../space/inferDimensions.js';
import { checkOptions, checkSeed } from '../base/check.js';
import { setOwn } from '../base/setOwn.js';
import type { Sampler, SamplerContext } from './Sampler.js';
import { randomSeed } from './internal/rng.js';
import { checkPlanIterations } from './internal/checkSampler.js';
import { budgetedGenerations, continuousValue, optimizable, optimizePlan, planRng, randomPlan, type PlanColumn } from './internal/lhsPlan.js';

export interface CLHSamplerOptions {
  /**
   * Each parameter's kind, in the space's key order or by name:
   * `continuous()` (stratified like LHSampler), `categorical(L)` or
   * `unorderedCategorical(L)` (L = the vector's length; each level is used
   * floor(n/L) or ceil(n/L) times). Missing ones are inferred: a range or a
   * sorted numeric vector is continuous, anything else categorical.
   * @default inferred from the space
   */
  readonly dims?: Dimensions;
  /** Same seed, same space, same `iterations`: the same plan. @default a fresh random seed */
  readonly seed?: number | string;
}

/** Hyperopt.jl's CLHSampler runs the genetic algorithm for 500 generations; we cap that at LHSampler's planning budget. */
const GENERATIONS = 500;

/**
 * Categorical Latin hypercube sampling, Hyperopt.jl's `CLHSampler`: like
 * LHSampler, but a categorical dimension with L levels gets each level
 * floor(n/L) or ceil(n/L) times over the n = `iterations` rows, balanced
 * across the plan, while continuous dimensions are split into n strata. The
 * plan is optimised by LatinHypercubeSampling.jl's genetic algorithm for
 * Hyperopt.jl's 500 generations, capped at about 0.1 s of planning like
 * LHSampler's default (crossover on continuous columns only, so level counts
 * never change); plans too large for that are left random, as LHSampler's.
 *
 * `dims` that do not match the space (count, names, levels, a categorical
 * range) are an ArgumentError from `validate`, before any objective runs.
 * Continuous vectors of any length are allowed (Hyperopt.jl requires length
 * n). `iterations` is required; a continuation (`start` > 0) plans a fresh
 * hypercube from the seed and `start`, as LHSampler does.
 *
 * ## Example
 * ```ts
 * import { candidates, CLHSampler, categorical, continuous, linrange } from 'hyperopt-rx';
 * const sampler = new CLHSampler({ dims: [continuous(), categorical(2)], seed: 1 });
 * candidates(sampler, { a: linrange(1, 5, 10), b: [true, false] }, { iterations: 10 })
 *   .subscribe(({ params }) => console.log(params.a, params.b)); // five rows with b true, five with b false
 * ```
 * @see LHSampler
 */
export class CLHSampler implements Sampler {
  readonly name = 'CLHSampler';
  readonly requiresIterations = true;
  readonly dims: Dimensions | undefined;
  readonly seed: number | string;

  constructor(options: CLHSamplerOptions = {}) {
    checkOptions('CLHSampler', options, ['dims', 'seed']);
    this.dims = checkDims(options.dims);
    this.seed = checkSeed('seed', options.seed ?? randomSeed());
  }

  validate(space: Space, iterations: number | undefined): void {
    resolveDimensions(space, this.dims, 'dims');
    checkPlanIterations(this, iterations);
  }

  candidates(space: Space, { iterations, start, demand$ }: SamplerContext): Observable<Candidate> {
    this.validate(space, iterations);
    const n = iterations as number;
    const dims = resolveDimensions(space, this.dims, 'dims');
    return defer(() => {
      const keys = Object.keys(space);
      const entries = keys.map((key) => space[key]);
      const d = keys.length;
      const columns = dims.map(toPlanColumn);
      const rng = planRng(this.seed, start);
      const initial = randomPlan(n, columns, rng);
      // Too large for the GA within about a second: one random (still balanced) plan.
      const data = optimizable(n, d) ? optimizePlan(initial, budgetedGenerations(n, d, GENERATIONS), rng, columns).plan.data : initial.data;
      let row = 0;
      return demand$.pipe(
        take(n),
        map((): Candidate => {
          const params: Record<string, unknown> = {};
          for (let k = 0; k < d; k++) {
            const entry = entries[k];
            const value = data[k * n + row];
            // A categorical entry is the level, i.e. the index into the vector. One draw per entry either way, so kinds do not shift the stream.
            const u = rng();
            setOwn(params, keys[k], columns[k].kind === 'categorical' ? (entry as readonly unknown[])[value] : continuousValue(entry, value, n, u));
          }
          return { i: start + row++, params };
        }),
      );
    });
  }

  toJSON(): object {
    return { name: this.name, seed: this.seed, ...(this.dims === undefined ? {} : { dims: this.dims }) };
  }
}

function toPlanColumn(dim: Dimension): PlanColumn {
  return dim.kind === 'continuous' ? { kind: 'continuous' } : { kind: 'categorical', levels: dim.levels };
}
