import { RandomSampler, type Sampler } from '../../src/index.js';
import type { Problem } from '../problems/index.js';
import type { OptunaSampler } from './anchor.js';
import { optionalExport } from './optionalExport.js';

/** One of our samplers as the benchmarks run it. Adding a sampler is one entry in `ourSamplers`. */
export interface OurSampler {
  /** Row label in the tables. */
  readonly label: string;
  /** The Optuna sampler it is set against in the ratio columns. */
  readonly anchor: OptunaSampler;
  /**
   * True for samplers whose first n trials are what a run of n would draw
   * (random, model-based): one run of the largest size serves every n.
   * False for plans sized to the run (Latin hypercubes): one run per n.
   */
  readonly anytime: boolean;
  /** A fresh sampler for one run. */
  readonly make: (seed: number, problem: Problem) => Sampler;
}

type SamplerClass = new (options: Record<string, unknown>) => Sampler;

/** The model-based sampler when it exists (BOHB standalone), for the overhead figure. */
export async function modelBasedSampler(): Promise<OurSampler | undefined> {
  const BOHB = await optionalExport<SamplerClass>('samplers/BOHB', 'BOHB');
  return BOHB && { label: 'BOHB', anchor: 'tpe_multivariate', anytime: true, make: (seed, p) => new BOHB({ seed, dims: p.dims }) };
}

/** Our samplers that exist in src/ right now, in report order. */
export async function ourSamplers(): Promise<OurSampler[]> {
  const LHSampler = await optionalExport<SamplerClass>('samplers/LHSampler', 'LHSampler');
  const CLHSampler = await optionalExport<SamplerClass>('samplers/CLHSampler', 'CLHSampler');
  const bohb = await modelBasedSampler();
  const list: (OurSampler | undefined)[] = [
    { label: 'RandomSampler', anchor: 'random', anytime: true, make: (seed) => new RandomSampler({ seed }) },
    LHSampler && { label: 'LHSampler', anchor: 'qmc', anytime: false, make: (seed) => new LHSampler({ seed }) },
    CLHSampler && { label: 'CLHSampler', anchor: 'qmc', anytime: false, make: (seed, p) => new CLHSampler({ seed, dims: p.dims }) },
    bohb,
  ];
  return list.filter((s): s is OurSampler => s !== undefined);
}
