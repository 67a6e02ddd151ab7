import { describe, it, expect } from '@jest/globals';
import { threads } from '../../src/node/threads.js';
import { ArgumentError } from '../../src/ArgumentError.js';
import { hyperopt } from '../../src/hyperopt.js';
import fc from 'fast-check';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { f, space } from '../fixtures/node/objective.mjs';
import { executorContract, fixture } from './executorContract.js';

executorContract('threads', (options) => threads({ module: fixture, threads: 2, ...options }));

describe('threads', () => {
  it('should name `threads` and `module` in its ArgumentErrors', () => {
    expect(() => threads({ module: fixture, threads: 0 })).toThrow(ArgumentError);
    expect(() => threads({ module: fixture, threads: 1.5 })).toThrow(/`threads`/);
    expect(() => threads({ module: './no/such/objective.mjs' })).toThrow(/`module` no such file/);
    expect(() => threads({ module: 42 as never })).toThrow(/`module`/);
  });

  it('should default to one thread per core', async () => {
    const { availableParallelism } = await import('node:os');
    const objective = threads({ module: fixture });
    expect(objective.concurrency).toBe(availableParallelism());
    await objective.close();
  });
});

describe('threads: a thread that exits mid-trial', () => {
  it('should fail that trial and keep the pool working', async () => {
    const objective = threads({ module: fixture, exportName: 'exits', threads: 2 });
    try {
      const ho = await hyperopt({ space, iterations: 8, concurrency: 2, onError: 'skip', progress: false }, objective);
      expect(ho.trials.length).toBe(8);
      expect(ho.trials.filter((t) => t.status === 'failed').map((t) => t.i)).toEqual([2]);
    } finally {
      await objective.close();
    }
  });
});

describe('threads: property', () => {
  it('should record, for any seed, size and concurrency, the trials an in-process run records', async () => {
    const objective = threads({ module: fixture, threads: 2 });
    try {
      await fc.assert(
        fc.asyncProperty(fc.integer(), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 6 }), async (seed, iterations, concurrency) => {
          const options = { space, iterations, concurrency, progress: false as const };
          const there = await hyperopt({ ...options, sampler: new RandomSampler({ seed }) }, objective);
          const here = await hyperopt({ ...options, sampler: new RandomSampler({ seed }) }, f);
          const view = (trials: readonly { i: number; params: unknown; value: number; status: string }[]) =>
            [...trials].sort((a, b) => a.i - b.i).map((t) => [t.i, t.params, t.value, t.status]);
          expect(view(there.trials)).toEqual(view(here.trials));
        }),
        { numRuns: 15 },
      );
    } finally {
      await objective.close();
    }
  });
});
