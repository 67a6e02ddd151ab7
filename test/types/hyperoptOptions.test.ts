import { describe, it, expect } from '@jest/globals';
import { lastValueFrom, toArray } from 'rxjs';
import { hyperopt, hyperopt$, fromJSON, linrange, ArgumentError, Hyperoptimizer } from '../../src/index.js';
import type { HyperoptOptions, ParamsOf, Trial } from '../../src/index.js';
import { hyperopt as nodeHyperopt, hyperopt$ as nodeHyperopt$ } from '../../src/node.js';

/** Compile-time equality: `tsc --noEmit` (part of `npm test`) fails when the inferred types drift. */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(value: T): T => value;

const space = { x: linrange(0, 1, 11), b: [true, false] };
type P = ParamsOf<typeof space>;
const f = ({ x, b }: P) => x + (b ? 1 : 0);

describe('HyperoptOptions: space, ho, or both', () => {
  it('infers params from the space, or from ho when the space is left out', async () => {
    const ho = await hyperopt({ space, iterations: 3 }, (params) => {
      assertType<Equals<typeof params, P>>(true);
      return f(params);
    });
    assertType<Equals<typeof ho.minimizer, P | undefined>>(true);

    const continued = await hyperopt({ ho, iterations: 2 }, (params) => {
      assertType<Equals<typeof params, P>>(true);
      return f(params);
    });
    assertType<Equals<typeof continued.minimizer, P | undefined>>(true);
    expect(continued).toBe(ho);
    expect(ho.trials).toHaveLength(5);

    const both = await hyperopt({ space, ho, iterations: 1 }, (params) => {
      assertType<Equals<typeof params, P>>(true);
      return f(params);
    });
    expect(both.trials).toHaveLength(6);
  });

  it('takes the params of the space over those of an untyped ho (fromJSON)', async () => {
    const restored = fromJSON(JSON.stringify(await hyperopt({ space, iterations: 2 }, f)));
    const ho = await hyperopt({ space, ho: restored, iterations: 1 }, (params) => {
      assertType<Equals<typeof params, P>>(true);
      return f(params);
    });
    assertType<Equals<typeof ho.minimizer, P | undefined>>(true);
    expect(ho.trials).toHaveLength(3);
    // Alone, an untyped ho gives untyped params.
    const again = await hyperopt({ ho: restored, iterations: 1 }, (params) => {
      assertType<Equals<typeof params, any>>(true);
      return f(params);
    });
    expect(again.trials).toHaveLength(4);
  });

  it('hyperopt$ and the Node entry points infer the same way', async () => {
    const typed: Hyperoptimizer<P> = new Hyperoptimizer({ space, iterations: 1 });
    const ho = await nodeHyperopt({ ho: typed, iterations: 2, progress: false }, (params) => {
      assertType<Equals<typeof params, P>>(true);
      return f(params);
    });
    assertType<Equals<typeof ho.minimizer, P | undefined>>(true);
    const trials = await lastValueFrom(hyperopt$({ ho, iterations: 1 }, f).pipe(toArray()));
    assertType<Equals<(typeof trials)[number], Trial<P>>>(true);
    const nodeTrials = await lastValueFrom(nodeHyperopt$({ ho, iterations: 1 }, f).pipe(toArray()));
    assertType<Equals<(typeof nodeTrials)[number], Trial<P>>>(true);
    expect([ho.trials.length, trials.length, nodeTrials.length]).toEqual([4, 1, 1]);
  });

  it('accepts annotated options of either form, and explicit type arguments', async () => {
    const fresh: HyperoptOptions<typeof space> = { space, iterations: 1 };
    const ho = await hyperopt(fresh, f);
    const more: HyperoptOptions<typeof space> = { ho, iterations: 1 };
    await hyperopt(more, f);
    await hyperopt<typeof space, number>({ space, ho, iterations: 1 }, (params, trial) => {
      assertType<Equals<typeof trial.state, number | undefined>>(true);
      return { value: f(params), state: (trial.state ?? 0) + 1 };
    });
    expect(ho.trials).toHaveLength(3);
  });

  it('does not compile without space and ho, nor with a mismatched ho or objective; at run time neither is ArgumentError(space)', async () => {
    const ho = await hyperopt({ space, iterations: 1 }, f);
    const neither = { iterations: 1 };
    // @ts-expect-error neither space nor ho
    await expect(hyperopt(neither, () => 0)).rejects.toThrow(expect.objectContaining({ name: 'ArgumentError', option: 'space' }));
    // @ts-expect-error neither space nor ho
    expect(() => hyperopt$(neither, () => 0)).toThrow(ArgumentError);
    // @ts-expect-error neither space nor ho
    await expect(nodeHyperopt({ ...neither, progress: false }, () => 0)).rejects.toThrow(expect.objectContaining({ option: 'space' }));
    // @ts-expect-error neither space nor ho
    expect(() => nodeHyperopt$(neither, () => 0)).toThrow(ArgumentError);
    // @ts-expect-error ho was made for another space than the one given
    await expect(hyperopt({ space: { y: ['a', 'b'] }, ho, iterations: 1 }, () => 0)).rejects.toThrow(expect.objectContaining({ option: 'space' }));
    expect(ho.trials).toHaveLength(1); // refused before any objective ran
    // @ts-expect-error the objective wants params the space does not give
    await expect(hyperopt({ ho, iterations: 1 }, ({ y }: { y: string }) => y.length)).rejects.toThrow(/reading 'length'/);
  });
});
