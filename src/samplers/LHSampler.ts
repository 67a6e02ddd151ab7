import { defer, map, take, type Observable } from 'rxjs';
import { ArgumentError } from '../base/ArgumentError.js';
import type { Candidate } from '../trial/Trial.js';
import type { Space } from '../space/Space.js';
import { checkOptions, checkSeed, show } from '../base/check.js';
import { setOwn } from '../base/setOwn.js';
import type { Sampler, SamplerContext } from './Sampler.js';
import { randomSeed } from './internal/rng.js';
import { checkPlanIterations } from './internal/checkSampler.js';
import { allContinuous, budgetedGenerations, continuousValue, optimizable, optimizePlan, planRng, randomPlan } from './internal/lhsPlan.js';

export interface LHSamplerOptions {
  /** Same seed, same space, same `iterations`: the same plan. @default a fresh random seed */
  readonly seed?: number | string;
  /**
   * Generations of the genetic algorithm that spreads the plan out (0: the
   * best of 100 random Latin hypercubes). @default Hyperopt.jl's
   * `(200000 ÷ n) ÷ d` for n rows and d parameters (n = 100, d = 3: 666),
   * capped at about 0.05–0.1 s of planning (100 × 3: 25; 1,000 × 10: 1; at least
   * 1). Pass Hyperopt.jl's count to get its plans' extra few percent of fitness.
   * Plans too large for one generation in about a second (more than about
   * 2,500 rows × 3 parameters or 1,000 × 10) are left random by default and
   * refuse an explicit `gaIterations`.
   */
  readonly gaIterations?: number;
}

/**
 * Latin hypercube sampling, Hyperopt.jl's `LHSampler`: plans `iterations`
 * configurations at once so that every parameter is split into `iterations`
 * equal strata and each stratum is sampled exactly once, then spreads the
 * points apart with LatinHypercubeSampling.jl's genetic algorithm (maximising
 * the inverse Audze–Eglais distance). Candidates come out in plan order.
 *
 * A candidate vector whose length equals `iterations` is used exactly once
 * per element (Hyperopt.jl's case). Other lengths are allowed and stay
 * stratified: a shorter vector gives each element about `iterations / length`
 * times, a longer one picks one element inside each stratum (Hyperopt.jl
 * throws an ArgumentError for them). A range (`uniform`, `logUniform`,
 * `intUniform`) gets one point drawn uniformly inside each stratum of its
 * unit interval, then mapped (on the log axis for `logUniform`).
 *
 * `iterations` is required (`candidates()` without it throws ArgumentError).
 * Continuing a run (`ho`, or Hyperband's next bracket, any `start` > 0) plans
 * a fresh hypercube from the seed and `start`, so the new trials cover the
 * space again instead of repeating the first run's points (Hyperopt.jl
 * replays the same plan).
 *
 * ## Example
 * ```ts
 * import { hyperopt, LHSampler, linrange } from 'hyperopt-rx';
 * const ho = await hyperopt(
 *   { space: { a: linrange(1, 5, 100), b: [true, false] }, iterations: 100, sampler: new LHSampler({ seed: 1 }) },
 *   ({ a, b }) => (a - 3) ** 2 + (b ? 0 : 1),
 * );
 * console.log(new Set(ho.history.map((p) => p.a)).size); // Logs: 100
 * ```
 * @see CLHSampler for categorical parameters with balanced levels
 */
export class LHSampler implements Sampler {
  readonly name = 'LHSampler';
  readonly requiresIterations = true;
  readonly seed: number | string;
  readonly gaIterations: number | undefined;

  constructor(options: LHSamplerOptions = {}) {
    checkOptions('LHSampler', options, ['seed', 'gaIterations']);
    this.seed = checkSeed('seed', options.seed ?? randomSeed());
    const { gaIterations } = options;
    if (gaIterations !== undefined && (typeof gaIterations !== 'number' || !Number.isInteger(gaIterations) || gaIterations < 0)) {
      throw new ArgumentError('gaIterations', `must be a non-negative integer, got ${show(gaIterations)}`);
    }
    this.gaIterations = gaIterations;
  }

  validate(space: Space, iterations: number | undefined): void {
    const n = checkPlanIterations(this, iterations);
    const d = Object.keys(space).length;
    if (this.gaIterations !== undefined && !optimizable(n, d)) {
      throw new ArgumentError(
        'gaIterations',
        `cannot run on a plan of ${n} rows × ${d} parameters (a generation would take well over a second): omit it to use a random Latin hypercube`,
      );
    }
  }

  candidates(space: Space, { iterations, start, demand$ }: SamplerContext): Observable<Candidate> {
    this.validate(space, iterations);
    const n = iterations as number;
    return defer(() => {
      const keys = Object.keys(space);
      const entries = keys.map((key) => space[key]);
      const d = keys.length;
      const rng = planRng(this.seed, start);
      const columns = allContinuous(d);
      const initial = randomPlan(n, columns, rng);
      const generations = this.gaIterations ?? (optimizable(n, d) ? budgetedGenerations(n, d) : undefined);
      const data = generations === undefined ? initial.data : optimizePlan(initial, generations, rng, columns).plan.data;
      let row = 0;
      return demand$.pipe(
        take(n),
        map((): Candidate => {
          const params: Record<string, unknown> = {};
          // Each value lands at a uniform point inside its stratum; the jitter continues the plan's stream.
          for (let k = 0; k < d; k++) setOwn(params, keys[k], continuousValue(entries[k], data[k * n + row], n, rng()));
          return { i: start + row++, params };
        }),
      );
    });
  }

  toJSON(): object {
    return { name: this.name, seed: this.seed, ...(this.gaIterations === undefined ? {} : { gaIterations: this.gaIterations }) };
  }
}
