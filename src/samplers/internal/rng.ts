import seedrandom from 'seedrandom';

/** A seeded uniform [0, 1) generator: the only source of randomness in samplers. */
export type Rng = () => number;

export function createRng(seed: number | string): Rng {
  const prng = seedrandom(String(seed));
  return () => prng.double();
}

/** A fresh seed when the user gives none (seedrandom's autoseed: crypto entropy where there is any), so every run can still be reported and replayed. */
export function randomSeed(): number {
  return seedrandom(undefined, { entropy: true }).int32() >>> 0;
}

/** A standard normal draw (Box–Muller; 1 - u keeps the logarithm finite) from a sampler's generator. */
export function gaussian(rng: Rng): number {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}
