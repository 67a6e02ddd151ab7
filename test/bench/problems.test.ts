import { describe, it, expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { lastValueFrom, take, toArray, type Observable } from 'rxjs';
import {
  branin,
  braninProblem,
  countingOnes,
  countingOnesNoisy,
  countingOnesNoisyObjective,
  countingOnesProblem,
  grid,
  hartmann6,
  hartmann6Problem,
  hyperoptjl,
  hyperoptjlProblem,
  mulberry32,
  noiseKey,
  problems,
  reference,
  trainingCurve,
  trainingCurveAt,
  trainingCurveClean,
  trainingCurveFinal,
  trainingCurveNoise,
  trainingCurveObjective,
  trainingCurveProblem,
  TRAINING_CURVE,
} from '../../bench/problems/index.js';
import { PYTHON } from '../../bench/lib/anchor.js';
import { itWithOptuna } from '../helpers/itWithOptuna.js';

const vectors = reference.test_vectors;

/** Relative error; branin and hartmann6 go through Math.cos/exp, where V8 and glibc may differ by a few ulp. */
function relErr(got: number, want: number): number {
  return Math.abs(got - want) / Math.abs(want);
}

describe('grid', () => {
  it('should follow numpy.linspace: i * step + lo with the last point exactly hi', () => {
    const g = grid(-5, 10);
    expect(g).toHaveLength(1000);
    expect(g[0]).toBe(-5);
    expect(g[999]).toBe(10);
    expect(g[124]).toBe(reference.branin_grid_opt.x[0]);
    expect(grid(0, 1, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('should reproduce the hyperoptjl a grid and c exponents bit for bit', () => {
    expect(grid(1, 5)).toEqual(reference.hyperoptjl_grid_a);
    expect(grid(-1, 3)).toEqual(reference.hyperoptjl_grid_c_exponent);
  });
});

describe('branin', () => {
  it('should reproduce all 201 test vectors to a relative 1e-15', () => {
    expect(vectors.branin).toHaveLength(201);
    for (const { v, f } of vectors.branin) expect(relErr(branin(v), f)).toBeLessThanOrEqual(1e-15);
  });

  it('should return f* at (-pi, 12.275)', () => {
    expect(relErr(branin([-Math.PI, 12.275]), braninProblem.fStar)).toBeLessThanOrEqual(1e-15);
  });

  it('should have its grid optimum at (124, 817) over all 10^6 grid points', () => {
    const [g1, g2] = [braninProblem.space.x1, braninProblem.space.x2] as number[][];
    let best = Infinity,
      arg = [-1, -1];
    for (let i = 0; i < 1000; i++) {
      for (let j = 0; j < 1000; j++) {
        const f = branin([g1[i], g2[j]]);
        if (f < best) [best, arg] = [f, [i, j]];
      }
    }
    expect(arg).toEqual([reference.branin_grid_opt.i, reference.branin_grid_opt.j]);
    expect(relErr(best, braninProblem.gridFStar)).toBeLessThanOrEqual(1e-15);
  });
});

describe('hartmann6', () => {
  it('should reproduce all 201 test vectors to a relative 1e-15', () => {
    expect(vectors.hartmann6).toHaveLength(201);
    for (const { v, f } of vectors.hartmann6) expect(relErr(hartmann6(v), f)).toBeLessThanOrEqual(1e-15);
  });

  it('should have its grid optimum at the reference indices within the radius-3 cube', () => {
    const g = grid(0, 1);
    const { idx } = reference.hartmann6_grid_opt;
    const centre = [201, 150, 476, 275, 311, 657];
    let best = Infinity;
    let arg: number[] = [];
    const k = [0, 0, 0, 0, 0, 0];
    for (let n = 0; n < 7 ** 6; n++) {
      let r = n;
      for (let d = 0; d < 6; d++, r = Math.floor(r / 7)) k[d] = centre[d] + (r % 7) - 3;
      const f = hartmann6(k.map((i) => g[i]));
      if (f < best) [best, arg] = [f, [...k]];
    }
    expect(arg).toEqual(idx);
    expect(relErr(best, hartmann6Problem.gridFStar)).toBeLessThanOrEqual(1e-15);
  });
});

describe('hyperoptjl', () => {
  it('should reproduce all 201 test vectors bit for bit', () => {
    expect(vectors.hyperoptjl).toHaveLength(201);
    for (const { v, f } of vectors.hyperoptjl) expect(hyperoptjl(v)).toBe(f);
  });

  it('should have f* = 110 at (3, true, 100)', () => {
    expect(hyperoptjlProblem.objective({ a: 3, b: true, c: 100 })).toBe(110);
    expect(hyperoptjlProblem.objective({ a: 3, b: false, c: 100 })).toBe(120);
  });

  it('should have its grid optimum 110.05300690312768 over the whole grid, at a index 499 or 500 and c index 749', () => {
    const { a, b, c } = hyperoptjlProblem.space as { a: number[]; b: boolean[]; c: number[] };
    expect(c[0]).toBe(0.1);
    expect(c[999]).toBe(1000);
    let best = Infinity;
    const args: number[][] = [];
    for (let i = 0; i < a.length; i++) {
      for (let k = 0; k < b.length; k++) {
        for (let j = 0; j < c.length; j++) {
          const f = hyperoptjlProblem.objective({ a: a[i], b: b[k], c: c[j] });
          if (f < best) args.length = 0;
          if (f <= best) [best, args[args.length]] = [f, [i, k, j]];
        }
      }
    }
    expect(best).toBe(hyperoptjlProblem.gridFStar);
    expect(best).toBe(reference.hyperoptjl_grid_opt.f);
    expect(args).toEqual([
      [499, 0, 749],
      [500, 0, 749],
    ]);
  });
});

describe('counting ones', () => {
  it('should reproduce the noise-free test vectors bit for bit', () => {
    expect(vectors.counting_ones_true).toHaveLength(50);
    for (const { v, f } of vectors.counting_ones_true) expect(countingOnes(v)).toBe(f);
  });

  it('should reproduce the noisy test vectors bit for bit', () => {
    expect(vectors.counting_ones_noisy).toHaveLength(50);
    for (const { v, f, seed, trial, budget } of vectors.counting_ones_noisy) {
      expect(countingOnesNoisy(v, budget, seed, trial)).toBe(f);
    }
  });

  it('should reproduce the noise keys and the first mulberry32 draws', () => {
    expect(noiseKey(0, 0, 9)).toBe(3628605477);
    for (const { seed, trial, budget, key } of vectors.noise_key) expect(noiseKey(seed, trial, budget)).toBe(key);
    for (const { key, first5 } of vectors.mulberry32) {
      const rnd = mulberry32(key);
      expect(first5.map(() => rnd())).toEqual(first5);
    }
  });

  it('should have grid optimum -16 at every c = 1 and every x index 999, at every budget', () => {
    const ones = Object.fromEntries(countingOnesProblem.names.map((n) => [n, 1]));
    for (const n of countingOnesProblem.names) {
      const values = countingOnesProblem.space[n] as number[];
      expect(values[values.length - 1]).toBe(1);
    }
    expect(countingOnesProblem.objective(ones)).toBe(-16);
    const noisy = countingOnesNoisyObjective(3);
    const signal = new AbortController().signal;
    for (const budget of [9, 27, 81, 243, 729]) expect(noisy(ones, { i: 5, resources: budget, signal })).toBe(-16);
  });

  it('should key the noisy objective by run seed, trial index and budget', () => {
    const { v, f, seed, trial, budget } = vectors.counting_ones_noisy.find((t) => t.f !== -16 && t.f !== 0)!;
    const params = Object.fromEntries(countingOnesProblem.names.map((n, k) => [n, v[k]]));
    const signal = new AbortController().signal;
    expect(countingOnesNoisyObjective(seed)(params, { i: trial, resources: budget, signal })).toBe(f);
    expect(countingOnesNoisyObjective(seed, budget / 3)(params, { i: trial, resources: 3, signal })).toBe(f);
    expect(() => countingOnesNoisyObjective(seed)(params, { i: trial, signal })).toThrow(/resources/);
  });
});

describe('problems as library spaces', () => {
  it.each(problems.map((p) => [p.name, p] as const))('%s: keys in candidate-vector order, objective = f(vector)', (_, p) => {
    expect(Object.keys(p.space)).toEqual(p.names);
    expect(p.dims).toHaveLength(p.names.length);
    const tv = vectors[p.name === 'counting_ones' ? 'counting_ones_true' : (p.name as 'branin' | 'hartmann6' | 'hyperoptjl')];
    for (const { v } of tv.slice(0, 20)) {
      // Decode the vector into params the way a sampler would hand them over.
      const params = Object.fromEntries(
        p.names.map((n, k) => {
          const values = p.space[n] as readonly unknown[];
          return [n, typeof values[0] === 'boolean' ? values[v[k]] : v[k]];
        }),
      );
      expect(p.toVector(params)).toEqual(v);
      expect(p.objective(params)).toBe(p.f(v));
    }
  });

  it('should have grid spaces of 1000 points per continuous dimension', () => {
    for (const p of problems) {
      for (const [n, values] of Object.entries(p.space)) {
        const len = (values as readonly unknown[]).length;
        expect([2, 1000]).toContain(len);
        if (len === 1000) expect(p.dims[p.names.indexOf(n)].kind).toBe('continuous');
      }
    }
  });
});

describe('training curve (the pruning benchmark)', () => {
  const E = TRAINING_CURVE.epochs;
  const { space } = trainingCurveProblem;
  const lr = space.log_lr as number[];
  const reg = space.log_reg as number[];
  // [log_lr, log_reg, optimizer index, batch index]
  const momentumBest = [lr[562], reg[500], 1, 0];
  const signal = new AbortController().signal;
  /** A seeded spread of grid points, every optimizer and batch. */
  const points = (n: number, seed: number): number[][] => {
    const rnd = mulberry32(seed);
    return Array.from({ length: n }, () => [lr[Math.floor(rnd() * 1000)], reg[Math.floor(rnd() * 1000)], Math.floor(rnd() * 3), Math.floor(rnd() * 4)]);
  };

  it('should have its grid minimum gridFStar at log_lr index 562, log_reg index 500, momentum, batch 32, over all 12 million points', () => {
    let best = Infinity;
    let arg: number[] = [];
    for (let o = 0; o < 3; o++) {
      for (let b = 0; b < 4; b++) {
        for (let i = 0; i < 1000; i++) {
          for (let j = 0; j < 1000; j++) {
            const f = trainingCurveFinal([lr[i], reg[j], o, b]);
            if (f < best) [best, arg] = [f, [i, j, o, b]];
          }
        }
      }
    }
    expect(arg).toEqual([562, 500, 1, 0]);
    expect(best).toBe(TRAINING_CURVE.gridFStar);
    expect(trainingCurveProblem.gridFStar).toBe(best);
  });

  it('should be a function of (seed, trial, epoch) only: the same twice, different for another seed or trial', () => {
    for (const v of points(20, 7)) {
      expect(trainingCurve(v, 3, 11)).toEqual(trainingCurve(v, 3, 11));
      expect(trainingCurve(v, 3, 11)).not.toEqual(trainingCurve(v, 4, 11));
      expect(trainingCurve(v, 3, 11)).not.toEqual(trainingCurve(v, 3, 12));
      expect(trainingCurve(v, 3, 11)).toHaveLength(E);
      // The noisy curve is the clean one plus noise that depends on the configuration only through its batch size.
      const clean = trainingCurveClean(v);
      expect(trainingCurve(v, 3, 11)).toEqual(clean.map((x, k) => x + trainingCurveNoise(v[3], k + 1, 3, 11)));
    }
  });

  it('should draw bounded, centred noise: within ±1.5 sigma (0.06 at batch 32), mean about 0, and not degenerate', () => {
    const draws: number[] = [];
    for (let trial = 0; trial < 400; trial++) for (let t = 1; t <= E; t++) draws.push(trainingCurveNoise(0, t, 5, trial));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const sd = Math.sqrt(draws.reduce((a, b) => a + (b - mean) ** 2, 0) / draws.length);
    expect(Math.max(...draws.map(Math.abs))).toBeLessThanOrEqual(0.06);
    expect(Math.max(...draws.map(Math.abs))).toBeGreaterThan(0.045);
    expect(Math.abs(mean)).toBeLessThan(0.002);
    expect(sd).toBeGreaterThan(0.018); // 0.04 * sqrt(3 / 12) = 0.02
    expect(sd).toBeLessThan(0.022);
    // Smaller noise for larger batches.
    for (let b = 1; b < 4; b++) {
      for (let t = 1; t <= E; t++) expect(Math.abs(trainingCurveNoise(b, t, 5, 0))).toBeLessThan(Math.abs(trainingCurveNoise(b - 1, t, 5, 0)) + 1e-15);
    }
  });

  it('should have curves that cross: ahead early, behind after E epochs', () => {
    const adam = [lr[312], reg[500], 2, 0]; // Adam at its best learning rate: fastest, higher floor
    const weakDecay = [lr[562], reg[0], 1, 0]; // momentum with weight decay 1e-6: ahead, then overfits
    const highLr = [lr[800], reg[500], 1, 0]; // momentum, learning rate 3x its best
    const best = trainingCurveClean(momentumBest);
    for (const v of [adam, weakDecay, highLr]) {
      const c = trainingCurveClean(v);
      expect(c[2]).toBeLessThan(best[2]); // ahead at epoch 3 ...
      expect(c[E - 1]).toBeGreaterThan(best[E - 1] + 0.01); // ... and clearly behind at the end
    }
    // Weak weight decay overfits: its loss rises again before the end.
    const w = trainingCurveClean(weakDecay);
    expect(Math.min(...w)).toBeLessThan(w[E - 1] - 0.03);
  });

  it('should give the final loss as the Problem objective, and trainingCurveAt as the curve at one epoch', () => {
    const params = { log_lr: momentumBest[0], log_reg: momentumBest[1], optimizer: 'momentum', batch: 32 };
    expect(trainingCurveProblem.toVector(params)).toEqual(momentumBest);
    expect(trainingCurveProblem.objective(params)).toBe(TRAINING_CURVE.gridFStar);
    expect(Object.keys(trainingCurveProblem.space)).toEqual(trainingCurveProblem.names);
    for (const v of points(10, 9)) {
      const curve = trainingCurve(v, 2, 5);
      expect(trainingCurveFinal(v)).toBe(trainingCurveClean(v)[E - 1]);
      for (const t of [1, 3, 9, 27]) expect(trainingCurveAt(v, t, 2, 5)).toBe(curve[t - 1]);
    }
  });

  it('should stream one value per epoch and stop computing epochs when unsubscribed', async () => {
    let epochs = 0;
    const objective = trainingCurveObjective(4, () => epochs++);
    const params = { log_lr: lr[300], log_reg: reg[200], optimizer: 'adam', batch: 128 };
    const v = trainingCurveProblem.toVector(params);
    const all = await lastValueFrom((objective(params, { i: 6, signal }) as Observable<number>).pipe(toArray()));
    expect(all).toEqual(trainingCurve(v, 4, 6));
    expect(epochs).toBe(E);
    epochs = 0;
    const first = await lastValueFrom((objective(params, { i: 6, signal }) as Observable<number>).pipe(take(3), toArray()));
    expect(first).toEqual(all.slice(0, 3));
    expect(epochs).toBe(3);
  });

  itWithOptuna('should give the same bits in TypeScript and in the Python port (anchor.py, mode "curve")', () => {
    const vs = [...points(40, 13), momentumBest, [lr[0], reg[0], 0, 3], [lr[999], reg[999], 2, 0], [lr[500], reg[500], 1, 2]];
    const cases = vs.map((v, k) => ({ v, seed: 1 + (k % 20), trial: 3 * k }));
    const run = spawnSync(PYTHON, ['bench/optuna/anchor.py', JSON.stringify({ mode: 'curve', points: cases })], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const { curves } = JSON.parse(run.stdout).results[0] as { curves: { clean: number[]; noisy: number[] }[] };
    expect(curves).toHaveLength(cases.length);
    cases.forEach(({ v, seed, trial }, k) => {
      expect(curves[k].clean).toEqual(trainingCurveClean(v));
      expect(curves[k].noisy).toEqual(trainingCurve(v, seed, trial));
    });
  });
});
