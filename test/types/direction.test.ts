import { describe, it, expect } from '@jest/globals';
import { asha, hyperband, hyperopt, Hyperoptimizer, linrange, MedianPruner, prune, successiveHalving, toHyperoptimizer } from '../../src/index.js';
import type { Direction, HyperoptRunOptions, HyperbandRunOptions, SuccessiveHalvingOptions, AshaOptions, PruneOptions, HyperoptimizerOptions } from '../../src/index.js';
import type { NodeHyperoptOptions } from '../../src/node.js';
import type { JournalOptions } from '../../src/node/JournalOptions.js';

/** Compile-time equality: `tsc --noEmit` (part of `npm test`) fails when the inferred types drift. */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(value: T): T => value;

const space = { x: linrange(0, 1, 11) };
const quiet = { progress: false } as const;

describe('direction in the types', () => {
  it("is the union 'minimize' | 'maximize' on every option that takes it, and on the optimizer", async () => {
    assertType<Equals<Direction, 'minimize' | 'maximize'>>(true);
    assertType<Equals<HyperoptRunOptions['direction'], Direction | undefined>>(true);
    assertType<Equals<HyperbandRunOptions['direction'], Direction | undefined>>(true);
    assertType<Equals<SuccessiveHalvingOptions['direction'], Direction | undefined>>(true);
    assertType<Equals<AshaOptions['direction'], Direction | undefined>>(true);
    assertType<Equals<PruneOptions['direction'], Direction | undefined>>(true);
    assertType<Equals<HyperoptimizerOptions['direction'], Direction | undefined>>(true);
    assertType<Equals<NodeHyperoptOptions['direction'], Direction | undefined>>(true);
    assertType<Equals<JournalOptions['direction'], Direction | undefined>>(true);
    const ho = await hyperopt({ space, iterations: 2, direction: 'maximize', ...quiet }, ({ x }) => x);
    assertType<Equals<typeof ho.direction, Direction>>(true);
    expect(ho.direction).toBe('maximize');
  });

  it('a misspelt direction does not compile (and is an ArgumentError at run time)', async () => {
    const f = ({ x }: { x: number }) => x;
    // @ts-expect-error 'max' is not a Direction
    await expect(hyperopt({ space, iterations: 2, direction: 'max', ...quiet }, f)).rejects.toMatchObject({ option: 'direction' });
    // @ts-expect-error 'Maximize' is not a Direction
    await expect(hyperband(f, space, { maxResource: 3, direction: 'Maximize', ...quiet })).rejects.toMatchObject({ option: 'direction' });
    // @ts-expect-error 'up' is not a Direction
    expect(() => successiveHalving(f, { minResource: 1, direction: 'up' })).toThrow();
    // @ts-expect-error 'maximise' is not a Direction
    expect(() => asha(f, { minResource: 1, maxResource: 9, direction: 'maximise' })).toThrow();
    // @ts-expect-error 'max' is not a Direction
    expect(() => prune(new MedianPruner(), { direction: 'max' })).toThrow();
    // @ts-expect-error 'max' is not a Direction
    expect(() => new Hyperoptimizer({ space, iterations: 1, direction: 'max' })).toThrow();
    // @ts-expect-error 'max' is not a Direction
    expect(() => toHyperoptimizer(space, { direction: 'max' })).toThrow();
  });
});
