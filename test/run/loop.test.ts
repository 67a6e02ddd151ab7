import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { hyperopt, RandomSampler, linrange } from '../../src/index.js';
import { loopSlice } from '../../src/run/internal/loopSlice.js';
import type { Trial } from '../../src/index.js';

// The loop's pause: after loopSlice.ms of work it holds finished trials back until a macrotask.
// At 0 ms every look at the clock ends the slice, so the first trial to finish starts a pause, whatever the machine's speed.
const realSlice = loopSlice.ms;
beforeEach(() => {
  loopSlice.ms = 0;
});
afterEach(() => {
  loopSlice.ms = realSlice;
});

describe('the loop paused for its macrotask', () => {
  it("onError 'fail': the trials that finished during the pause are in error.ho, before the failed one", async () => {
    const settle: ((value: number) => void)[] = [];
    // Three trials start at once. The third settles all three in one go, before any macrotask: trial 0 finishes and
    // starts the pause, trial 1 finishes during it (held back), then trial 2 fails, still during it.
    const objective = ({ x }: { x: number }, { i }: { i: number }): Promise<number> => {
      if (i < 2) return new Promise((resolve) => (settle[i] = resolve));
      settle[0](x);
      settle[1](x);
      return Promise.reject(new Error('boom'));
    };
    const error = await hyperopt(
      { space: { x: linrange(0, 1, 11) }, iterations: 10, concurrency: 3, sampler: new RandomSampler({ seed: 1 }), progress: false },
      objective,
    ).then(
      () => undefined,
      (e: unknown) => e as Error & { ho: { trials: readonly Trial[] } },
    );
    expect(error?.message).toBe('boom');
    expect(error!.ho.trials.map((t) => [t.i, t.status])).toEqual([
      [0, 'ok'],
      [1, 'ok'],
      [2, 'failed'],
    ]);
  });
});
