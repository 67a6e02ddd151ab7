import { describe, it, expect } from '@jest/globals';
import { threads } from '../../src/node/threads.js';
import { ArgumentError } from '../../src/base/ArgumentError.js';
import { hyperopt } from '../../src/run/hyperopt.js';
import fc from 'fast-check';
import { lastValueFrom, type Observable } from 'rxjs';
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

describe('threads: outcomes that cannot be cloned as they are', () => {
  const module = new URL('./fixtures/uncloneableState.mjs', import.meta.url);
  const signal = new AbortController().signal;

  it('should fail a trial whose state cannot be cloned with the cause, not "undefined"', async () => {
    const objective = threads({ module, threads: 1 });
    const streaming = threads({ module, exportName: 'streamed', threads: 1, stream: true });
    try {
      await expect(objective({ x: 1 }, { i: 0, signal })).rejects.toThrow("the objective's state cannot be sent to the calling thread: () => x could not be cloned.");
      await expect(lastValueFrom(streaming({ x: 1 }, { i: 0, signal }) as Observable<unknown>)).rejects.toThrow(
        "the objective's state cannot be sent to the calling thread: () => x could not be cloned.",
      );
      const ho = await hyperopt({ space: { x: [1, 2] }, iterations: 2, onError: 'skip', progress: false }, objective);
      expect(ho.trials.map((t) => String(t.error))).toEqual(Array(2).fill("Error: the objective's state cannot be sent to the calling thread: () => x could not be cloned."));
    } finally {
      await objective.close();
      await streaming.close();
    }
  });

  it('should keep the message of a DOMException the objective throws', async () => {
    const objective = threads({ module, exportName: 'domException', threads: 1 });
    try {
      await expect(objective({ x: 1 }, { i: 0, signal })).rejects.toThrow('the download was aborted');
    } finally {
      await objective.close();
    }
  });

  it('should refuse an abortGraceMs of 2^31 ms or more', () => {
    expect(() => threads({ module, abortGraceMs: 2 ** 31 })).toThrow(/`abortGraceMs` must be at most 2147483647 ms/);
    expect(() => threads({ module, abortGraceMs: -1 })).toThrow(/`abortGraceMs` must be an integer >= 0/);
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
