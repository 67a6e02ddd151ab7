import { defer, type Observable } from 'rxjs';
import type { Candidate } from '../trial/Trial.js';
import type { Dimensions } from '../space/Dimension.js';
import type { Space } from '../space/Space.js';
import { checkDims, resolveDimensions } from '../space/inferDimensions.js';
import { ArgumentError } from '../base/ArgumentError.js';
import { checkOptions, checkPositiveInteger, checkSeed } from '../base/check.js';
import type { Sampler, SamplerContext } from './Sampler.js';
import { createRng, randomSeed } from './internal/rng.js';
import { modelCandidates } from './internal/modelCandidates.js';
import { GpEncoding } from './gp/GpEncoding.js';
import { GpModel } from './gp/GpModel.js';

export interface GPSamplerOptions {
  /** Dimension kinds, in key order or by name; `unorderedCategorical` ones are one-hot encoded. @default inferred from the space (`inferDimensions`) */
  readonly dims?: Dimensions;
  /** Random configurations before the GP is used (per budget under Hyperband: observations the budget needs). At least 2. @default 10 */
  readonly nInitial?: number;
  /** Points the acquisition scores per proposal before its local search (from 8 to 100,000). @default 512 */
  readonly nCandidates?: number;
  /** Same seed, same space, concurrency 1, same objective: the same run. @default a fresh random seed */
  readonly seed?: number | string;
}

const KNOWN = ['dims', 'nInitial', 'nCandidates', 'seed'] as const;
const MAX_CANDIDATES = 1e5;

/**
 * Bayesian optimisation with a Gaussian process, for small budgets on
 * smooth objectives (tens to a few hundred trials, up to about 20
 * parameters). After `nInitial` random configurations each proposal:
 * - fits a GP to the observations: inputs in the unit cube (log ranges on
 *   the log axis, unordered levels one-hot), outputs standardised;
 *   amplitude × Matérn-5/2 with one length scale per input (ARD), plus
 *   white noise; hyperparameters by maximum marginal likelihood, L-BFGS in
 *   log space from several starts (warm-started between full refits);
 * - maximises log expected improvement (finite where EI underflows) over
 *   `nCandidates` scored points, half uniform and half around the best
 *   observations, then projected L-BFGS on its analytic gradient from the
 *   best three; the result is snapped onto the space (integers, grids,
 *   levels), and a point already tried or in flight is never proposed again.
 *
 * Failed and pruned trials count as the worst value seen. With several
 * trials in flight, each joins the GP at its posterior mean (kriging
 * believer), which removes the variance around it, so parallel proposals
 * spread out. As Hyperband's `inner` it keeps observations per budget and
 * fits the largest budget that has `nInitial` of them, as BOHB does.
 *
 * The cost grows as n³ in the observations (one Cholesky factorisation per
 * likelihood evaluation): a few milliseconds per proposal at 100
 * observations, so it suits expensive objectives; prefer BOHB beyond a
 * thousand trials.
 *
 * ## Example
 * ```ts
 * import { hyperopt, GPSampler, uniform, logUniform } from 'hyperopt-rx';
 * const ho = await hyperopt(
 *   { space: { x: uniform(-5, 10), lr: logUniform(1e-4, 1) }, iterations: 30, sampler: new GPSampler({ seed: 1 }) },
 *   ({ x, lr }) => (x - 2) ** 2 + Math.log10(lr) ** 2,
 * );
 * ho.printmin();
 * ```
 */
export class GPSampler implements Sampler {
  readonly name = 'GPSampler';
  readonly seed: number | string;
  readonly dims: Dimensions | undefined;
  readonly nInitial: number;
  readonly nCandidates: number;

  constructor(options: GPSamplerOptions = {}) {
    checkOptions('GPSampler', options, KNOWN);
    this.seed = checkSeed('seed', options.seed ?? randomSeed());
    this.dims = checkDims(options.dims);
    this.nInitial = checkPositiveInteger('nInitial', options.nInitial ?? 10);
    if (this.nInitial < 2) throw new ArgumentError('nInitial', `must be at least 2 (a GP needs two points to fit a length scale), got ${this.nInitial}`);
    this.nCandidates = checkPositiveInteger('nCandidates', options.nCandidates ?? 512);
    if (this.nCandidates < 8 || this.nCandidates > MAX_CANDIDATES) {
      throw new ArgumentError('nCandidates', `must be from 8 to ${MAX_CANDIDATES}, got ${this.nCandidates}`);
    }
  }

  validate(space: Space): void {
    resolveDimensions(space, this.dims, 'dims');
  }

  candidates(space: Space, context: SamplerContext): Observable<Candidate> {
    const { start } = context;
    const encoding = new GpEncoding(space, resolveDimensions(space, this.dims, 'dims'));
    return defer(() => {
      // A continuation must not replay the first run's random draws.
      const rng = createRng(start > 0 ? `${this.seed}:${start}` : this.seed);
      const model = new GpModel(encoding, { nInitial: this.nInitial, candidates: this.nCandidates });
      return modelCandidates(context, {
        model,
        encode: (params) => encoding.encode(params),
        // −∞ is the best a run can find (the model places it at the best finite value); NaN and +∞ are the worst.
        lossOf: (trial) => (trial.status === 'ok' && !Number.isNaN(trial.value) && trial.value !== Infinity ? trial.value : NaN),
        propose: () => model.propose(rng),
        decode: (x) => encoding.decode(x),
      });
    });
  }

  toJSON(): object {
    return {
      name: this.name,
      seed: this.seed,
      nInitial: this.nInitial,
      nCandidates: this.nCandidates,
      ...(this.dims === undefined ? {} : { dims: this.dims }),
    };
  }
}
