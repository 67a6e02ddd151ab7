import { describe, it, expect } from '@jest/globals';
import { lastValueFrom, toArray } from 'rxjs';
import { hyperopt, linrange, explinrange, uniform, intUniform, candidates, RandomSampler } from '../../src/index.js';
import type { ParamsOf, Trial } from '../../src/index.js';

/** Compile-time equality: `tsc --noEmit` (part of `npm test`) fails when the inferred types drift. */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(value: T): T => value;

describe('types infer from the space', () => {
  it('ParamsOf maps vectors to their element type and ranges to number', async () => {
    const space = {
      a: linrange(1, 5, 10),
      b: [true, false],
      c: explinrange(-1, 3, 10),
      f: [Math.sin, Math.cos],
      lr: uniform(0, 1),
      n: intUniform(1, 3),
      s: ['x', 'y'] as const,
    };
    type P = ParamsOf<typeof space>;
    assertType<Equals<P, { a: number; b: boolean; c: number; f: (x: number) => number; lr: number; n: number; s: 'x' | 'y' }>>(true);

    const ho = await hyperopt({ space, iterations: 2, progress: false }, (params, trial) => {
      assertType<Equals<typeof params, P>>(true);
      assertType<Equals<typeof trial.signal, AbortSignal>>(true);
      expect(trial.signal.aborted).toBe(false);
      return params.a + params.f(params.lr) + (params.b ? 1 : 0);
    });
    assertType<Equals<typeof ho.minimizer, P | undefined>>(true);
    assertType<Equals<(typeof ho.trials)[number], Trial<P>>>(true);
    expect(ho.trials).toHaveLength(2);

    const [c] = await lastValueFrom(candidates(new RandomSampler(), { x: [1, 2] }, { iterations: 1 }).pipe(toArray()));
    assertType<Equals<typeof c.params, { x: number }>>(true);
    expect([1, 2]).toContain(c.params.x);
  });
});
