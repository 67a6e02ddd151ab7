import { defer, map, take, type Observable } from 'rxjs';
import type { Candidate } from '../trial/Trial.js';
import type { Space } from '../space/Space.js';
import { fromUnit } from '../space/fromUnit.js';
import { checkOptions, checkSeed } from '../base/check.js';
import { setOwn } from '../base/setOwn.js';
import type { Sampler, SamplerContext } from './Sampler.js';
import { createRng, randomSeed, type Rng } from './internal/rng.js';

export interface RandomSamplerOptions {
  /** Same seed, same space: the same sequence of candidates. @default a fresh random seed */
  readonly seed?: number | string;
}

/**
 * Draws every parameter independently and uniformly: a candidate vector's
 * elements with equal probability, a range by its own law. The default
 * sampler. Continuing a run (`ho`) goes on with the same sequence, at a
 * cost that does not grow with the number of trials before it.
 *
 * ## Example
 * ```ts
 * import { candidates, RandomSampler } from 'hyperopt-rx';
 * candidates(new RandomSampler({ seed: 1 }), { a: [1, 2, 3] }, { iterations: 2 }).subscribe(console.log);
 * ```
 */
export class RandomSampler implements Sampler {
  readonly name = 'RandomSampler';
  readonly seed: number | string;

  constructor(options: RandomSamplerOptions = {}) {
    checkOptions('RandomSampler', options, ['seed']);
    this.seed = checkSeed('seed', options.seed ?? randomSeed());
  }

  candidates(space: Space, { iterations, start, demand$ }: SamplerContext): Observable<Candidate> {
    return defer(() => {
      const keys = Object.keys(space);
      const entries = keys.map((k) => space[k]);
      // Continuation goes on from draw start × d, so a resumed run draws what one longer run would have.
      const rng = streamFrom(this.seed, start * keys.length);
      let i = start;
      const ticks$ = iterations === undefined ? demand$ : demand$.pipe(take(iterations));
      return ticks$.pipe(map((): Candidate => ({ i: i++, params: draw(keys, entries, rng) })));
    });
  }

  toJSON(): object {
    return { name: this.name, seed: this.seed };
  }
}

/** Draws per block of a seed's stream: a continuation replays at most this many (about 50 ms), however far it starts. */
const BLOCK = 2 ** 20;

/**
 * A seed's stream of draws from index `at` on. Block 0 is the seed's own
 * generator, block b > 0 that of `${seed}#${b}` (seedrandom cannot jump
 * ahead), so starting at draw 1e12 costs no more than starting at 1e6.
 */
function streamFrom(seed: number | string, at: number): Rng {
  let block = Math.floor(at / BLOCK);
  let rng = createRng(block === 0 ? seed : `${seed}#${block}`);
  for (let skip = at - block * BLOCK; skip > 0; skip--) rng();
  let left = (block + 1) * BLOCK - at;
  return () => {
    if (left === 0) {
      rng = createRng(`${seed}#${++block}`);
      left = BLOCK;
    }
    left--;
    return rng();
  };
}

function draw(keys: string[], entries: Space[string][], rng: Rng): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (let j = 0; j < keys.length; j++) {
    const key = keys[j];
    // Inline store on the hot path (a shared helper's store goes megamorphic); setOwn only for `__proto__`.
    if (key !== '__proto__') params[key] = fromUnit(entries[j], rng());
    else setOwn(params, key, fromUnit(entries[j], rng()));
  }
  return params;
}
