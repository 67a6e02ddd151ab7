import { describe, it, expect } from '@jest/globals';
import { hyperband } from '../../src/run/hyperband.js';
import { hyperopt } from '../../src/run/hyperopt.js';
import { Hyperband } from '../../src/multifidelity/Hyperband.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { ArgumentError } from '../../src/base/ArgumentError.js';
import { linrange } from '../../src/space/linrange.js';
import { explinrange } from '../../src/space/explinrange.js';
import type { TrialContext } from '../../src/trial/Objective.js';
import { nelderMead } from '../helpers/nelderMead.js';

// Hyperopt.jl's test function, with a categorical parameter alongside (b = false costs 10).
const f = (a: number, b: boolean, c: number) => 100 + (a - 3) ** 2 + (b ? 0 : 10) + (c - 100) ** 2;
const space = { a: linrange(1, 5, 800), b: [true, false], c: explinrange(-1, 3, 1800) };
type P = { a: number; b: boolean; c: number };
type State = { x: number[] };

/** Nelder–Mead for floor(resources) f-calls, from the state (promoted) or the sampled point (rung 0). */
const localSearch = ({ a, b, c }: P, { resources, state }: TrialContext<State>) => {
  const x0 = state?.x ?? [a, c];
  const best = nelderMead(
    ([x, y]) => f(x, b, y),
    x0,
    Math.floor(resources!),
    x0.map((v) => Math.max(0.5 * Math.abs(v), 1)),
  );
  return { value: best.fx, state: { x: best.x } };
};

describe('hyperband(objective, space, { maxResource, eta })', () => {
  it('reaches the optimum of 100 + (a-3)^2 + (c-100)^2 through Nelder–Mead run for `resources` steps from the state', async () => {
    const ho = await hyperband(localSearch, space, { maxResource: 50, eta: 3, inner: new RandomSampler({ seed: 2024 }), progress: false });
    expect(ho.trials).toHaveLength(69);
    expect(ho.minimum).toBeLessThan(100.1);
    const best = ho.best!;
    expect(best.params.b).toBe(true);
    const [a, c] = (best.state as State).x;
    expect(Math.abs(a - 3) / 3).toBeLessThan(1e-2);
    expect(Math.abs(c - 100) / 100).toBeLessThan(1e-2);
    // The best comes from a promoted configuration: more budget, resumed from its state.
    expect(best.rung).toBeGreaterThan(0);
  });

  it('continues with ho: another Hyperband iteration, indices going on', async () => {
    const ho = await hyperband(localSearch, space, { maxResource: 50, eta: 3, progress: false });
    const first = ho.minimum;
    await hyperband(localSearch, space, { maxResource: 50, eta: 3, ho, progress: false });
    expect(ho.trials).toHaveLength(138);
    expect(ho.minimum).toBeLessThanOrEqual(first);
    expect(new Set(ho.trials.map((t) => t.i)).size).toBe(98);
  });

  it('runs iterations whole Hyperband iterations, concurrently', async () => {
    let inFlight = 0;
    let most = 0;
    const ho = await hyperband(
      async (p: P, t: TrialContext<State>) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 0));
        inFlight--;
        return localSearch(p, t);
      },
      space,
      { maxResource: 9, eta: 3, iterations: 2, concurrency: 4, progress: false },
    );
    expect(ho.trials).toHaveLength(2 * (9 + 3 + 1 + 5 + 1 + 3));
    expect(most).toBe(4);
  });

  it('rejects bad options with an ArgumentError naming the option, before any objective runs', async () => {
    let calls = 0;
    const objective = () => ++calls;
    const cases: [object, string][] = [
      [{}, 'maxResource'],
      [{ maxResource: 0 }, 'maxResource'],
      [{ maxResource: 50, eta: 1 }, 'eta'],
      [{ maxResource: 50, concurrency: 0 }, 'concurrency'],
      [{ maxResource: 50, iterations: 1.5 }, 'iterations'],
      [{ maxResource: 50, inner: 'lhs' }, 'inner'],
      [{ maxResource: 50, Eta: 2 }, 'options.Eta'],
    ];
    for (const [options, option] of cases) {
      const error = await hyperband(objective, space, options as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as ArgumentError).option).toBe(option);
    }
    await expect(hyperband(objective, { a: [] }, { maxResource: 50 })).rejects.toThrow(ArgumentError);
    await expect(hyperband('f' as never, space, { maxResource: 50 })).rejects.toThrow(ArgumentError);
    expect(calls).toBe(0);
  });

  it('on abort resolves with the trials that finished', async () => {
    const controller = new AbortController();
    let calls = 0;
    const ho = await hyperband(
      async (p: P, t: TrialContext<State>) => {
        if (++calls === 10) controller.abort();
        await new Promise((resolve) => setTimeout(resolve, 0));
        return localSearch(p, t);
      },
      space,
      { maxResource: 50, signal: controller.signal, concurrency: 2, progress: false },
    );
    expect(ho.trials.length).toBeGreaterThanOrEqual(8);
    expect(ho.trials.length).toBeLessThan(69);
  });

  it('is the Hyperband sampler under hyperopt', async () => {
    const sampler = new Hyperband({ maxResource: 50, eta: 3, inner: new RandomSampler({ seed: 9 }) });
    const viaSampler = await hyperopt({ space, sampler, progress: false }, localSearch);
    const viaFunction = await hyperband(localSearch, space, { maxResource: 50, eta: 3, inner: new RandomSampler({ seed: 9 }), progress: false });
    expect(viaFunction.trials.map((t) => [t.i, t.value])).toEqual(viaSampler.trials.map((t) => [t.i, t.value]));
  });
});
