import { describe, it, expect } from '@jest/globals';
import { hyperopt } from '../../src/run/hyperopt.js';
import { fromJSON } from '../../src/sinks/fromJSON.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { ArgumentError } from '../../src/base/ArgumentError.js';
import { linrange } from '../../src/space/linrange.js';
import { logUniform } from '../../src/space/logUniform.js';
import type { Trial } from '../../src/trial/Trial.js';

const view = (t: Trial) => ({ i: t.i, params: t.params, value: t.value, status: t.status, resources: t.resources });

describe('fromJSON', () => {
  const space = { x: linrange(-1, 1, 21), lr: logUniform(1e-4, 1), act: ['relu', 'tanh'] };

  it('rebuilds a Hyperoptimizer from toJSON text: trials, NaN, errors, minimum, sampler seed', async () => {
    const ho = await hyperopt({ space, iterations: 15, sampler: new RandomSampler({ seed: 4 }), onError: 'skip', progress: false }, ({ x, lr, act }, { i }) => {
      if (i === 3) throw new Error('nope');
      return i === 4 ? NaN : x * x + lr + act.length;
    });
    const back = fromJSON(JSON.stringify(ho));
    expect(back.trials.map(view)).toEqual(ho.trials.map(view));
    expect(back.minimum).toBe(ho.minimum);
    expect(back.minimizer).toEqual(ho.minimizer);
    expect(back.history).toEqual(ho.history);
    expect(back.iterations).toBe(15);
    expect((back.trials[3].error as Error).message).toBe('nope');
    expect(back.sampler.toJSON?.()).toEqual({ name: 'RandomSampler', seed: 4 });
    // Continuing the rebuilt optimizer goes on with the sequence.
    await hyperopt({ space, iterations: 2, ho: back, progress: false }, ({ x }) => x);
    expect(back.trials.map((t) => t.i).slice(-2)).toEqual([15, 16]);
  });

  it('gives back the very candidate objects when the space is passed, and rejects another space', async () => {
    const fs = [Math.sin, Math.cos];
    const ho = await hyperopt({ space: { f: fs }, iterations: 4, progress: false }, ({ f }) => f(1));
    expect(fromJSON(ho.toJSON(), { space: { f: fs } }).trials.map((t) => t.params.f)).toEqual(ho.trials.map((t) => t.params.f));
    const error = (() => {
      try {
        fromJSON(ho.toJSON(), { space: { f: [Math.tan, Math.cos] } });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as ArgumentError).option).toBe('space');
    expect(() => fromJSON('{oops')).toThrow(/`json` is not valid JSON/);
    expect(() => fromJSON({ trials: 3 })).toThrow(/`json` must be what Hyperoptimizer.toJSON\(\) returns/);
  });
});
