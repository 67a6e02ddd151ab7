/**
 * The mulberry32 seed (uint32) for one noisy counting-ones evaluation, keyed
 * by (run seed, trial index, budget) so that both sides of the benchmark
 * draw the same noise for the same evaluation.
 */
export function noiseKey(seed: number, trial: number, budget: number): number {
  return (Math.imul(seed, 0x9e3779b1) + Math.imul(trial, 0x85ebca77) + Math.imul(budget, 0xc2b2ae3d)) >>> 0;
}
