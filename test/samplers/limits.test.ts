import { describe, it, expect } from '@jest/globals';
import { firstValueFrom, toArray } from 'rxjs';
import { hyperopt, candidates, LHSampler, CLHSampler, Hyperband, BOHB, uniform, linrange, ArgumentError } from '../../src/index.js';

/** Runs `hyperopt` and expects an ArgumentError naming `option`, its message matching `message`, before the objective ever runs. */
async function refusedBeforeAnyTrial(options: object, option: string, message: RegExp): Promise<void> {
  let calls = 0;
  const error = await hyperopt({ space: { x: linrange(0, 1, 11) }, iterations: 3, progress: false, ...options } as never, () => ++calls).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ArgumentError);
  expect((error as ArgumentError).option).toBe(option);
  expect((error as Error).message).toMatch(message);
  expect(calls).toBe(0);
}

describe('huge but well-typed sizes are refused with the limit named', () => {
  it.each([1e9, 1e12])('LHSampler and CLHSampler with iterations %d', async (iterations) => {
    await refusedBeforeAnyTrial({ iterations, sampler: new LHSampler({ seed: 1 }) }, 'iterations', /at most 1000000 \(MAX_PLAN_ROWS\) for LHSampler/);
    await refusedBeforeAnyTrial({ iterations, sampler: new CLHSampler({ seed: 1 }) }, 'iterations', /MAX_PLAN_ROWS/);
    expect(() => candidates(new LHSampler(), { x: [1, 2] }, { iterations })).toThrow(/MAX_PLAN_ROWS/);
  });

  it('a plan too large for the genetic algorithm is one random Latin hypercube, and refuses an explicit gaIterations', async () => {
    const n = 20_000; // the GA's first population alone would cost about a minute
    const space = { a: uniform(0, 1), b: uniform(0, 1) };
    for (const sampler of [new LHSampler({ seed: 2 }), new CLHSampler({ seed: 2 })]) {
      const drawn = await firstValueFrom(candidates(sampler, space, { iterations: n }).pipe(toArray()));
      expect(drawn).toHaveLength(n);
      for (const key of ['a', 'b'] as const) {
        const strata = new Set(drawn.map((c) => Math.floor(c.params[key] * n)));
        expect(strata.size).toBe(n); // every stratum sampled exactly once
      }
    }
    await refusedBeforeAnyTrial({ space, iterations: n, sampler: new LHSampler({ gaIterations: 1 }) }, 'gaIterations', /omit it/);
  });

  it('Hyperband whose bracket plan would explode (eta 1.001)', async () => {
    expect(() => new Hyperband({ maxResource: 50, eta: 1.001 })).toThrow(ArgumentError);
    expect(() => new Hyperband({ maxResource: 50, eta: 1.001 })).toThrow(/`eta` gives 3914 brackets .* more than 200 \(MAX_HYPERBAND_BRACKETS\)/);
    expect(() => new Hyperband({ maxResource: 1e300 })).toThrow(/`maxResource` gives 629 brackets/);
    expect(() => new Hyperband({ maxResource: 1e300, eta: 1e10 })).toThrow(/`maxResource` gives more than 1000000000000 \(MAX_TRIAL_INDEX\) evaluations/);
    expect(new Hyperband({ maxResource: 50, eta: 1.1 }).evaluations({ x: [1] }, 1)).toBeGreaterThan(0); // 42 brackets: fine
  });

  it('BOHB with Ns 1e9', async () => {
    expect(() => new BOHB({ Ns: 1e9 })).toThrow(/`Ns` must be at most 100000 \(MAX_BOHB_CANDIDATES\)/);
    expect(new BOHB({ Ns: 1e5 }).Ns).toBe(1e5);
  });

  it('concurrency 1e12', async () => {
    await refusedBeforeAnyTrial({ concurrency: 1e12 }, 'concurrency', /at most 100000 \(MAX_CONCURRENCY\)/);
  });
});
