import { describe, it, expect } from '@jest/globals';
import { hyperband } from '../../src/run/hyperband.js';
import { hyperopt } from '../../src/run/hyperopt.js';
import { LHSampler } from '../../src/samplers/LHSampler.js';
import { linrange } from '../../src/space/linrange.js';
import { explinrange } from '../../src/space/explinrange.js';
import type { TrialContext } from '../../src/trial/Objective.js';
import { nelderMead } from '../helpers/nelderMead.js';

type State = { x: number[] };
const f = (a: number, c: number) => 100 + (a - 3) ** 2 + (c - 100) ** 2;

describe('Hyperband with an LHSampler inner', () => {
  it('with LHSampler inner, R = 30, eta = 10: 13 evaluations, then 26 (Hyperopt.jl test)', async () => {
    const lhsSpace = { a: linrange(1, 5, 300), c: explinrange(-1, 3, 300) };
    const objective = ({ a, c }: { a: number; c: number }, { resources, state }: TrialContext<State>) => {
      const x0 = state?.x ?? [a, c];
      const best = nelderMead(([x, y]) => f(x, y), x0, Math.floor(resources!), [0.5, 10]);
      return { value: best.fx, state: { x: best.x } };
    };
    const ho = await hyperband(objective, lhsSpace, { maxResource: 30, eta: 10, inner: new LHSampler({ seed: 1, gaIterations: 50 }), progress: false });
    expect(ho.trials).toHaveLength(13);
    // One hypercube per bracket, sized to its first rung: 10 distinct a's, then 2.
    expect(new Set(ho.trials.filter((t) => t.bracket === 1 && t.rung === 0).map((t) => t.params.a)).size).toBe(10);
    await hyperopt({ space: lhsSpace, ho, progress: false }, objective);
    expect(ho.trials).toHaveLength(26);
  });
});
